-- The clusters a fleet-wide group's pull request adopts the live value for, comma-separated
-- (NULL for the pull request of one cluster's drift): a restarted node sees whether the group
-- grew or shrank since the branch was last pushed.
ALTER TABLE fw_pr_state ADD COLUMN members VARCHAR(4000);

-- What a remediation pull request needs to be found and followed again after a restart: the
-- drifted resource, the PR's URL, the last commit pushed to its branch, and why it was closed.
ALTER TABLE fw_pr_state ADD COLUMN resource VARCHAR(1024);
ALTER TABLE fw_pr_state ADD COLUMN url VARCHAR(1000);
ALTER TABLE fw_pr_state ADD COLUMN head_commit VARCHAR(64);
ALTER TABLE fw_pr_state ALTER COLUMN status SET DATA TYPE VARCHAR(32);
UPDATE fw_pr_state SET status = 'CLOSED_BY_REVIEWER' WHERE status = 'CLOSED';

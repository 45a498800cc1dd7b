package dev.fleetwarden.store;

import java.time.Instant;

/**
 * The remediation pull request of a drift fingerprint: the cluster and resource, the branch, the
 * number and URL (null before it exists), the last commit pushed to the branch, and where it
 * stands.
 */
public record PullRequestState(
    String fingerprint,
    String cluster,
    String resource,
    String branch,
    Integer number,
    String url,
    String commit,
    Status status,
    Instant updatedAt) {

  /** Where a pull request is in its life. */
  public enum Status {
    OPEN,
    MERGED,
    /** Closed by a person: Git's value stays. */
    CLOSED_BY_REVIEWER,
    /** Closed by fleetwarden because the drift went away. */
    CLOSED_RESOLVED
  }
}

package dev.fleetwarden.store;

import java.time.Instant;

/** The remediation pull request of a drift fingerprint: branch, number (null before it exists). */
public record PullRequestState(
    String fingerprint,
    String cluster,
    String branch,
    Integer number,
    Status status,
    Instant updatedAt) {

  /** Where a pull request is in its life. */
  public enum Status {
    OPEN,
    CLOSED,
    MERGED
  }
}

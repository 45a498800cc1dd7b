package dev.fleetwarden.remediate;

/**
 * What fleetwarden remembers about the pull request of one drift: cluster and fingerprint (the
 * key), the resource, the branch (named after the fingerprint the PR was opened for; it stays when
 * the drift changes), the PR number and URL, the last pushed commit, and where the PR stands.
 */
public record PrRecord(
    String cluster,
    String fingerprint,
    String resource,
    String branch,
    int number,
    String url,
    String commit,
    State state) {

  /** Where a remediation pull request stands. */
  public enum State {
    OPEN,
    /** Merged: the fleet repo adopted the live value. */
    MERGED,
    /** Closed by a person: Git's value stays and the drift keeps alerting. */
    CLOSED_BY_REVIEWER,
    /** Closed by fleetwarden because the drift went away. */
    CLOSED_RESOLVED
  }

  public PrRecord with(State newState) {
    return new PrRecord(cluster, fingerprint, resource, branch, number, url, commit, newState);
  }
}

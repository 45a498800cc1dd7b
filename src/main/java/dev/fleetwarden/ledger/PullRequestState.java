package dev.fleetwarden.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The remediation pull request of a drift: cluster and fingerprint (the key), the resource, the
 * branch (named after the fingerprint the pull request was opened for; it stays when the drift
 * changes), the number ({@code 0} before the pull request exists) and URL, the last commit pushed
 * to the branch, where it stands, and when this state was saved (null until then).
 *
 * <p>A fleet-wide group's pull request is kept under the cluster {@link #FLEET} and the group's
 * fingerprint; {@code members} lists the clusters its last commit adopts (empty for a cluster's own
 * pull request).
 */
public record PullRequestState(
    String cluster,
    String fingerprint,
    String resource,
    String branch,
    int number,
    String url,
    String commit,
    Status status,
    Instant updatedAt,
    List<String> members) {

  /** The cluster name under which a fleet-wide group's pull request is kept. */
  public static final String FLEET = "*";

  /** Where a remediation pull request stands. */
  public enum Status {
    OPEN,
    /** Merged: the fleet repo adopted the live value. */
    MERGED,
    /** Closed by a person: Git's value stays and the drift keeps alerting. */
    CLOSED_BY_REVIEWER,
    /** Closed by fleetwarden because the drift went away. */
    CLOSED_RESOLVED
  }

  public PullRequestState {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(status, "status");
    members = members == null ? List.of() : List.copyOf(members);
  }

  /** The pull request of one cluster's drift. */
  public PullRequestState(
      String cluster,
      String fingerprint,
      String resource,
      String branch,
      int number,
      String url,
      String commit,
      Status status,
      Instant updatedAt) {
    this(cluster, fingerprint, resource, branch, number, url, commit, status, updatedAt, List.of());
  }

  /** Whether this is a fleet-wide group's pull request. */
  public boolean isGroup() {
    return FLEET.equals(cluster);
  }

  /** The same pull request in another status, to be stamped when saved. */
  public PullRequestState with(Status newStatus) {
    return new PullRequestState(
        cluster, fingerprint, resource, branch, number, url, commit, newStatus, null, members);
  }
}

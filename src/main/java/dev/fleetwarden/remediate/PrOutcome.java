package dev.fleetwarden.remediate;

/**
 * What the pull request flow did about one drift or one pull request in a scan. {@code number} is 0
 * when no pull request is involved.
 */
public record PrOutcome(
    String cluster, String fingerprint, String resource, Action action, int number, String detail) {

  /** The fixed vocabulary of pull request actions. */
  public enum Action {
    /** A branch was pushed and a pull request opened. */
    CREATED,
    /** The drift already has its open pull request; nothing was done. */
    UNCHANGED,
    /** The drift changed: its branch was force-updated and the pull request got a comment. */
    UPDATED,
    /** The drift went away: its pull request was closed with a comment. */
    CLOSED,
    /** The pull request was merged: the fleet repo adopted the live value. */
    RESOLVED_BY_MERGE,
    /** A person closed the pull request: Git's value stays, the alert goes on. */
    CLOSED_BY_REVIEWER,
    /** No pull request can adopt this drift; {@code detail} says why. */
    ALERT_ONLY,
    /** The drift's remediation policy is not {@code pull-request}. */
    NOT_REQUESTED,
    /** A Git or GitHub step failed; {@code detail} says which. Retried on the next scan. */
    FAILED
  }
}

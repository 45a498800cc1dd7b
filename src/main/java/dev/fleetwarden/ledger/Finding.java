package dev.fleetwarden.ledger;

import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.Severity;
import java.time.Instant;
import java.util.Objects;

/**
 * One drift finding: a drift with its identity ({@link Fingerprints fingerprint}) and its life in
 * the ledger. {@code resolvedAt} is null while the drift is open; {@code supersededBy} names the
 * fingerprint that replaced this one when the same resource drifted differently (a changed drift).
 * {@code firstSeen} of a changed drift carries over from the finding it replaced, so "since when"
 * survives value changes. The resource, source, severity and type are those of the drift.
 *
 * <p>Alerts ({@code notify}) and pull requests ({@code remediate}) take findings as they are: one
 * alert message and at most one pull request per cluster and fingerprint.
 *
 * @param firstRevision fleet revision of the first scan that saw the drift (may be null)
 * @param lastRevision fleet revision of the last scan that saw the drift (may be null)
 */
public record Finding(
    String cluster,
    String fingerprint,
    ObjectDrift drift,
    Instant firstSeen,
    Instant lastSeen,
    Instant resolvedAt,
    String firstRevision,
    String lastRevision,
    String supersededBy) {

  public Finding {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(drift, "drift");
  }

  /**
   * A drift seen for the first time at {@code at}, fingerprinted by {@link Fingerprints#of}: what a
   * scan records as new, and what a caller without a ledger (the demo) hands to pull requests.
   */
  public static Finding observed(ObjectDrift drift, Instant at, String revision) {
    return opened(Fingerprints.of(drift), drift, at, at, revision);
  }

  /**
   * An open finding of {@code drift} under a given fingerprint, first seen at {@code firstSeen}.
   */
  public static Finding opened(
      String fingerprint, ObjectDrift drift, Instant firstSeen, Instant at, String revision) {
    return new Finding(
        drift.resource().cluster(),
        fingerprint,
        drift,
        firstSeen,
        at,
        null,
        revision,
        revision,
        null);
  }

  public ResourceId resource() {
    return drift.resource();
  }

  public DriftSource source() {
    return drift.source();
  }

  public Severity severity() {
    return drift.severity();
  }

  public DriftType type() {
    return drift.type();
  }

  public boolean isOpen() {
    return resolvedAt == null;
  }

  /** This finding seen again at {@code at}: the drift as it is now, still open. */
  public Finding seenAgain(ObjectDrift now, Instant at, String revision) {
    return new Finding(
        cluster, fingerprint, now, firstSeen, at, null, firstRevision, revision, null);
  }

  /** This finding, resolved at {@code at}. */
  public Finding resolved(Instant at) {
    return new Finding(
        cluster,
        fingerprint,
        drift,
        firstSeen,
        lastSeen,
        at,
        firstRevision,
        lastRevision,
        supersededBy);
  }

  /** This finding, superseded by another fingerprint. */
  public Finding withSupersededBy(String fingerprint) {
    return new Finding(
        cluster,
        this.fingerprint,
        drift,
        firstSeen,
        lastSeen,
        resolvedAt,
        firstRevision,
        lastRevision,
        fingerprint);
  }
}

package dev.fleetwarden.store;

import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.Severity;
import java.time.Instant;

/**
 * One drift finding as the store keeps it. {@code resolvedAt} is null while the drift is open;
 * {@code supersededBy} names the fingerprint that replaced this one when the same resource drifted
 * differently (a changed drift). {@code firstSeen} of a changed drift carries over from the finding
 * it replaced, so "since when" survives value changes.
 */
public record Finding(
    String cluster,
    String fingerprint,
    ResourceId resource,
    DriftSource source,
    Severity severity,
    DriftType type,
    ObjectDrift drift,
    Instant firstSeen,
    Instant lastSeen,
    Instant resolvedAt,
    String firstRevision,
    String lastRevision,
    String supersededBy) {

  public boolean isOpen() {
    return resolvedAt == null;
  }

  /** This finding, superseded by another fingerprint. */
  public Finding withSupersededBy(String fingerprint) {
    return new Finding(
        cluster,
        this.fingerprint,
        resource,
        source,
        severity,
        type,
        drift,
        firstSeen,
        lastSeen,
        resolvedAt,
        firstRevision,
        lastRevision,
        fingerprint);
  }
}

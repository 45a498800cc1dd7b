package dev.fleetwarden.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * What was sent for one alert message of a cluster: an incident (one cluster's drift routed to one
 * channel, keyed by an incident key in {@code fingerprint}) or, for alerts posted before incidents
 * existed, one drift fingerprint. It holds the message (channel id and ts as returned by Slack),
 * the hash of the payload it shows now, whether it shows the incident as open or resolved, when it
 * was posted and last changed, and when the last reminder went out (null: none). A new incident
 * after a resolved one replaces the state with its own message.
 *
 * @param fingerprint the alert's key: an incident key, or a drift fingerprint
 */
public record AlertState(
    String cluster,
    String fingerprint,
    String channel,
    String ts,
    String payloadHash,
    AlertStatus status,
    Instant createdAt,
    Instant updatedAt,
    Instant remindedAt) {

  public AlertState {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(status, "status");
  }

  /** The posted alert message. */
  public MessageRef message() {
    return new MessageRef(channel, ts);
  }

  /** This state after the alert message was edited to show another payload. */
  public AlertState updated(String newHash, AlertStatus newStatus, Instant at) {
    return new AlertState(
        cluster, fingerprint, channel, ts, newHash, newStatus, createdAt, at, remindedAt);
  }

  /**
   * The same alert message for another fingerprint: a changed drift keeps the message of the
   * finding it superseded.
   */
  public AlertState movedTo(String newFingerprint) {
    return new AlertState(
        cluster,
        newFingerprint,
        channel,
        ts,
        payloadHash,
        status,
        createdAt,
        updatedAt,
        remindedAt);
  }

  /** This state after a reminder was posted in the thread. */
  public AlertState reminded(Instant at) {
    return new AlertState(
        cluster, fingerprint, channel, ts, payloadHash, status, createdAt, updatedAt, at);
  }
}

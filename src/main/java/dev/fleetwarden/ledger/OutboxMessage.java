package dev.fleetwarden.ledger;

import java.util.Objects;

/**
 * One message waiting to be sent. {@code blocks} is the Block Kit JSON array as text (store it as
 * is). For {@link Kind#UPDATE}, {@link Kind#THREAD_REPLY} and {@link Kind#REMINDER} the target is
 * the alert message of {@code (cluster, fingerprint)}, resolved through the {@link AlertStates}
 * when the message is sent; {@code channel} then only says where that alert was routed. Stored as
 * JSON in the {@link Outbox}: the component names are the stored format.
 *
 * @param fingerprint the alert's key: an incident key (one cluster's drift in one channel), or the
 *     drift fingerprint of an alert posted before incidents existed
 * @param status what the alert message shows after this message is sent (alert kinds only)
 * @param payloadHash hash of text and blocks, compared with the alert state to skip no-op edits
 */
public record OutboxMessage(
    Kind kind,
    String cluster,
    String fingerprint,
    String channel,
    AlertStatus status,
    String text,
    String blocks,
    String payloadHash) {

  /** What sending the message does. */
  public enum Kind {
    /**
     * Posts the alert message of a key and records its ts in the alert state (not sent again while
     * the state holds a message, unless that one is resolved and this one opens a new incident).
     */
    ALERT,
    /** Edits the key's alert message (chat.update). */
    UPDATE,
    /** Posts a reply in the key's alert thread. */
    THREAD_REPLY,
    /** A thread reply that also records the reminder time in the alert state. */
    REMINDER,
    /** A message of its own, tied to no alert (digest, broken fleet commit). */
    STANDALONE
  }

  public OutboxMessage {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(blocks, "blocks");
    if (kind != Kind.STANDALONE && (cluster == null || fingerprint == null)) {
      throw new IllegalArgumentException(kind + " message needs a cluster and a fingerprint");
    }
  }

  /** Whether this message acts on the alert of a key (everything but STANDALONE). */
  public boolean targetsAlert() {
    return kind != Kind.STANDALONE;
  }

  /**
   * The key that orders messages: rows with the same key must be sent in enqueue order ({@code
   * cluster/fingerprint}); null for standalone messages, which need no order.
   */
  public String orderKey() {
    return targetsAlert() ? orderKey(cluster, fingerprint) : null;
  }

  /** The order key of the messages of one alert: {@code cluster/key}. */
  public static String orderKey(String cluster, String key) {
    return cluster + "/" + key;
  }
}

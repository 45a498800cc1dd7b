package dev.fleetwarden.ledger;

import java.util.Objects;

/**
 * One message waiting to be sent. {@code blocks} is the Block Kit JSON array as text (store it as
 * is). For {@link Kind#UPDATE}, {@link Kind#THREAD_REPLY} and {@link Kind#REMINDER} the target is
 * the alert message of {@code (cluster, fingerprint)}, resolved through the {@link AlertStates}
 * when the message is sent; {@code channel} then only says where that alert was routed. Stored as
 * JSON in the {@link Outbox}: the component names are the stored format.
 *
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
    /** Posts the alert message of a fingerprint and records its ts in the alert state. */
    ALERT,
    /** Edits the fingerprint's alert message (chat.update). */
    UPDATE,
    /** Posts a reply in the fingerprint's alert thread. */
    THREAD_REPLY,
    /** A thread reply that also records the reminder time in the alert state. */
    REMINDER,
    /** A message of its own, tied to no fingerprint (digest, broken fleet commit). */
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

  /** Whether this message acts on the alert of a fingerprint (everything but STANDALONE). */
  public boolean targetsAlert() {
    return kind != Kind.STANDALONE;
  }

  /**
   * The key that orders messages: rows with the same key must be sent in enqueue order ({@code
   * cluster/fingerprint}); null for standalone messages, which need no order.
   */
  public String orderKey() {
    return targetsAlert() ? cluster + "/" + fingerprint : null;
  }
}

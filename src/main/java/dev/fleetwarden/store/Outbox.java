package dev.fleetwarden.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Messages to deliver (Slack alerts and follow-ups), kept until sent so a failed delivery is
 * retried and never lost, and never sent twice: a claim leases the row to one node; a row is
 * claimable again only when its lease expired without {@link #markSent} or {@link #markFailed}.
 */
public interface Outbox {

  /**
   * Adds a message unless one with the same {@code dedupKey} exists (sent or not).
   *
   * @param channelKey where it goes (for example a notification route name or Slack channel)
   * @param dedupKey unique key of this message, e.g. {@code <fingerprint>:opened}
   * @param payloadJson the message, as JSON; must not contain secret values
   * @return true when added, false when the dedup key was already there
   */
  boolean enqueue(String channelKey, String dedupKey, String payloadJson);

  /**
   * Claims up to {@code limit} pending messages due at {@code now} (oldest first) for this node,
   * with a lease of the store's configured length. A message claimed by one caller is not returned
   * to another until its lease expires. Messages sharing a {@code channelKey} are delivered in
   * order: one is not claimed while an older one of the same key is still unsent.
   */
  List<OutboxMessage> claimDue(Instant now, int limit);

  /** Marks a message delivered, with the receiver's reference (e.g. Slack channel and ts). */
  void markSent(long id, String externalRef);

  /**
   * Records a failed delivery and releases the claim; the message is due again at {@code
   * nextAttemptAt} (the dispatcher's backoff decides it). {@code error} must not contain secret
   * values.
   */
  void markFailed(long id, String error, Instant nextAttemptAt);

  /** One message by id. */
  Optional<OutboxMessage> message(long id);

  /** One message by dedup key. */
  Optional<OutboxMessage> messageByDedupKey(String dedupKey);

  /** How many messages are not sent yet. */
  int pendingCount();
}

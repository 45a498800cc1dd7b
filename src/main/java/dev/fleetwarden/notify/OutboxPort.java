package dev.fleetwarden.notify;

import java.time.Instant;
import java.util.List;

/**
 * The durable outbox of messages to send. The store implements it; messages survive restarts and
 * are never deleted before they are marked sent.
 */
public interface OutboxPort {

  /**
   * Adds a message unless a message with the same dedup key was ever enqueued (sent or not), in
   * which case nothing happens.
   *
   * @return true when the message was added
   */
  boolean enqueue(String dedupKey, OutboxMessage message);

  /**
   * Claims up to {@code limit} unsent rows whose next attempt is due at {@code now}, oldest first.
   * Two rules keep the alert thread in order:
   *
   * <ul>
   *   <li>a row is not returned while an older unsent row with the same {@link
   *       OutboxMessage#orderKey()} exists (due or not);
   *   <li>a claimed row is leased: it is not returned again until marked, or until a lease chosen
   *       by the store expires (so the rows of a node that died mid-send are sent by another).
   * </ul>
   */
  List<OutboxRow> claimDue(Instant now, int limit);

  /** Marks a row sent, with the Slack message it produced (null when nothing had to be sent). */
  void markSent(long id, MessageRef ref);

  /**
   * Releases a claimed row for a later attempt: records the error, counts one more attempt and sets
   * when it is due again. The row is kept.
   */
  void markFailed(long id, String error, Instant nextAttempt);
}

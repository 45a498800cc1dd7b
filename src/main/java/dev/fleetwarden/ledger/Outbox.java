package dev.fleetwarden.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Messages to deliver (Slack alerts and follow-ups), kept until sent so a failed delivery is
 * retried and never lost, and never sent twice: a claim leases the row to one node; a row is
 * claimable again only when its lease expired without {@link #markSent} or {@link #markFailed}.
 * Rows are never deleted.
 */
public interface Outbox {

  /**
   * Adds a message unless a message with the same dedup key was ever enqueued (sent or not), in
   * which case nothing happens. The message must not contain secret values.
   *
   * @param dedupKey unique key of this message, e.g. {@code alert:<cluster>:<fingerprint>}
   * @return true when added, false when the dedup key was already there
   */
  boolean enqueue(String dedupKey, OutboxMessage message);

  /**
   * Claims up to {@code limit} unsent rows due at {@code now}, oldest first, for this node. Two
   * rules keep an alert's thread in order:
   *
   * <ul>
   *   <li>a row is not returned while an older unsent row with the same {@link
   *       OutboxMessage#orderKey()} exists (due or not);
   *   <li>a claimed row is leased for a length the implementation is configured with: it is not
   *       returned again until marked, or until the lease expires (so the rows of a node that died
   *       mid-send are sent by another).
   * </ul>
   */
  List<OutboxRow> claimDue(Instant now, int limit);

  /**
   * Marks a row delivered, with the message it produced (null when nothing had to be sent). A row
   * sent already stays as it is.
   */
  void markSent(long id, MessageRef ref);

  /**
   * Records a failed delivery and releases the claim; the row is due again at {@code nextAttemptAt}
   * (the dispatcher's backoff decides it). A sent row stays as it is. {@code error} must not
   * contain secret values.
   */
  void markFailed(long id, String error, Instant nextAttemptAt);

  /** One row by id. */
  Optional<OutboxRow> row(long id);

  /** One row by dedup key. */
  Optional<OutboxRow> row(String dedupKey);

  /** How many rows are not sent yet. */
  int pendingCount();

  /**
   * Whether a message of this order key ({@link OutboxMessage#orderKey()}, {@code cluster/key}) is
   * not sent yet: the post of an alert, or its edits, still waiting.
   */
  boolean hasUnsent(String orderKey);
}

package dev.fleetwarden.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * A message in the {@link Outbox} with its delivery state: its id (ascending in enqueue order),
 * dedup key, how many times it was claimed ({@code attempts}, including the current claim of a
 * claimed row), when it is due, who holds it ({@code leaseOwner} until {@code leaseUntil}), when it
 * was sent and the message it produced ({@code sentAs}, null when nothing was posted or unknown),
 * and the last error (null when none).
 */
public record OutboxRow(
    long id,
    String dedupKey,
    OutboxMessage message,
    Status status,
    int attempts,
    Instant createdAt,
    Instant nextAttemptAt,
    String leaseOwner,
    Instant leaseUntil,
    Instant sentAt,
    MessageRef sentAs,
    String lastError) {

  /** Where a row is in its life. */
  public enum Status {
    /** Waiting to be sent (or to be retried). */
    PENDING,
    /** Delivered; never sent again. */
    SENT
  }

  public OutboxRow {
    Objects.requireNonNull(dedupKey, "dedupKey");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(status, "status");
  }

  /** Claims before the current one: each ended in a failure or an expired lease. */
  public int earlierAttempts() {
    return Math.max(0, attempts - 1);
  }
}

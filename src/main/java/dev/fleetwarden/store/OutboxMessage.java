package dev.fleetwarden.store;

import java.time.Instant;

/**
 * A message in the outbox. {@code attempts} counts claims so far (including the current one for a
 * claimed message); {@code leaseUntil} is when a claim expires and another node may claim it.
 */
public record OutboxMessage(
    long id,
    String channelKey,
    String dedupKey,
    String payloadJson,
    Status status,
    int attempts,
    Instant createdAt,
    Instant nextAttemptAt,
    String leaseOwner,
    Instant leaseUntil,
    Instant sentAt,
    String externalRef,
    String lastError) {

  /** Where a message is in its life. */
  public enum Status {
    /** Waiting to be sent (or to be retried). */
    PENDING,
    /** Delivered; never sent again. */
    SENT
  }
}

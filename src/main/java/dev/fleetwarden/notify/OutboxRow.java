package dev.fleetwarden.notify;

import java.time.Instant;

/**
 * A stored outbox message as claimed: its id (ascending in enqueue order), dedup key, failed
 * attempts so far, and the last error (null when none).
 */
public record OutboxRow(
    long id,
    String dedupKey,
    OutboxMessage message,
    int attempts,
    Instant createdAt,
    Instant nextAttemptAt,
    String lastError) {}

package dev.fleetwarden.notify;

import dev.fleetwarden.ledger.OutboxMessage;
import java.util.Objects;

/** A message the planner wants in the outbox, with the key that makes enqueuing it idempotent. */
public record PlannedMessage(String dedupKey, OutboxMessage message) {
  public PlannedMessage {
    Objects.requireNonNull(dedupKey, "dedupKey");
    Objects.requireNonNull(message, "message");
  }
}

package dev.fleetwarden.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetwarden.notify.MessageRef;
import dev.fleetwarden.notify.OutboxMessage;
import dev.fleetwarden.notify.OutboxPort;
import dev.fleetwarden.notify.OutboxRow;
import dev.fleetwarden.store.Outbox;
import java.time.Instant;
import java.util.List;

/**
 * The notifier's outbox on the store's outbox table: messages are stored as JSON, keyed for order
 * by cluster and fingerprint (standalone messages by their own dedup key).
 */
public final class StoreOutbox implements OutboxPort {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Outbox outbox;

  public StoreOutbox(Outbox outbox) {
    this.outbox = outbox;
  }

  @Override
  public boolean enqueue(String dedupKey, OutboxMessage message) {
    String orderKey = message.orderKey() != null ? message.orderKey() : "standalone/" + dedupKey;
    try {
      return outbox.enqueue(orderKey, dedupKey, JSON.writeValueAsString(message));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("outbox message is not serializable", e);
    }
  }

  @Override
  public List<OutboxRow> claimDue(Instant now, int limit) {
    return outbox.claimDue(now, limit).stream().map(StoreOutbox::row).toList();
  }

  private static OutboxRow row(dev.fleetwarden.store.OutboxMessage m) {
    try {
      return new OutboxRow(
          m.id(),
          m.dedupKey(),
          JSON.readValue(m.payloadJson(), OutboxMessage.class),
          // the store counts the claim that handed the row out; the notifier counts failures
          Math.max(0, m.attempts() - 1),
          m.createdAt(),
          m.nextAttemptAt(),
          m.lastError());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("outbox row " + m.id() + " is not a notifier message", e);
    }
  }

  @Override
  public void markSent(long id, MessageRef ref) {
    outbox.markSent(id, ref == null ? null : ref.channel() + "/" + ref.ts());
  }

  @Override
  public void markFailed(long id, String error, Instant nextAttempt) {
    outbox.markFailed(id, error, nextAttempt);
  }
}

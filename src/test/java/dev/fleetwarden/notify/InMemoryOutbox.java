package dev.fleetwarden.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The outbox in memory, with the contract of {@link OutboxPort}: idempotent enqueue, oldest-first
 * claims that keep each fingerprint's rows in order, and leases that expire. Rows outlive any
 * dispatcher built over it, which is how tests "restart".
 */
final class InMemoryOutbox implements OutboxPort {
  /** One stored row; fields are mutable like a table row. */
  static final class Row {
    final long id;
    final String dedupKey;
    final OutboxMessage message;
    int attempts;
    Instant nextAttemptAt = Instant.EPOCH;
    String lastError;
    boolean sent;
    MessageRef ref;
    Instant leasedUntil;

    Row(long id, String dedupKey, OutboxMessage message) {
      this.id = id;
      this.dedupKey = dedupKey;
      this.message = message;
    }
  }

  private final Map<Long, Row> rows = new TreeMap<>();
  private final Map<String, Long> byKey = new HashMap<>();
  private final Duration lease;
  private long sequence;

  /** Thrown by the fault switch: stands for the process dying; nothing catches it. */
  static final class SimulatedCrash extends Error {
    SimulatedCrash() {
      super("process died (test fault)");
    }
  }

  /**
   * Fault switch: the next markSent throws {@link SimulatedCrash} (a crash right after sending).
   */
  boolean failNextMarkSent;

  InMemoryOutbox(Duration lease) {
    this.lease = lease;
  }

  InMemoryOutbox() {
    this(Duration.ofMinutes(5));
  }

  @Override
  public synchronized boolean enqueue(String dedupKey, OutboxMessage message) {
    if (byKey.containsKey(dedupKey)) {
      return false;
    }
    long id = ++sequence;
    rows.put(id, new Row(id, dedupKey, message));
    byKey.put(dedupKey, id);
    return true;
  }

  @Override
  public synchronized List<OutboxRow> claimDue(Instant now, int limit) {
    List<OutboxRow> claimed = new ArrayList<>();
    Set<String> olderUnsent = new HashSet<>();
    for (Row row : rows.values()) {
      if (row.sent) {
        continue;
      }
      String key = row.message.orderKey();
      boolean blocked = key != null && !olderUnsent.add(key);
      boolean leased = row.leasedUntil != null && row.leasedUntil.isAfter(now);
      if (blocked || leased || row.nextAttemptAt.isAfter(now) || claimed.size() >= limit) {
        continue;
      }
      row.leasedUntil = now.plus(lease);
      claimed.add(
          new OutboxRow(
              row.id,
              row.dedupKey,
              row.message,
              row.attempts,
              Instant.EPOCH,
              row.nextAttemptAt,
              row.lastError));
    }
    return claimed;
  }

  @Override
  public synchronized void markSent(long id, MessageRef ref) {
    if (failNextMarkSent) {
      failNextMarkSent = false;
      throw new SimulatedCrash();
    }
    Row row = rows.get(id);
    row.sent = true;
    row.ref = ref;
    row.leasedUntil = null;
  }

  @Override
  public synchronized void markFailed(long id, String error, Instant nextAttempt) {
    Row row = rows.get(id);
    if (row.sent) {
      return;
    }
    row.attempts++;
    row.lastError = error;
    row.nextAttemptAt = nextAttempt;
    row.leasedUntil = null;
  }

  synchronized List<Row> all() {
    return List.copyOf(rows.values());
  }

  synchronized List<Row> unsent() {
    return rows.values().stream().filter(r -> !r.sent).toList();
  }

  synchronized Row byKey(String dedupKey) {
    Long id = byKey.get(dedupKey);
    return id == null ? null : rows.get(id);
  }
}

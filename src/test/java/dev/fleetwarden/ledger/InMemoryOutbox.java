package dev.fleetwarden.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@link Outbox} in memory, with the store's contract: idempotent enqueue, oldest-first claims
 * that keep each order key's rows in order, claims counted in {@code attempts}, and leases that
 * expire. Rows outlive any dispatcher built over it, which is how tests "restart". Fault switch:
 * {@link #failNextMarkSent}.
 */
public final class InMemoryOutbox implements Outbox {
  /** One stored row; fields are mutable like a table row. */
  private static final class Row {
    final long id;
    final String dedupKey;
    final OutboxMessage message;
    final Instant createdAt;
    OutboxRow.Status status = OutboxRow.Status.PENDING;
    int attempts;
    Instant nextAttemptAt;
    String leaseOwner;
    Instant leaseUntil;
    Instant sentAt;
    MessageRef sentAs;
    String lastError;

    Row(long id, String dedupKey, OutboxMessage message, Instant now) {
      this.id = id;
      this.dedupKey = dedupKey;
      this.message = message;
      this.createdAt = now;
      this.nextAttemptAt = now;
    }

    OutboxRow snapshot() {
      return new OutboxRow(
          id,
          dedupKey,
          message,
          status,
          attempts,
          createdAt,
          nextAttemptAt,
          leaseOwner,
          leaseUntil,
          sentAt,
          sentAs,
          lastError);
    }

    boolean pending() {
      return status == OutboxRow.Status.PENDING;
    }
  }

  /** Thrown by the fault switch: stands for the process dying; nothing catches it. */
  public static final class SimulatedCrash extends Error {
    SimulatedCrash() {
      super("process died (test fault)");
    }
  }

  /**
   * Fault switch: the next markSent throws {@link SimulatedCrash} (a crash right after sending).
   */
  public volatile boolean failNextMarkSent;

  private final Map<Long, Row> rows = new TreeMap<>();
  private final Map<String, Long> byKey = new HashMap<>();
  private final Clock clock;
  private final Duration lease;
  private final String nodeId;
  private long sequence;

  public InMemoryOutbox(Clock clock, Duration lease, String nodeId) {
    this.clock = clock;
    this.lease = lease;
    this.nodeId = nodeId;
  }

  /** An outbox on {@code clock} with a lease of five minutes. */
  public InMemoryOutbox(Clock clock) {
    this(clock, Duration.ofMinutes(5), "test-node");
  }

  /** An outbox on the system clock with a lease of five minutes. */
  public InMemoryOutbox() {
    this(Clock.systemUTC());
  }

  @Override
  public synchronized boolean enqueue(String dedupKey, OutboxMessage message) {
    if (byKey.containsKey(dedupKey)) {
      return false;
    }
    long id = ++sequence;
    rows.put(id, new Row(id, dedupKey, message, clock.instant()));
    byKey.put(dedupKey, id);
    return true;
  }

  @Override
  public synchronized List<OutboxRow> claimDue(Instant now, int limit) {
    List<Row> due = new ArrayList<>();
    Set<String> olderPending = new HashSet<>();
    for (Row row : rows.values()) {
      if (!row.pending()) {
        continue;
      }
      String key = row.message.orderKey();
      boolean blocked = key != null && !olderPending.add(key);
      boolean leased = row.leaseUntil != null && row.leaseUntil.isAfter(now);
      if (!blocked && !leased && !row.nextAttemptAt.isAfter(now)) {
        due.add(row);
      }
    }
    due.sort(Comparator.comparing((Row r) -> r.nextAttemptAt).thenComparingLong(r -> r.id));
    List<OutboxRow> claimed = new ArrayList<>();
    for (Row row : due.subList(0, Math.min(limit, due.size()))) {
      row.attempts++;
      row.leaseOwner = nodeId;
      row.leaseUntil = now.plus(lease);
      claimed.add(row.snapshot());
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
    if (row == null || !row.pending()) {
      return;
    }
    row.status = OutboxRow.Status.SENT;
    row.sentAt = clock.instant();
    row.sentAs = ref;
    row.leaseOwner = null;
    row.leaseUntil = null;
  }

  @Override
  public synchronized void markFailed(long id, String error, Instant nextAttemptAt) {
    Row row = rows.get(id);
    if (row == null || !row.pending()) {
      return;
    }
    row.lastError = error;
    row.nextAttemptAt = nextAttemptAt;
    row.leaseOwner = null;
    row.leaseUntil = null;
  }

  @Override
  public synchronized Optional<OutboxRow> row(long id) {
    return Optional.ofNullable(rows.get(id)).map(Row::snapshot);
  }

  @Override
  public synchronized Optional<OutboxRow> row(String dedupKey) {
    Long id = byKey.get(dedupKey);
    return id == null ? Optional.empty() : row(id);
  }

  @Override
  public synchronized int pendingCount() {
    return (int) rows.values().stream().filter(Row::pending).count();
  }

  @Override
  public synchronized boolean hasUnsent(String orderKey) {
    return rows.values().stream()
        .anyMatch(r -> r.pending() && orderKey.equals(r.message.orderKey()));
  }

  /** Every row, in enqueue order. */
  public synchronized List<OutboxRow> all() {
    return rows.values().stream().map(Row::snapshot).toList();
  }

  /** The rows not sent yet, in enqueue order. */
  public synchronized List<OutboxRow> unsent() {
    return rows.values().stream().filter(Row::pending).map(Row::snapshot).toList();
  }
}

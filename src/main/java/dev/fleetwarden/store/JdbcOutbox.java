package dev.fleetwarden.store;

import static dev.fleetwarden.store.Database.JSON;
import static dev.fleetwarden.store.Database.instant;
import static dev.fleetwarden.store.Database.isUniqueViolation;
import static dev.fleetwarden.store.Database.ts;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.fleetwarden.ledger.MessageRef;
import dev.fleetwarden.ledger.Outbox;
import dev.fleetwarden.ledger.OutboxMessage;
import dev.fleetwarden.ledger.OutboxRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@link Outbox} on table {@code fw_outbox}: the message as JSON in {@code payload}, its {@link
 * OutboxMessage#orderKey()} in {@code channel_key} (a standalone message gets a key of its own),
 * the message it produced as {@code channel/ts} in {@code external_ref}. Claims use {@code FOR
 * UPDATE SKIP LOCKED} on PostgreSQL and one conditional UPDATE per row elsewhere; a claim leases
 * the row to {@link StoreConfig#nodeId()} for {@link StoreConfig#outboxLease()}.
 */
final class JdbcOutbox implements Outbox {
  private final Database db;

  JdbcOutbox(Database db) {
    this.db = db;
  }

  @Override
  public boolean enqueue(String dedupKey, OutboxMessage message) {
    String orderKey = message.orderKey() != null ? message.orderKey() : "standalone/" + dedupKey;
    Instant now = db.clock.instant();
    try (Connection c = db.dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO fw_outbox (channel_key, dedup_key, payload, status, attempts,"
                    + " created_at, next_attempt_at) VALUES (?, ?, ?, 'PENDING', 0, ?, ?)")) {
      c.setAutoCommit(true);
      ps.setString(1, orderKey);
      ps.setString(2, dedupKey);
      ps.setString(3, JSON.writeValueAsString(message));
      ps.setObject(4, ts(now));
      ps.setObject(5, ts(now));
      ps.executeUpdate();
      return true;
    } catch (SQLException e) {
      if (isUniqueViolation(e)) {
        return false;
      }
      throw db.failure("enqueue outbox message " + dedupKey, e);
    } catch (JsonProcessingException e) {
      throw db.failure("write outbox message " + dedupKey + " as JSON", e);
    }
  }

  /**
   * Messages of one channel key go out in order: a row waits while an older row of the same key is
   * unsent (an edit must not overtake the post it edits).
   */
  private static final String OLDER_UNSENT_FIRST =
      " AND NOT EXISTS (SELECT 1 FROM fw_outbox p WHERE p.channel_key = o.channel_key"
          + " AND p.status = 'PENDING' AND p.id < o.id)";

  @Override
  public List<OutboxRow> claimDue(Instant now, int limit) {
    Instant leaseUntil = now.plus(db.config.outboxLease());
    return db.config.isPostgres()
        ? claimSkipLocked(now, leaseUntil, limit)
        : claimOneByOne(now, leaseUntil, limit);
  }

  private List<OutboxRow> claimSkipLocked(Instant now, Instant leaseUntil, int limit) {
    return db.inTransaction(
        "claim outbox messages",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE fw_outbox SET lease_owner = ?, lease_until = ?, attempts = attempts + 1"
                      + " WHERE id IN (SELECT o.id FROM fw_outbox o WHERE o.status = 'PENDING'"
                      + " AND o.next_attempt_at <= ? AND (o.lease_until IS NULL OR o.lease_until <= ?)"
                      + OLDER_UNSENT_FIRST
                      + " ORDER BY o.next_attempt_at, o.id LIMIT ? FOR UPDATE OF o SKIP LOCKED)"
                      + " RETURNING *")) {
            ps.setString(1, db.config.nodeId());
            ps.setObject(2, ts(leaseUntil));
            ps.setObject(3, ts(now));
            ps.setObject(4, ts(now));
            ps.setInt(5, limit);
            List<OutboxRow> out = rows(ps);
            out.sort(
                Comparator.comparing(OutboxRow::nextAttemptAt).thenComparingLong(OutboxRow::id));
            return out;
          }
        });
  }

  private List<OutboxRow> claimOneByOne(Instant now, Instant leaseUntil, int limit) {
    return db.inConnection(
        "claim outbox messages",
        c -> {
          c.setAutoCommit(true);
          List<Long> candidates = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT o.id FROM fw_outbox o WHERE o.status = 'PENDING' AND o.next_attempt_at <= ?"
                      + " AND (o.lease_until IS NULL OR o.lease_until <= ?)"
                      + OLDER_UNSENT_FIRST
                      + " ORDER BY o.next_attempt_at, o.id LIMIT ?")) {
            ps.setObject(1, ts(now));
            ps.setObject(2, ts(now));
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                candidates.add(rs.getLong(1));
              }
            }
          }
          List<OutboxRow> out = new ArrayList<>();
          // Each claim is one conditional UPDATE: of two nodes racing for a row, one updates it
          // and the other sees zero rows changed.
          try (PreparedStatement claim =
                  c.prepareStatement(
                      "UPDATE fw_outbox SET lease_owner = ?, lease_until = ?,"
                          + " attempts = attempts + 1 WHERE id = ? AND status = 'PENDING'"
                          + " AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)");
              PreparedStatement read = c.prepareStatement("SELECT * FROM fw_outbox WHERE id = ?")) {
            for (long id : candidates) {
              claim.setString(1, db.config.nodeId());
              claim.setObject(2, ts(leaseUntil));
              claim.setLong(3, id);
              claim.setObject(4, ts(now));
              claim.setObject(5, ts(now));
              if (claim.executeUpdate() == 1) {
                read.setLong(1, id);
                out.addAll(rows(read));
              }
            }
          }
          return out;
        });
  }

  @Override
  public void markSent(long id, MessageRef ref) {
    Instant now = db.clock.instant();
    db.inTransaction(
        "mark outbox message " + id + " sent",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE fw_outbox SET status = 'SENT', sent_at = ?, external_ref = ?,"
                      + " lease_owner = NULL, lease_until = NULL WHERE id = ? AND status = 'PENDING'")) {
            ps.setObject(1, ts(now));
            ps.setString(2, ref == null ? null : ref.channel() + "/" + ref.ts());
            ps.setLong(3, id);
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public void markFailed(long id, String error, Instant nextAttemptAt) {
    db.inTransaction(
        "mark outbox message " + id + " failed",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE fw_outbox SET last_error = ?, next_attempt_at = ?, lease_owner = NULL,"
                      + " lease_until = NULL WHERE id = ? AND status = 'PENDING'")) {
            ps.setString(1, error);
            ps.setObject(2, ts(nextAttemptAt));
            ps.setLong(3, id);
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public Optional<OutboxRow> row(long id) {
    return db.inConnection(
        "read outbox message " + id,
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT * FROM fw_outbox WHERE id = ?")) {
            ps.setLong(1, id);
            return rows(ps).stream().findFirst();
          }
        });
  }

  @Override
  public Optional<OutboxRow> row(String dedupKey) {
    return db.inConnection(
        "read outbox message " + dedupKey,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT * FROM fw_outbox WHERE dedup_key = ?")) {
            ps.setString(1, dedupKey);
            return rows(ps).stream().findFirst();
          }
        });
  }

  @Override
  public int pendingCount() {
    return db.inConnection(
        "count pending outbox messages",
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT COUNT(*) FROM fw_outbox WHERE status = 'PENDING'");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
          }
        });
  }

  @Override
  public boolean hasUnsent(String orderKey) {
    return db.inConnection(
        "look for unsent outbox messages of " + orderKey,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT 1 FROM fw_outbox WHERE channel_key = ? AND status = 'PENDING'")) {
            ps.setString(1, orderKey);
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next();
            }
          }
        });
  }

  private static List<OutboxRow> rows(PreparedStatement ps) throws SQLException {
    List<OutboxRow> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        long id = rs.getLong("id");
        OutboxMessage message;
        try {
          message = JSON.readValue(rs.getString("payload"), OutboxMessage.class);
        } catch (JsonProcessingException e) {
          throw new SQLException(
              "outbox row " + id + " does not hold a message: " + e.getOriginalMessage(), e);
        }
        out.add(
            new OutboxRow(
                id,
                rs.getString("dedup_key"),
                message,
                OutboxRow.Status.valueOf(rs.getString("status")),
                rs.getInt("attempts"),
                instant(rs, "created_at"),
                instant(rs, "next_attempt_at"),
                rs.getString("lease_owner"),
                instant(rs, "lease_until"),
                instant(rs, "sent_at"),
                messageRef(rs.getString("external_ref")),
                rs.getString("last_error")));
      }
    }
    return out;
  }

  /** {@code channel/ts} as written by {@link #markSent}; anything else is not a message. */
  private static MessageRef messageRef(String ref) {
    int slash = ref == null ? -1 : ref.lastIndexOf('/');
    return slash <= 0 || slash == ref.length() - 1
        ? null
        : new MessageRef(ref.substring(0, slash), ref.substring(slash + 1));
  }
}

package dev.fleetwarden.store;

import static dev.fleetwarden.store.Database.instant;
import static dev.fleetwarden.store.Database.ts;

import dev.fleetwarden.ledger.ScanRecord;
import dev.fleetwarden.ledger.Scans;
import dev.fleetwarden.model.ClusterStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Scans} on table {@code fw_scan}; {@link JdbcFindings} and {@link JdbcRevisions} append to
 * it inside their own transactions ({@link #append}).
 */
final class JdbcScans implements Scans {
  private final Database db;

  JdbcScans(Database db) {
    this.db = db;
  }

  /** Appends one entry on the caller's connection (and transaction). */
  static void append(Connection c, ScanRecord r) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO fw_scan (cluster, scope, scanned_at, revision, status, new_count,"
                + " changed_count, resolved_count, open_count, duration_ms, message)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, r.cluster());
      ps.setString(2, r.scope());
      ps.setObject(3, ts(r.at()));
      ps.setString(4, r.revision());
      ps.setString(5, r.status().name());
      ps.setInt(6, r.newCount());
      ps.setInt(7, r.changedCount());
      ps.setInt(8, r.resolvedCount());
      ps.setInt(9, r.openCount());
      ps.setLong(10, (r.duration() == null ? Duration.ZERO : r.duration()).toMillis());
      ps.setString(11, r.message());
      ps.executeUpdate();
    }
  }

  @Override
  public List<ScanRecord> recent(String cluster, int limit) {
    return db.inConnection(
        "read scan history of cluster " + cluster,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT * FROM fw_scan WHERE cluster = ? ORDER BY scanned_at DESC, id DESC"
                      + " LIMIT ?")) {
            ps.setString(1, cluster);
            ps.setInt(2, Math.max(0, limit));
            return scans(ps);
          }
        });
  }

  @Override
  public List<ScanRecord> lastOfEachCluster() {
    return db.inConnection(
        "read last scans",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT s.* FROM fw_scan s WHERE s.id = (SELECT MAX(t.id) FROM fw_scan t"
                      + " WHERE t.cluster = s.cluster) ORDER BY s.cluster")) {
            return scans(ps);
          }
        });
  }

  @Override
  public int prune(Instant before) {
    return db.inTransaction(
        "prune scan history",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM fw_scan WHERE scanned_at < ?")) {
            ps.setObject(1, ts(before));
            return ps.executeUpdate();
          }
        });
  }

  private static List<ScanRecord> scans(PreparedStatement ps) throws SQLException {
    List<ScanRecord> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new ScanRecord(
                rs.getLong("id"),
                rs.getString("cluster"),
                rs.getString("scope"),
                instant(rs, "scanned_at"),
                rs.getString("revision"),
                ClusterStatus.valueOf(rs.getString("status")),
                rs.getInt("new_count"),
                rs.getInt("changed_count"),
                rs.getInt("resolved_count"),
                rs.getInt("open_count"),
                Duration.ofMillis(rs.getLong("duration_ms")),
                rs.getString("message")));
      }
    }
    return out;
  }
}

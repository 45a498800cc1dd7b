package dev.fleetwarden.store;

import static dev.fleetwarden.store.Database.instant;
import static dev.fleetwarden.store.Database.ts;
import static dev.fleetwarden.store.Database.upsert;

import dev.fleetwarden.ledger.RevisionState;
import dev.fleetwarden.ledger.Revisions;
import dev.fleetwarden.ledger.ScanRecord;
import dev.fleetwarden.model.ClusterStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link Revisions} on table {@code fw_revision}; a render error is also appended to the scan
 * history, and {@link JdbcRenderHistory} marks good revisions ({@link #markGood}).
 */
final class JdbcRevisions implements Revisions {
  private final Database db;

  JdbcRevisions(Database db) {
    this.db = db;
  }

  /** Marks {@code revision} good and clears the render error, on the caller's connection. */
  static void markGood(Connection c, String cluster, String revision, Instant at)
      throws SQLException {
    upsert(
        c,
        "UPDATE fw_revision SET good_revision = ?, good_at = ?, error_revision = NULL,"
            + " error_message = NULL, error_at = NULL WHERE cluster = ?",
        "INSERT INTO fw_revision (good_revision, good_at, cluster) VALUES (?, ?, ?)",
        revision,
        ts(at),
        cluster);
  }

  @Override
  public void recordRenderError(String cluster, String revision, String message) {
    Instant now = db.clock.instant();
    db.inTransaction(
        "record render error of cluster " + cluster,
        c -> {
          upsert(
              c,
              "UPDATE fw_revision SET error_revision = ?, error_message = ?, error_at = ?"
                  + " WHERE cluster = ?",
              "INSERT INTO fw_revision (error_revision, error_message, error_at, cluster)"
                  + " VALUES (?, ?, ?, ?)",
              revision,
              message,
              ts(now),
              cluster);
          JdbcScans.append(
              c,
              new ScanRecord(
                  0,
                  cluster,
                  "all",
                  now,
                  revision,
                  ClusterStatus.RENDER_ERROR,
                  0,
                  0,
                  0,
                  JdbcFindings.countOpen(c, cluster),
                  Duration.ZERO,
                  message));
          return null;
        });
  }

  @Override
  public Optional<RevisionState> state(String cluster) {
    return db.inConnection(
        "read revision state of cluster " + cluster,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT * FROM fw_revision WHERE cluster = ?")) {
            ps.setString(1, cluster);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  new RevisionState(
                      cluster,
                      rs.getString("good_revision"),
                      instant(rs, "good_at"),
                      rs.getString("error_revision"),
                      rs.getString("error_message"),
                      instant(rs, "error_at")));
            }
          }
        });
  }
}

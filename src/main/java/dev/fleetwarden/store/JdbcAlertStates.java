package dev.fleetwarden.store;

import static dev.fleetwarden.store.Database.instant;
import static dev.fleetwarden.store.Database.timestampOrNull;
import static dev.fleetwarden.store.Database.ts;
import static dev.fleetwarden.store.Database.upsert;

import dev.fleetwarden.ledger.AlertState;
import dev.fleetwarden.ledger.AlertStates;
import dev.fleetwarden.ledger.AlertStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link AlertStates} on table {@code fw_alert_state}, one row per fingerprint. */
final class JdbcAlertStates implements AlertStates {
  private final Database db;

  JdbcAlertStates(Database db) {
    this.db = db;
  }

  @Override
  public Optional<AlertState> find(String cluster, String fingerprint) {
    return db.inConnection(
        "read alert state " + fingerprint,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT * FROM fw_alert_state WHERE fingerprint = ? AND cluster = ?")) {
            ps.setString(1, fingerprint);
            ps.setString(2, cluster);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              return Optional.of(state(rs));
            }
          }
        });
  }

  @Override
  public List<AlertState> openOf(String cluster) {
    return db.inConnection(
        "read open alert states of " + cluster,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT * FROM fw_alert_state WHERE cluster = ? AND status = ?"
                      + " ORDER BY fingerprint")) {
            ps.setString(1, cluster);
            ps.setString(2, AlertStatus.OPEN.name());
            List<AlertState> open = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                open.add(state(rs));
              }
            }
            return open;
          }
        });
  }

  private static AlertState state(ResultSet rs) throws SQLException {
    return new AlertState(
        rs.getString("cluster"),
        rs.getString("fingerprint"),
        rs.getString("channel"),
        rs.getString("message_ts"),
        rs.getString("payload_hash"),
        AlertStatus.valueOf(rs.getString("status")),
        instant(rs, "created_at"),
        instant(rs, "updated_at"),
        instant(rs, "reminded_at"));
  }

  @Override
  public void save(AlertState s) {
    Instant updated = s.updatedAt() == null ? db.clock.instant() : s.updatedAt();
    db.inTransaction(
        "save alert state " + s.fingerprint(),
        c -> {
          upsert(
              c,
              "UPDATE fw_alert_state SET cluster = ?, channel = ?, message_ts = ?,"
                  + " payload_hash = ?, status = ?, created_at = ?, updated_at = ?,"
                  + " reminded_at = ? WHERE fingerprint = ?",
              "INSERT INTO fw_alert_state (cluster, channel, message_ts, payload_hash, status,"
                  + " created_at, updated_at, reminded_at, fingerprint)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
              s.cluster(),
              s.channel(),
              s.ts(),
              s.payloadHash(),
              s.status().name(),
              timestampOrNull(s.createdAt()),
              ts(updated),
              timestampOrNull(s.remindedAt()),
              s.fingerprint());
          return null;
        });
  }
}

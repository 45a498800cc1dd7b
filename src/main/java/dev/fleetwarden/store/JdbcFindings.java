package dev.fleetwarden.store;

import static dev.fleetwarden.store.Database.JSON;
import static dev.fleetwarden.store.Database.instant;
import static dev.fleetwarden.store.Database.ts;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.Findings;
import dev.fleetwarden.ledger.ScanInput;
import dev.fleetwarden.ledger.ScanLedger;
import dev.fleetwarden.ledger.ScanOutcome;
import dev.fleetwarden.ledger.ScanRecord;
import dev.fleetwarden.model.ClusterStatus;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.store.migration.GroupRekey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link Findings} on table {@code fw_finding}: a scan locks the cluster's open findings ({@code
 * SELECT ... FOR UPDATE}), lets {@link ScanLedger} decide, writes the result and appends the scan
 * history in one transaction.
 */
final class JdbcFindings implements Findings {
  private final Database db;

  JdbcFindings(Database db) {
    this.db = db;
  }

  @Override
  public ScanOutcome recordScan(ScanInput scan) {
    return db.inTransaction(
        "record scan of cluster " + scan.cluster(),
        c -> {
          lockCluster(c, scan.cluster());
          // Findings stored before ids carried the API group adopt the drift that matches them.
          List<Finding> before =
              GroupRekey.adoptLegacy(c, selectOpen(c, scan, true), scan.drifts());
          ScanOutcome outcome = ScanLedger.compare(scan, before);
          for (Finding f : outcome.newFindings()) {
            upsertOpen(c, f);
          }
          for (ScanOutcome.Change ch : outcome.changed()) {
            resolve(c, ch.previous());
            upsertOpen(c, ch.current());
          }
          for (Finding f : outcome.resolved()) {
            resolve(c, f);
          }
          for (Finding f : outcome.stillOpen()) {
            touch(c, f);
          }
          if (scan.isObjectVerdict()) {
            return outcome;
          }
          JdbcScans.append(
              c,
              new ScanRecord(
                  0,
                  scan.cluster(),
                  scan.scopeLabel(),
                  scan.at(),
                  scan.revision(),
                  outcome.status(),
                  outcome.newFindings().size(),
                  outcome.changed().size(),
                  outcome.resolved().size(),
                  outcome.open().size(),
                  scan.duration(),
                  null));
          return outcome;
        });
  }

  @Override
  public ScanOutcome recordUnknown(
      String cluster,
      DriftSource scope,
      Instant at,
      Duration duration,
      String revision,
      String reason) {
    return db.inTransaction(
        "record unknown scan of cluster " + cluster,
        c -> {
          List<Finding> open = selectOpen(c, cluster, scope, false);
          JdbcScans.append(
              c,
              new ScanRecord(
                  0,
                  cluster,
                  ScanInput.scopeLabel(scope),
                  at,
                  revision,
                  ClusterStatus.UNKNOWN,
                  0,
                  0,
                  0,
                  open.size(),
                  duration,
                  reason));
          return new ScanOutcome(
              cluster, at, ClusterStatus.UNKNOWN, List.of(), List.of(), List.of(), open);
        });
  }

  @Override
  public List<Finding> open(String cluster) {
    return db.inConnection(
        "read open findings of cluster " + cluster, c -> selectOpen(c, cluster, null, false));
  }

  @Override
  public List<Finding> open() {
    return db.inConnection(
        "read open findings",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT * FROM fw_finding WHERE resolved_at IS NULL"
                      + " ORDER BY cluster, resource_id, fingerprint")) {
            return findings(ps);
          }
        });
  }

  @Override
  public Optional<Finding> find(String cluster, String fingerprint) {
    return db.inConnection(
        "read finding " + fingerprint,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT * FROM fw_finding WHERE cluster = ? AND fingerprint = ?")) {
            ps.setString(1, cluster);
            ps.setString(2, fingerprint);
            return findings(ps).stream().findFirst();
          }
        });
  }

  /** How many findings of a cluster are open, on the caller's connection. */
  static int countOpen(Connection c, String cluster) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT COUNT(*) FROM fw_finding WHERE cluster = ? AND resolved_at IS NULL")) {
      ps.setString(1, cluster);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /**
   * Recordings of one cluster's findings wait for each other, also across nodes: a watch verdict on
   * one node and a scan on another must not both insert the same new finding. PostgreSQL takes a
   * transaction-level advisory lock (released at commit); H2 runs on one node, where the row locks
   * suffice.
   */
  private void lockCluster(Connection c, String cluster) throws SQLException {
    if (!db.config.isPostgres()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement("SELECT pg_advisory_xact_lock(" + RECORD_LOCKS + ", hashtext(?))")) {
      ps.setString(1, cluster);
      ps.execute();
    }
  }

  /** The advisory-lock class of recording a cluster's findings ({@link #lockCluster}). */
  static final int RECORD_LOCKS = 0x66770001;

  /** The open findings a scan may change: of its scope, and of its objects for a verdict. */
  private static List<Finding> selectOpen(Connection c, ScanInput scan, boolean forUpdate)
      throws SQLException {
    if (!scan.isObjectVerdict() || scan.resources().size() > 100) {
      return selectOpen(c, scan.cluster(), scan.scope(), forUpdate);
    }
    if (scan.resources().isEmpty()) {
      return List.of();
    }
    String marks = String.join(", ", java.util.Collections.nCopies(scan.resources().size(), "?"));
    String sql =
        "SELECT * FROM fw_finding WHERE cluster = ? AND resolved_at IS NULL"
            + (scan.scope() == null ? "" : " AND source = ?")
            + " AND resource_id IN ("
            + marks
            + ") ORDER BY resource_id, fingerprint"
            + (forUpdate ? " FOR UPDATE" : "");
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setString(i++, scan.cluster());
      if (scan.scope() != null) {
        ps.setString(i++, scan.scope().name());
      }
      for (dev.fleetwarden.model.ResourceId r : scan.resources()) {
        ps.setString(i++, r.toString());
      }
      return findings(ps);
    }
  }

  private static List<Finding> selectOpen(
      Connection c, String cluster, DriftSource scope, boolean forUpdate) throws SQLException {
    String sql =
        "SELECT * FROM fw_finding WHERE cluster = ? AND resolved_at IS NULL"
            + (scope == null ? "" : " AND source = ?")
            + " ORDER BY resource_id, fingerprint"
            + (forUpdate ? " FOR UPDATE" : "");
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, cluster);
      if (scope != null) {
        ps.setString(2, scope.name());
      }
      return findings(ps);
    }
  }

  private static void upsertOpen(Connection c, Finding f) throws SQLException {
    String json = toJson(f.drift());
    try (PreparedStatement up =
        c.prepareStatement(
            "UPDATE fw_finding SET resource_id = ?, source = ?, severity = ?, drift_type = ?,"
                + " drift_json = ?, first_seen = ?, last_seen = ?, resolved_at = NULL,"
                + " first_revision = ?, last_revision = ?, superseded_by = NULL"
                + " WHERE cluster = ? AND fingerprint = ?")) {
      up.setString(1, f.resource().toString());
      up.setString(2, name(f.source()));
      up.setString(3, f.severity().name());
      up.setString(4, f.type().name());
      up.setString(5, json);
      up.setObject(6, ts(f.firstSeen()));
      up.setObject(7, ts(f.lastSeen()));
      up.setString(8, f.firstRevision());
      up.setString(9, f.lastRevision());
      up.setString(10, f.cluster());
      up.setString(11, f.fingerprint());
      if (up.executeUpdate() == 1) {
        return;
      }
    }
    try (PreparedStatement in =
        c.prepareStatement(
            "INSERT INTO fw_finding (cluster, fingerprint, resource_id, source, severity,"
                + " drift_type, drift_json, first_seen, last_seen, resolved_at, first_revision,"
                + " last_revision, superseded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?,"
                + " NULL)")) {
      in.setString(1, f.cluster());
      in.setString(2, f.fingerprint());
      in.setString(3, f.resource().toString());
      in.setString(4, name(f.source()));
      in.setString(5, f.severity().name());
      in.setString(6, f.type().name());
      in.setString(7, json);
      in.setObject(8, ts(f.firstSeen()));
      in.setObject(9, ts(f.lastSeen()));
      in.setString(10, f.firstRevision());
      in.setString(11, f.lastRevision());
      in.executeUpdate();
    }
  }

  private static void resolve(Connection c, Finding f) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE fw_finding SET resolved_at = ?, superseded_by = ?"
                + " WHERE cluster = ? AND fingerprint = ?")) {
      ps.setObject(1, ts(f.resolvedAt()));
      ps.setString(2, f.supersededBy());
      ps.setString(3, f.cluster());
      ps.setString(4, f.fingerprint());
      ps.executeUpdate();
    }
  }

  private static void touch(Connection c, Finding f) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE fw_finding SET last_seen = ?, last_revision = ?, drift_json = ?, severity = ?"
                + " WHERE cluster = ? AND fingerprint = ?")) {
      ps.setObject(1, ts(f.lastSeen()));
      ps.setString(2, f.lastRevision());
      ps.setString(3, toJson(f.drift()));
      ps.setString(4, f.severity().name());
      ps.setString(5, f.cluster());
      ps.setString(6, f.fingerprint());
      ps.executeUpdate();
    }
  }

  private static List<Finding> findings(PreparedStatement ps) throws SQLException {
    List<Finding> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new Finding(
                rs.getString("cluster"),
                rs.getString("fingerprint"),
                fromJson(rs.getString("drift_json")),
                instant(rs, "first_seen"),
                instant(rs, "last_seen"),
                instant(rs, "resolved_at"),
                rs.getString("first_revision"),
                rs.getString("last_revision"),
                rs.getString("superseded_by")));
      }
    }
    return out;
  }

  private static String name(Enum<?> e) {
    return e == null ? "" : e.name();
  }

  private static String toJson(ObjectDrift d) throws SQLException {
    try {
      return JSON.writeValueAsString(d);
    } catch (JsonProcessingException e) {
      throw new SQLException("drift of " + d.resource() + " cannot be written as JSON", e);
    }
  }

  private static ObjectDrift fromJson(String json) throws SQLException {
    try {
      return JSON.readValue(json, ObjectDrift.class);
    } catch (JsonProcessingException e) {
      throw new SQLException("stored drift is not readable JSON: " + e.getOriginalMessage(), e);
    }
  }
}

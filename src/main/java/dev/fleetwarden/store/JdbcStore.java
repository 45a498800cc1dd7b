package dev.fleetwarden.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.fleetwarden.drift.SecretHasher;
import dev.fleetwarden.model.ClusterStatus;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.Severity;
import dev.fleetwarden.store.migration.GroupRekey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Store} over JDBC: a HikariCP pool, Flyway migrations from {@code db/migration/common}
 * and {@code db/migration/{vendor}} (which also create the Quartz tables) and the Java migrations
 * of {@code dev.fleetwarden.store.migration}, plain SQL that H2 2.x and PostgreSQL both accept.
 * Outbox claims use {@code FOR UPDATE SKIP LOCKED} on PostgreSQL and an atomic conditional UPDATE
 * elsewhere.
 */
public final class JdbcStore implements Store {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);
  private static final String UNIQUE_VIOLATION = "23505";

  /** The JSON mapper used for stored drifts. */
  static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** The row of {@code fw_value_hash_key} that holds the installation's key. */
  private static final String VALUE_HASH_KEY_ID = "secret-values";

  private final StoreConfig config;
  private final HikariDataSource dataSource;
  private final Clock clock;
  private final byte[] valueHashKey;

  private JdbcStore(
      StoreConfig config, HikariDataSource dataSource, Clock clock, byte[] valueHashKey) {
    this.config = config;
    this.dataSource = dataSource;
    this.clock = clock;
    this.valueHashKey = valueHashKey;
  }

  /** Opens the database, migrating it to the current schema. */
  public static JdbcStore open(StoreConfig config) {
    return open(config, Clock.systemUTC());
  }

  /** Opens the database with a clock (for the timestamps the API does not take as arguments). */
  public static JdbcStore open(StoreConfig config, Clock clock) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(config.jdbcUrl());
    hc.setDriverClassName(config.driverClassName());
    if (config.user() != null) {
      hc.setUsername(config.user());
    }
    if (config.password() != null) {
      hc.setPassword(config.password());
    }
    hc.setMaximumPoolSize(config.maxPoolSize());
    hc.setMinimumIdle(1);
    hc.setPoolName("fleetwarden-store");
    hc.setInitializationFailTimeout(Math.max(1, config.connectTimeout().toMillis()));
    HikariDataSource ds;
    try {
      ds = new HikariDataSource(hc);
    } catch (RuntimeException e) {
      throw new StoreException(
          "cannot connect to the database "
              + config.redactedUrl()
              + ": "
              + config.redact(e.getMessage())
              + "; check the JDBC URL, user and that the database is running",
          redacted(config, e));
    }
    try {
      migrate(ds);
    } catch (RuntimeException e) {
      ds.close();
      throw new StoreException(
          "cannot migrate the database "
              + config.redactedUrl()
              + ": "
              + config.redact(e.getMessage()),
          redacted(config, e));
    }
    byte[] key;
    try {
      key = loadOrCreateValueHashKey(ds, clock.instant());
    } catch (SQLException | RuntimeException e) {
      ds.close();
      throw new StoreException(
          "cannot read the value hash key from the database "
              + config.redactedUrl()
              + ": "
              + config.redact(e.getMessage()),
          redacted(config, e));
    }
    LOG.info("store open: {}", config.redactedUrl());
    return new JdbcStore(config, ds, clock, key);
  }

  /**
   * The installation's key, created with SecureRandom when the table holds none. When two nodes
   * start at once, the first insert wins and the other node reads the winner's key.
   */
  private static byte[] loadOrCreateValueHashKey(DataSource ds, Instant now) throws SQLException {
    try (Connection c = ds.getConnection()) {
      byte[] existing = readValueHashKey(c);
      if (existing != null) {
        return existing;
      }
      byte[] key = SecretHasher.newKey();
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO fw_value_hash_key (id, key_hex, created_at) VALUES (?, ?, ?)")) {
        ps.setString(1, VALUE_HASH_KEY_ID);
        ps.setString(2, HexFormat.of().formatHex(key));
        ps.setObject(3, ts(now));
        ps.executeUpdate();
        LOG.info("created the value hash key of this installation (kept in the store)");
        return key;
      } catch (SQLException e) {
        if (!isUniqueViolation(e)) {
          throw e;
        }
        byte[] winner = readValueHashKey(c);
        if (winner == null) {
          throw e;
        }
        return winner;
      }
    }
  }

  private static byte[] readValueHashKey(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT key_hex FROM fw_value_hash_key WHERE id = ?")) {
      ps.setString(1, VALUE_HASH_KEY_ID);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        byte[] key;
        try {
          key = HexFormat.of().parseHex(rs.getString(1));
        } catch (IllegalArgumentException e) {
          key = new byte[0];
        }
        if (key.length < SecretHasher.MIN_KEY_BYTES) {
          throw new StoreException(
              "the value hash key in table fw_value_hash_key is damaged; delete its row to create"
                  + " a new key (Secret hashes and the fingerprints of Secret drift change once)",
              null);
        }
        return key;
      }
    }
  }

  /** Runs the Flyway migrations on a data source (idempotent). */
  public static void migrate(DataSource ds) {
    Flyway.configure()
        .dataSource(ds)
        .locations(
            "classpath:db/migration/common",
            "classpath:db/migration/" + vendor(ds),
            "classpath:dev/fleetwarden/store/migration")
        .load()
        .migrate();
  }

  /** The folder name of the database's own migrations: {@code h2} or {@code postgresql}. */
  static String vendor(DataSource ds) {
    String product;
    try (Connection c = ds.getConnection()) {
      product = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT);
    } catch (SQLException e) {
      throw new StoreException("cannot read the database product name: " + e.getMessage(), e);
    }
    if (product.contains("postgres")) {
      return "postgresql";
    }
    if (product.contains("h2")) {
      return "h2";
    }
    throw new StoreException(
        "unsupported database '" + product + "'; use PostgreSQL or the embedded H2 file", null);
  }

  /** The pooled data source (for components that share the database). */
  public DataSource dataSource() {
    return dataSource;
  }

  public StoreConfig config() {
    return config;
  }

  @Override
  public byte[] valueHashKey() {
    return valueHashKey.clone();
  }

  @Override
  public void close() {
    dataSource.close();
  }

  // ---------------------------------------------------------------- findings

  @Override
  public ScanOutcome recordScan(ScanInput scan) {
    return inTransaction(
        "record scan of cluster " + scan.cluster(),
        c -> {
          List<Finding> before =
              GroupRekey.adoptLegacy(
                  c, selectOpen(c, scan.cluster(), scan.scope(), true), scan.drifts());
          ScanOutcome outcome =
              ScanLedger.compare(
                  scan.cluster(), scan.scope(), scan.at(), scan.revision(), before, scan.drifts());
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
          appendScan(
              c,
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
              null);
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
    return inTransaction(
        "record unknown scan of cluster " + cluster,
        c -> {
          List<Finding> open = selectOpen(c, cluster, scope, false);
          appendScan(
              c,
              cluster,
              ScanInput.scopeLabel(scope),
              at,
              revision,
              ClusterStatus.UNKNOWN,
              0,
              0,
              0,
              open.size(),
              duration == null ? Duration.ZERO : duration,
              reason);
          return new ScanOutcome(
              cluster, at, ClusterStatus.UNKNOWN, List.of(), List.of(), List.of(), open);
        });
  }

  @Override
  public List<Finding> openFindings(String cluster) {
    return inConnection(
        "read open findings of cluster " + cluster, c -> selectOpen(c, cluster, null, false));
  }

  @Override
  public List<Finding> openFindings() {
    return inConnection(
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
  public Optional<Finding> finding(String cluster, String fingerprint) {
    return inConnection(
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

  private List<Finding> selectOpen(
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

  private void upsertOpen(Connection c, Finding f) throws SQLException {
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

  private void resolve(Connection c, Finding f) throws SQLException {
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

  private void touch(Connection c, Finding f) throws SQLException {
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
        String source = rs.getString("source");
        out.add(
            new Finding(
                rs.getString("cluster"),
                rs.getString("fingerprint"),
                ResourceId.parse(rs.getString("resource_id")),
                source == null || source.isEmpty() ? null : DriftSource.valueOf(source),
                Severity.valueOf(rs.getString("severity")),
                DriftType.valueOf(rs.getString("drift_type")),
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

  // ---------------------------------------------------------------- scan history

  private void appendScan(
      Connection c,
      String cluster,
      String scope,
      Instant at,
      String revision,
      ClusterStatus status,
      int newCount,
      int changedCount,
      int resolvedCount,
      int openCount,
      Duration duration,
      String message)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO fw_scan (cluster, scope, scanned_at, revision, status, new_count,"
                + " changed_count, resolved_count, open_count, duration_ms, message)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, cluster);
      ps.setString(2, scope);
      ps.setObject(3, ts(at));
      ps.setString(4, revision);
      ps.setString(5, status.name());
      ps.setInt(6, newCount);
      ps.setInt(7, changedCount);
      ps.setInt(8, resolvedCount);
      ps.setInt(9, openCount);
      ps.setLong(10, duration.toMillis());
      ps.setString(11, message);
      ps.executeUpdate();
    }
  }

  @Override
  public List<ScanRecord> recentScans(String cluster, int limit) {
    return inConnection(
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
  public Optional<ScanRecord> lastScan(String cluster) {
    return recentScans(cluster, 1).stream().findFirst();
  }

  @Override
  public List<ScanRecord> lastScans() {
    return inConnection(
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
  public int pruneScans(Instant before) {
    return inTransaction(
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

  // ---------------------------------------------------------------- renders and revisions

  @Override
  public Optional<PreviousRender> previousRender(String cluster) {
    return inConnection(
        "read previous render of cluster " + cluster,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT * FROM fw_render WHERE cluster = ?")) {
            ps.setString(1, cluster);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              List<String> ids =
                  JSON.readValue(
                      rs.getString("resource_ids"), new TypeReference<List<String>>() {});
              TreeSet<ResourceId> set = new TreeSet<>();
              ids.forEach(id -> set.add(ResourceId.parse(id)));
              return Optional.of(
                  new PreviousRender(
                      cluster, rs.getString("revision"), set, instant(rs, "saved_at")));
            }
          }
        });
  }

  @Override
  public void saveRender(String cluster, String revision, Collection<ResourceId> ids) {
    List<String> sorted = new TreeSet<>(ids).stream().map(ResourceId::toString).toList();
    Instant now = clock.instant();
    inTransaction(
        "save render of cluster " + cluster,
        c -> {
          upsert(
              c,
              "UPDATE fw_render SET revision = ?, resource_ids = ?, saved_at = ? WHERE cluster = ?",
              "INSERT INTO fw_render (revision, resource_ids, saved_at, cluster) VALUES (?, ?, ?, ?)",
              revision,
              JSON.writeValueAsString(sorted),
              ts(now),
              cluster);
          upsert(
              c,
              "UPDATE fw_revision SET good_revision = ?, good_at = ?, error_revision = NULL,"
                  + " error_message = NULL, error_at = NULL WHERE cluster = ?",
              "INSERT INTO fw_revision (good_revision, good_at, cluster) VALUES (?, ?, ?)",
              revision,
              ts(now),
              cluster);
          return null;
        });
  }

  @Override
  public void recordRenderError(String cluster, String revision, String message) {
    Instant now = clock.instant();
    inTransaction(
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
          int open = selectOpen(c, cluster, null, false).size();
          appendScan(
              c,
              cluster,
              "all",
              now,
              revision,
              ClusterStatus.RENDER_ERROR,
              0,
              0,
              0,
              open,
              Duration.ZERO,
              message);
          return null;
        });
  }

  @Override
  public Optional<RevisionState> revisionState(String cluster) {
    return inConnection(
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

  // ---------------------------------------------------------------- outbox

  @Override
  public boolean enqueue(String channelKey, String dedupKey, String payloadJson) {
    Instant now = clock.instant();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO fw_outbox (channel_key, dedup_key, payload, status, attempts,"
                    + " created_at, next_attempt_at) VALUES (?, ?, ?, 'PENDING', 0, ?, ?)")) {
      c.setAutoCommit(true);
      ps.setString(1, channelKey);
      ps.setString(2, dedupKey);
      ps.setString(3, payloadJson);
      ps.setObject(4, ts(now));
      ps.setObject(5, ts(now));
      ps.executeUpdate();
      return true;
    } catch (SQLException e) {
      if (isUniqueViolation(e)) {
        return false;
      }
      throw new StoreException(
          "cannot enqueue outbox message " + dedupKey + ": " + config.redact(e.getMessage()),
          redacted(config, e));
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
  public List<OutboxMessage> claimDue(Instant now, int limit) {
    Instant leaseUntil = now.plus(config.outboxLease());
    return config.isPostgres()
        ? claimSkipLocked(now, leaseUntil, limit)
        : claimOneByOne(now, leaseUntil, limit);
  }

  private List<OutboxMessage> claimSkipLocked(Instant now, Instant leaseUntil, int limit) {
    return inTransaction(
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
            ps.setString(1, config.nodeId());
            ps.setObject(2, ts(leaseUntil));
            ps.setObject(3, ts(now));
            ps.setObject(4, ts(now));
            ps.setInt(5, limit);
            List<OutboxMessage> out = messages(ps);
            out.sort(
                java.util.Comparator.comparing(OutboxMessage::nextAttemptAt)
                    .thenComparingLong(OutboxMessage::id));
            return out;
          }
        });
  }

  private List<OutboxMessage> claimOneByOne(Instant now, Instant leaseUntil, int limit) {
    return inConnection(
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
          List<OutboxMessage> out = new ArrayList<>();
          // Each claim is one conditional UPDATE: of two nodes racing for a row, one updates it
          // and the other sees zero rows changed.
          try (PreparedStatement claim =
                  c.prepareStatement(
                      "UPDATE fw_outbox SET lease_owner = ?, lease_until = ?,"
                          + " attempts = attempts + 1 WHERE id = ? AND status = 'PENDING'"
                          + " AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)");
              PreparedStatement read = c.prepareStatement("SELECT * FROM fw_outbox WHERE id = ?")) {
            for (long id : candidates) {
              claim.setString(1, config.nodeId());
              claim.setObject(2, ts(leaseUntil));
              claim.setLong(3, id);
              claim.setObject(4, ts(now));
              claim.setObject(5, ts(now));
              if (claim.executeUpdate() == 1) {
                read.setLong(1, id);
                out.addAll(messages(read));
              }
            }
          }
          return out;
        });
  }

  @Override
  public void markSent(long id, String externalRef) {
    Instant now = clock.instant();
    inTransaction(
        "mark outbox message " + id + " sent",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE fw_outbox SET status = 'SENT', sent_at = ?, external_ref = ?,"
                      + " lease_owner = NULL, lease_until = NULL WHERE id = ? AND status = 'PENDING'")) {
            ps.setObject(1, ts(now));
            ps.setString(2, externalRef);
            ps.setLong(3, id);
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public void markFailed(long id, String error, Instant nextAttemptAt) {
    inTransaction(
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
  public Optional<OutboxMessage> message(long id) {
    return inConnection(
        "read outbox message " + id,
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT * FROM fw_outbox WHERE id = ?")) {
            ps.setLong(1, id);
            return messages(ps).stream().findFirst();
          }
        });
  }

  @Override
  public Optional<OutboxMessage> messageByDedupKey(String dedupKey) {
    return inConnection(
        "read outbox message " + dedupKey,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT * FROM fw_outbox WHERE dedup_key = ?")) {
            ps.setString(1, dedupKey);
            return messages(ps).stream().findFirst();
          }
        });
  }

  @Override
  public int pendingCount() {
    return inConnection(
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

  private static List<OutboxMessage> messages(PreparedStatement ps) throws SQLException {
    List<OutboxMessage> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new OutboxMessage(
                rs.getLong("id"),
                rs.getString("channel_key"),
                rs.getString("dedup_key"),
                rs.getString("payload"),
                OutboxMessage.Status.valueOf(rs.getString("status")),
                rs.getInt("attempts"),
                instant(rs, "created_at"),
                instant(rs, "next_attempt_at"),
                rs.getString("lease_owner"),
                instant(rs, "lease_until"),
                instant(rs, "sent_at"),
                rs.getString("external_ref"),
                rs.getString("last_error")));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- alert and PR state

  @Override
  public Optional<AlertState> alertState(String fingerprint) {
    return inConnection(
        "read alert state " + fingerprint,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT * FROM fw_alert_state WHERE fingerprint = ?")) {
            ps.setString(1, fingerprint);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  new AlertState(
                      rs.getString("fingerprint"),
                      rs.getString("cluster"),
                      rs.getString("channel"),
                      rs.getString("message_ref"),
                      rs.getString("payload_hash"),
                      instant(rs, "updated_at")));
            }
          }
        });
  }

  @Override
  public void saveAlertState(AlertState s) {
    Instant at = s.updatedAt() == null ? clock.instant() : s.updatedAt();
    inTransaction(
        "save alert state " + s.fingerprint(),
        c -> {
          upsert(
              c,
              "UPDATE fw_alert_state SET cluster = ?, channel = ?, message_ref = ?,"
                  + " payload_hash = ?, updated_at = ? WHERE fingerprint = ?",
              "INSERT INTO fw_alert_state (cluster, channel, message_ref, payload_hash,"
                  + " updated_at, fingerprint) VALUES (?, ?, ?, ?, ?, ?)",
              s.cluster(),
              s.channel(),
              s.messageRef(),
              s.payloadHash(),
              ts(at),
              s.fingerprint());
          return null;
        });
  }

  @Override
  public Optional<PullRequestState> pullRequestState(String fingerprint) {
    return inConnection(
        "read pull request state " + fingerprint,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT * FROM fw_pr_state WHERE fingerprint = ?")) {
            ps.setString(1, fingerprint);
            return pullRequests(ps).stream().findFirst();
          }
        });
  }

  @Override
  public void savePullRequestState(PullRequestState s) {
    Instant at = s.updatedAt() == null ? clock.instant() : s.updatedAt();
    inTransaction(
        "save pull request state " + s.fingerprint(),
        c -> {
          upsert(
              c,
              "UPDATE fw_pr_state SET cluster = ?, resource = ?, branch = ?, pr_number = ?,"
                  + " url = ?, head_commit = ?, status = ?, updated_at = ? WHERE fingerprint = ?",
              "INSERT INTO fw_pr_state (cluster, resource, branch, pr_number, url, head_commit,"
                  + " status, updated_at, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
              s.cluster(),
              s.resource(),
              s.branch(),
              integerOrNull(s.number()),
              s.url(),
              s.commit(),
              s.status().name(),
              ts(at),
              s.fingerprint());
          return null;
        });
  }

  @Override
  public List<PullRequestState> pullRequests(PullRequestState.Status status) {
    return inConnection(
        "read pull requests",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT * FROM fw_pr_state WHERE status = ? ORDER BY fingerprint")) {
            ps.setString(1, status.name());
            return pullRequests(ps);
          }
        });
  }

  @Override
  public void deletePullRequestState(String fingerprint) {
    inTransaction(
        "delete pull request state " + fingerprint,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM fw_pr_state WHERE fingerprint = ?")) {
            ps.setString(1, fingerprint);
            ps.executeUpdate();
          }
          return null;
        });
  }

  private static List<PullRequestState> pullRequests(PreparedStatement ps) throws SQLException {
    List<PullRequestState> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        int n = rs.getInt("pr_number");
        Integer number = rs.wasNull() ? null : n;
        out.add(
            new PullRequestState(
                rs.getString("fingerprint"),
                rs.getString("cluster"),
                rs.getString("resource"),
                rs.getString("branch"),
                number,
                rs.getString("url"),
                rs.getString("head_commit"),
                PullRequestState.Status.valueOf(rs.getString("status")),
                instant(rs, "updated_at")));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- plumbing

  /** Work done on one connection. */
  @FunctionalInterface
  private interface SqlWork<T> {
    T apply(Connection c) throws SQLException, JsonProcessingException;
  }

  private <T> T inConnection(String what, SqlWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.apply(c);
    } catch (SQLException | JsonProcessingException e) {
      throw new StoreException(
          "cannot " + what + ": " + config.redact(e.getMessage()), redacted(config, e));
    }
  }

  /**
   * A copy of an exception chain with every message redacted by {@link StoreConfig#redact}: the
   * same classes named, the same stack traces, no password. Drivers quote the URL in some messages
   * (H2: "URL format error ... but is ..."), and an uncaught exception prints its whole chain.
   */
  static Throwable redacted(StoreConfig config, Throwable t) {
    if (t == null) {
      return null;
    }
    String message = t.getMessage() == null ? "" : ": " + config.redact(t.getMessage());
    RedactedCause copy =
        new RedactedCause(t.getClass().getName() + message, redacted(config, t.getCause()));
    copy.setStackTrace(t.getStackTrace());
    return copy;
  }

  /** Stands in for a driver's exception whose message may have quoted the JDBC URL. */
  static final class RedactedCause extends Exception {
    RedactedCause(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private <T> T inTransaction(String what, SqlWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.apply(c);
        c.commit();
        return result;
      } catch (SQLException | JsonProcessingException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException | JsonProcessingException e) {
      throw new StoreException(
          "cannot " + what + ": " + config.redact(e.getMessage()), redacted(config, e));
    }
  }

  /**
   * Update-then-insert on a key-value row. The key is the last parameter of both statements. A
   * concurrent insert of the same key makes the insert fail; the update is then retried.
   */
  private static void upsert(Connection c, String update, String insert, Object... params)
      throws SQLException {
    if (execute(c, update, params) == 1) {
      return;
    }
    java.sql.Savepoint sp = c.getAutoCommit() ? null : c.setSavepoint();
    try {
      execute(c, insert, params);
    } catch (SQLException e) {
      if (!isUniqueViolation(e)) {
        throw e;
      }
      if (sp != null) {
        c.rollback(sp);
      }
      execute(c, update, params);
    }
  }

  private static int execute(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        if (params[i] == null) {
          ps.setNull(i + 1, java.sql.Types.VARCHAR);
        } else if (params[i] instanceof NullOf n) {
          ps.setNull(i + 1, n.sqlType());
        } else {
          ps.setObject(i + 1, params[i]);
        }
      }
      return ps.executeUpdate();
    }
  }

  /**
   * A NULL of a given SQL type: PostgreSQL needs the type of a NULL parameter, and a plain {@code
   * null} is sent as text (every other nullable parameter of the key-value tables is text).
   */
  private record NullOf(int sqlType) {}

  private static Object integerOrNull(Integer value) {
    return value == null ? new NullOf(java.sql.Types.INTEGER) : value;
  }

  private static boolean isUniqueViolation(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  static OffsetDateTime ts(Instant i) {
    return i == null
        ? null
        : OffsetDateTime.ofInstant(i.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
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

package dev.fleetwarden.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.fleetwarden.ledger.AlertStates;
import dev.fleetwarden.ledger.Findings;
import dev.fleetwarden.ledger.Ledger;
import dev.fleetwarden.ledger.Outbox;
import dev.fleetwarden.ledger.PullRequests;
import dev.fleetwarden.ledger.RenderHistory;
import dev.fleetwarden.ledger.Revisions;
import dev.fleetwarden.ledger.Scans;
import dev.fleetwarden.ledger.ValueHashKey;
import dev.fleetwarden.watch.ClusterLeases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Ledger} in a database: opens a HikariCP pool, runs the Flyway migrations from {@code
 * db/migration/common} and {@code db/migration/{vendor}} (which also create the Quartz tables and
 * the Java migrations of {@code dev.fleetwarden.store.migration}), reads or creates the
 * installation's value hash key, and hands out one JDBC class per table ({@link JdbcFindings},
 * {@link JdbcScans}, {@link JdbcRenderHistory}, {@link JdbcRevisions}, {@link JdbcOutbox}, {@link
 * JdbcAlertStates}, {@link JdbcPullRequests}), all sharing the pool. Every statement is plain SQL
 * that H2 2.x and PostgreSQL both accept, except the PostgreSQL outbox claim ({@code FOR UPDATE
 * SKIP LOCKED}).
 */
public final class JdbcStore implements Ledger, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);

  /** The row of {@code fw_value_hash_key} that holds the installation's key. */
  private static final String VALUE_HASH_KEY_ID = "secret-values";

  private final StoreConfig config;
  private final HikariDataSource dataSource;
  private final byte[] valueHashKey;
  private final Findings findings;
  private final Scans scans;
  private final RenderHistory renderHistory;
  private final Revisions revisions;
  private final Outbox outbox;
  private final AlertStates alertStates;
  private final PullRequests pullRequests;

  private JdbcStore(
      StoreConfig config, HikariDataSource dataSource, Clock clock, byte[] valueHashKey) {
    this.config = config;
    this.dataSource = dataSource;
    this.valueHashKey = valueHashKey;
    Database db = new Database(dataSource, config, clock);
    this.findings = new JdbcFindings(db);
    this.scans = new JdbcScans(db);
    this.renderHistory = new JdbcRenderHistory(db);
    this.revisions = new JdbcRevisions(db);
    this.outbox = new JdbcOutbox(db);
    this.alertStates = new JdbcAlertStates(db);
    this.pullRequests = new JdbcPullRequests(db);
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
          Database.redacted(config, e));
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
          Database.redacted(config, e));
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
          Database.redacted(config, e));
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
      byte[] key = ValueHashKey.generate();
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO fw_value_hash_key (id, key_hex, created_at) VALUES (?, ?, ?)")) {
        ps.setString(1, VALUE_HASH_KEY_ID);
        ps.setString(2, ValueHashKey.toHex(key));
        ps.setObject(3, Database.ts(now));
        ps.executeUpdate();
        LOG.info("created the value hash key of this installation (kept in the store)");
        return key;
      } catch (SQLException e) {
        if (!Database.isUniqueViolation(e)) {
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
        byte[] key = ValueHashKey.fromHex(rs.getString(1));
        if (key == null) {
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
      product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
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

  /**
   * Which clusters this node watches: with PostgreSQL one advisory lock per cluster on a connection
   * of its own (close the result to release them); with H2, one node, all of them.
   */
  public ClusterLeases clusterLeases() {
    return config.isPostgres() ? new PostgresClusterLeases(config) : ClusterLeases.single();
  }

  public StoreConfig config() {
    return config;
  }

  @Override
  public byte[] valueHashKey() {
    return valueHashKey.clone();
  }

  @Override
  public Findings findings() {
    return findings;
  }

  @Override
  public Scans scans() {
    return scans;
  }

  @Override
  public RenderHistory renderHistory() {
    return renderHistory;
  }

  @Override
  public Revisions revisions() {
    return revisions;
  }

  @Override
  public Outbox outbox() {
    return outbox;
  }

  @Override
  public AlertStates alertStates() {
    return alertStates;
  }

  @Override
  public PullRequests pullRequests() {
    return pullRequests;
  }

  /** Releases the connections; the data stays. */
  @Override
  public void close() {
    dataSource.close();
  }
}

package dev.fleetwarden.store;

import dev.fleetwarden.watch.ClusterLeases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClusterLeases} as PostgreSQL session-level advisory locks, one per cluster ({@code
 * pg_try_advisory_lock(class, hashtext(cluster))}), held on a connection of their own, outside the
 * pool (a pooled connection could be recycled, and its locks with it). The server releases them
 * when the connection ends: a node killed with SIGKILL loses its clusters as soon as its socket
 * closes, and another node's next {@link #hold} takes them. A node whose connection broke gives up
 * every cluster and opens a new one.
 */
final class PostgresClusterLeases implements ClusterLeases {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresClusterLeases.class);

  /** The advisory-lock class of watch leases (apart from those of recording findings). */
  static final int LEASE_LOCKS = 0x66770002;

  private final StoreConfig config;
  private final Set<String> held = new HashSet<>();
  private Connection connection;
  private boolean closed;

  PostgresClusterLeases(StoreConfig config) {
    if (!config.isPostgres()) {
      throw new IllegalArgumentException("advisory locks need PostgreSQL");
    }
    this.config = config;
  }

  @Override
  public synchronized Set<String> hold(Collection<String> wanted) {
    if (closed) {
      return Set.of();
    }
    try {
      Connection c = connection();
      for (String cluster : new ArrayList<>(held)) {
        if (!wanted.contains(cluster)) {
          call(c, "pg_advisory_unlock", cluster);
          held.remove(cluster);
        }
      }
      for (String cluster : wanted) {
        if (!held.contains(cluster) && call(c, "pg_try_advisory_lock", cluster)) {
          held.add(cluster);
        }
      }
      return new TreeSet<>(held);
    } catch (SQLException e) {
      // The locks live and die with the session: without it, nothing is held any more.
      LOG.warn(
          "watch leases lost ({}); another node may take the clusters over",
          config.redact(String.valueOf(e.getMessage())));
      held.clear();
      closeConnection();
      return Set.of();
    }
  }

  private Connection connection() throws SQLException {
    if (connection != null && connection.isValid(5)) {
      return connection;
    }
    if (connection != null) {
      held.clear(); // a new session holds nothing
      closeConnection();
    }
    Properties p = new Properties();
    if (config.user() != null) {
      p.setProperty("user", config.user());
    }
    if (config.password() != null) {
      p.setProperty("password", config.password());
    }
    // A dead server or network must not hang the lease loop; keepalives notice a silent peer.
    p.setProperty("connectTimeout", "10");
    p.setProperty("socketTimeout", "30");
    p.setProperty("tcpKeepAlive", "true");
    p.setProperty("ApplicationName", "fleetwarden watch leases");
    connection = DriverManager.getConnection(config.jdbcUrl(), p);
    connection.setAutoCommit(true);
    return connection;
  }

  private static boolean call(Connection c, String function, String cluster) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT " + function + "(" + LEASE_LOCKS + ", hashtext(?))")) {
      ps.setString(1, cluster);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        LOG.debug("closing the lease connection failed", e);
      }
      connection = null;
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    held.clear();
    closeConnection(); // ends the session: every lock is released
  }
}

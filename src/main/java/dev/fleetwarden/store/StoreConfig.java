package dev.fleetwarden.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the database. {@link #embedded(Path)} gives an H2 file in a directory (the default
 * of {@code run}); {@link #jdbc(String, String, String)} any JDBC URL (PostgreSQL in production).
 * {@code toString()} never shows the password.
 *
 * @param jdbcUrl JDBC URL
 * @param user user name, may be null
 * @param password password, may be null; never logged
 * @param maxPoolSize most connections the pool opens
 * @param outboxLease how long a claimed outbox message stays reserved for its claimer
 * @param nodeId name of this node in outbox claims
 */
public record StoreConfig(
    String jdbcUrl,
    String user,
    String password,
    int maxPoolSize,
    Duration outboxLease,
    String nodeId) {

  public static final int DEFAULT_POOL_SIZE = 8;
  public static final Duration DEFAULT_OUTBOX_LEASE = Duration.ofMinutes(2);

  public StoreConfig {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (maxPoolSize <= 0) {
      maxPoolSize = DEFAULT_POOL_SIZE;
    }
    outboxLease = outboxLease == null ? DEFAULT_OUTBOX_LEASE : outboxLease;
    nodeId = nodeId == null || nodeId.isBlank() ? defaultNodeId() : nodeId;
  }

  /** An embedded H2 database file {@code fleetwarden} in {@code directory}. */
  public static StoreConfig embedded(Path directory) {
    String url =
        "jdbc:h2:file:"
            + directory.toAbsolutePath().resolve("fleetwarden").toString().replace('\\', '/')
            + ";AUTO_SERVER=FALSE";
    return new StoreConfig(url, "sa", "", DEFAULT_POOL_SIZE, DEFAULT_OUTBOX_LEASE, null);
  }

  /** Any JDBC database (PostgreSQL or H2). */
  public static StoreConfig jdbc(String jdbcUrl, String user, String password) {
    return new StoreConfig(jdbcUrl, user, password, DEFAULT_POOL_SIZE, DEFAULT_OUTBOX_LEASE, null);
  }

  public StoreConfig withOutboxLease(Duration lease) {
    return new StoreConfig(jdbcUrl, user, password, maxPoolSize, lease, nodeId);
  }

  public StoreConfig withNodeId(String id) {
    return new StoreConfig(jdbcUrl, user, password, maxPoolSize, outboxLease, id);
  }

  public StoreConfig withMaxPoolSize(int size) {
    return new StoreConfig(jdbcUrl, user, password, size, outboxLease, nodeId);
  }

  public boolean isPostgres() {
    return jdbcUrl.startsWith("jdbc:postgresql:");
  }

  public boolean isH2() {
    return jdbcUrl.startsWith("jdbc:h2:");
  }

  /** The JDBC driver class for the URL. */
  public String driverClassName() {
    if (isPostgres()) {
      return "org.postgresql.Driver";
    }
    if (isH2()) {
      return "org.h2.Driver";
    }
    throw new IllegalArgumentException(
        "unsupported JDBC URL (want jdbc:postgresql: or jdbc:h2:): " + redactedUrl());
  }

  /** The URL without query parameters (they may carry a password). */
  public String redactedUrl() {
    int q = jdbcUrl.indexOf('?');
    return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q) + "?…";
  }

  @Override
  public String toString() {
    return "StoreConfig[url="
        + redactedUrl()
        + ", user="
        + user
        + ", password="
        + (password == null || password.isEmpty() ? "<none>" : "<redacted>")
        + ", maxPoolSize="
        + maxPoolSize
        + ", outboxLease="
        + outboxLease
        + ", nodeId="
        + nodeId
        + "]";
  }

  private static String defaultNodeId() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        host = "node";
      }
    }
    return host + "-" + ProcessHandle.current().pid();
  }
}

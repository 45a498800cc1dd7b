package dev.fleetwarden.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * @param connectTimeout how long opening the store keeps trying to connect (a database that is
 *     still starting); a refused password or a bad URL fails only after it too
 */
public record StoreConfig(
    String jdbcUrl,
    String user,
    String password,
    int maxPoolSize,
    Duration outboxLease,
    String nodeId,
    Duration connectTimeout) {

  public static final int DEFAULT_POOL_SIZE = 8;
  public static final Duration DEFAULT_OUTBOX_LEASE = Duration.ofMinutes(2);
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

  /** A setting whose name holds "password": {@code ;PASSWORD=x}, {@code ?password=x}, ... */
  private static final Pattern PASSWORD_SETTING =
      Pattern.compile("(?i)([;?&][^;?&=/]*password[^;?&=]*=)[^;&]*");

  /** {@code //user:password@host}: the password part. */
  private static final Pattern USER_INFO_PASSWORD =
      Pattern.compile("(//[^/@:;?\\s]*):([^/@\\s]*)@");

  private static final Pattern JDBC_URL_IN_TEXT = Pattern.compile("jdbc:[^\\s\"'<>]+");

  public StoreConfig {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (maxPoolSize <= 0) {
      maxPoolSize = DEFAULT_POOL_SIZE;
    }
    outboxLease = outboxLease == null ? DEFAULT_OUTBOX_LEASE : outboxLease;
    nodeId = nodeId == null || nodeId.isBlank() ? defaultNodeId() : nodeId;
    connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
  }

  /**
   * An embedded H2 database file {@code fleetwarden} in {@code directory}. H2 does not close it on
   * its own at JVM exit: the service closes it last, after its jobs and watches have stopped, so a
   * scan still ending on SIGTERM writes its result instead of failing on a closed database.
   */
  public static StoreConfig embedded(Path directory) {
    String url =
        "jdbc:h2:file:"
            + directory.toAbsolutePath().resolve("fleetwarden").toString().replace('\\', '/')
            + ";AUTO_SERVER=FALSE;DB_CLOSE_ON_EXIT=FALSE";
    return new StoreConfig(url, "sa", "", DEFAULT_POOL_SIZE, DEFAULT_OUTBOX_LEASE, null, null);
  }

  /** Any JDBC database (PostgreSQL or H2). */
  public static StoreConfig jdbc(String jdbcUrl, String user, String password) {
    return new StoreConfig(
        jdbcUrl, user, password, DEFAULT_POOL_SIZE, DEFAULT_OUTBOX_LEASE, null, null);
  }

  public StoreConfig withOutboxLease(Duration lease) {
    return new StoreConfig(jdbcUrl, user, password, maxPoolSize, lease, nodeId, connectTimeout);
  }

  public StoreConfig withNodeId(String id) {
    return new StoreConfig(jdbcUrl, user, password, maxPoolSize, outboxLease, id, connectTimeout);
  }

  public StoreConfig withMaxPoolSize(int size) {
    return new StoreConfig(jdbcUrl, user, password, size, outboxLease, nodeId, connectTimeout);
  }

  public StoreConfig withConnectTimeout(Duration timeout) {
    return new StoreConfig(jdbcUrl, user, password, maxPoolSize, outboxLease, nodeId, timeout);
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

  /** The URL fit for logs and errors: see {@link #redactUrl(String)}. */
  public String redactedUrl() {
    return redactUrl(jdbcUrl);
  }

  /**
   * A JDBC URL fit for logs and errors: the value of every setting whose name contains {@code
   * password} (H2's {@code ;PASSWORD=}, PostgreSQL's {@code password=} and {@code sslpassword=},
   * any driver's) and the password of a {@code //user:password@} part become {@code ***}, and the
   * query ({@code ?...}, which may carry other credentials) is dropped.
   */
  public static String redactUrl(String url) {
    if (url == null) {
      return null;
    }
    String s = USER_INFO_PASSWORD.matcher(url).replaceAll("$1:***@");
    s = PASSWORD_SETTING.matcher(s).replaceAll("$1***");
    int q = s.indexOf('?');
    return q < 0 ? s : s.substring(0, q) + "?…";
  }

  /**
   * {@code text} (an error message, say) with this configuration's URL redacted and every password
   * it names (the configured one, those in the URL) replaced by {@code ***}.
   */
  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String s = text.replace(jdbcUrl, redactedUrl());
    for (String secret : passwords()) {
      s = s.replace(secret, "***");
    }
    return redactUrlsIn(s);
  }

  /** The password values this configuration holds, in the URL or beside it. */
  private List<String> passwords() {
    List<String> out = new ArrayList<>();
    if (password != null && !password.isEmpty()) {
      out.add(password);
    }
    Matcher m = PASSWORD_SETTING.matcher(jdbcUrl);
    while (m.find()) {
      String value = jdbcUrl.substring(m.end(1), m.end());
      if (!value.isEmpty()) {
        out.add(value);
      }
    }
    Matcher u = USER_INFO_PASSWORD.matcher(jdbcUrl);
    while (u.find()) {
      if (!u.group(2).isEmpty()) {
        out.add(u.group(2));
      }
    }
    // longest first, so that a password containing another is replaced whole
    out.sort((a, b) -> Integer.compare(b.length(), a.length()));
    return out;
  }

  /** Other JDBC URLs a driver message may quote (spelled differently from the configured one). */
  private static String redactUrlsIn(String text) {
    Matcher m = JDBC_URL_IN_TEXT.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(redactUrl(m.group())));
    }
    m.appendTail(sb);
    return sb.toString();
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
        + ", connectTimeout="
        + connectTimeout
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

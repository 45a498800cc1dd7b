package dev.fleetwarden.store;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server for integration tests, started from the {@code initdb} and {@code
 * pg_ctl} found on PATH, listening on 127.0.0.1 and a free port, trust authentication, data in a
 * temporary directory. PostgreSQL refuses to run as root, so when the tests run as root the server
 * runs as the {@code postgres} user (through {@code runuser}). {@link #close()} stops it and
 * deletes the data.
 */
public final class LocalPostgres implements AutoCloseable {
  public static final String USER = "postgres";

  private final Path dir;
  private final int port;
  private final boolean asPostgresUser;
  private final Thread stopOnExit;
  private boolean stopped;

  private LocalPostgres(Path dir, int port, boolean asPostgresUser) {
    this.dir = dir;
    this.port = port;
    this.asPostgresUser = asPostgresUser;
    this.stopOnExit = new Thread(this::stopQuietly, "local-postgres-stop");
  }

  /** Why PostgreSQL cannot be started here, or empty when it can. */
  public static Optional<String> unavailableReason() {
    for (String tool : List.of("initdb", "pg_ctl")) {
      if (onPath(tool).isEmpty()) {
        return Optional.of(
            "PostgreSQL server binary '"
                + tool
                + "' is not on PATH; install PostgreSQL server"
                + " (initdb, pg_ctl) to run this integration test");
      }
    }
    if (isRoot() && onPath("runuser").isEmpty()) {
      return Optional.of(
          "running as root but 'runuser' is not on PATH to start PostgreSQL as postgres");
    }
    return Optional.empty();
  }

  private static LocalPostgres shared;
  private static int databases;

  /**
   * A fresh database on one server shared by the contract tests of this JVM (started on first use,
   * stopped when the JVM exits). A machine without PostgreSQL skips the test with the reason; CI
   * fails on skips.
   */
  public static synchronized StoreConfig freshDatabase(String prefix) throws Exception {
    String reason = unavailableReason().orElse(null);
    org.junit.jupiter.api.Assumptions.assumeTrue(reason == null, () -> "SKIPPED: " + reason);
    if (shared == null) {
      LocalPostgres started = start();
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "local-postgres-stop"));
      shared = started;
    }
    String name = prefix + "_" + ++databases;
    shared.createDatabase(name);
    return shared.storeConfig(name);
  }

  /** Initializes and starts a server; waits until it accepts connections. */
  public static LocalPostgres start() throws Exception {
    boolean root = isRoot();
    Path dir = Files.createTempDirectory("fleetwarden-pg");
    if (root) {
      UserPrincipal pg =
          dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
      Files.setOwner(dir, pg);
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    LocalPostgres pg = new LocalPostgres(dir, port, root);
    Runtime.getRuntime().addShutdownHook(pg.stopOnExit);
    try {
      pg.run(
          120,
          "initdb",
          "-D",
          dir.resolve("data").toString(),
          "-A",
          "trust",
          "-U",
          USER,
          "-E",
          "UTF8",
          "--no-sync",
          "--no-instructions");
      pg.run(
          60,
          "pg_ctl",
          "-D",
          dir.resolve("data").toString(),
          "-l",
          dir.resolve("server.log").toString(),
          "-w",
          "-t",
          "45",
          "-o",
          "-c listen_addresses=127.0.0.1 -p "
              + port
              + " -c unix_socket_directories="
              + dir
              + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
              + " -c max_connections=100",
          "start");
    } catch (Exception e) {
      pg.close();
      throw e;
    }
    return pg;
  }

  public int port() {
    return port;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public StoreConfig storeConfig(String database) {
    return StoreConfig.jdbc(jdbcUrl(database), USER, null);
  }

  /** Creates an empty database. */
  public void createDatabase(String name) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USER, null)) {
      c.createStatement().execute("CREATE DATABASE " + name);
    }
  }

  /** The server log (for failure messages). */
  public String log() {
    try {
      return Files.readString(dir.resolve("server.log"));
    } catch (IOException e) {
      return "<no server log: " + e.getMessage() + ">";
    }
  }

  @Override
  public void close() {
    stopQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException exiting) {
      // The JVM is already shutting down; the hook runs anyway.
    }
  }

  private synchronized void stopQuietly() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      if (Files.exists(dir.resolve("data/postmaster.pid"))) {
        run(30, "pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
      }
    } catch (Exception e) {
      System.err.println("could not stop the test PostgreSQL: " + e.getMessage());
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e.getMessage());
    }
  }

  private void run(int timeoutSeconds, String... command) throws Exception {
    List<String> cmd = new ArrayList<>();
    if (asPostgresUser) {
      cmd.addAll(List.of("runuser", "-u", USER, "--"));
    }
    cmd.addAll(List.of(command));
    Path out = Files.createTempFile("fleetwarden-pg-cmd", ".log");
    try {
      Process p =
          new ProcessBuilder(cmd)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(
            String.join(" ", command) + " timed out after " + timeoutSeconds + " s");
      }
      if (p.exitValue() != 0) {
        throw new IOException(
            String.join(" ", command)
                + " exited with "
                + p.exitValue()
                + ":\n"
                + Files.readString(out)
                + "\n"
                + log());
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static Optional<Path> onPath(String tool) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String d : path.split(File.pathSeparator)) {
      Path p = Path.of(d, tool);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}

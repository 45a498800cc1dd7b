package dev.fleetwarden.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.store.JdbcStore;
import dev.fleetwarden.store.LocalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two scheduler nodes in separate JVMs share the clustered JDBC job store on a real PostgreSQL. One
 * node is killed (SIGKILL) in the middle of a job: every firing must still run exactly once, the
 * interrupted execution must be recovered and completed by the other node, and the schedule must go
 * on there.
 */
class ClusteredSchedulerIT {
  private static final long WORK_MILLIS = 2000;
  private static final String CRON = "*/3 * * * * ?";

  @TempDir Path logs;
  private LocalPostgres postgres;
  private final List<Process> nodes = new ArrayList<>();

  /** One row of it_execution. */
  record Execution(
      long id,
      String job,
      long scheduledAt,
      String node,
      boolean recovering,
      long start,
      Long end) {
    boolean completed() {
      return end != null;
    }
  }

  @AfterEach
  void stopEverything() {
    for (Process p : nodes) {
      p.destroyForcibly();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aKilledNodesJobIsRecoveredOnTheOtherNodeAndNothingRunsTwice() throws Exception {
    String reason = LocalPostgres.unavailableReason().orElse(null);
    Assumptions.assumeTrue(reason == null, () -> "SKIPPED: " + reason);
    postgres = LocalPostgres.start();
    postgres.createDatabase("fleet");
    String url = postgres.jdbcUrl("fleet");
    try (JdbcStore store = JdbcStore.open(postgres.storeConfig("fleet"))) {
      try (Connection c = store.dataSource().getConnection()) {
        c.createStatement()
            .execute(
                "CREATE TABLE it_execution (id BIGSERIAL PRIMARY KEY, job VARCHAR(200) NOT NULL,"
                    + " scheduled_at BIGINT NOT NULL, node VARCHAR(200) NOT NULL,"
                    + " recovering BOOLEAN NOT NULL, started_at BIGINT NOT NULL, ended_at BIGINT)");
      }
    }

    Process first = startNode("node-1");
    String firstId = awaitReady(first, "node-1");
    Process second = startNode("node-2");
    String secondId = awaitReady(second, "node-2");
    assertThat(firstId).isNotEqualTo(secondId);
    Map<String, Process> byInstance = Map.of(firstId, first, secondId, second);

    // Kill whichever node is in the middle of a job.
    Execution victim = awaitExecution(url, e -> !e.completed(), 30);
    Process killed = byInstance.get(victim.node());
    assertThat(killed).as("running node %s is one of ours", victim.node()).isNotNull();
    String survivorId = victim.node().equals(firstId) ? secondId : firstId;
    Process survivor = byInstance.get(survivorId);
    killed.destroyForcibly();
    assertThat(killed.waitFor(10, TimeUnit.SECONDS)).isTrue();
    long killedAt = System.currentTimeMillis();

    // The survivor notices the dead node (check-in 1 s + Quartz's 7.5 s grace) and recovers.
    List<Execution> interrupted =
        executions(url).stream()
            .filter(e -> !e.completed() && e.node().equals(victim.node()))
            .toList();
    assertThat(interrupted).isNotEmpty();
    for (Execution lost : interrupted) {
      Execution recovered =
          awaitExecution(
              url,
              e ->
                  e.completed()
                      && e.recovering()
                      && e.job().equals(lost.job())
                      && e.scheduledAt() == lost.scheduledAt(),
              40);
      assertThat(recovered.node()).isEqualTo(survivorId);
    }
    // And the schedule goes on on the survivor, for both jobs.
    for (String job : List.of("kubernetes-drift/a", "kubernetes-drift/b")) {
      awaitCount(
          url,
          e ->
              e.completed()
                  && !e.recovering()
                  && e.job().equals(job)
                  && e.start() > killedAt
                  && e.node().equals(survivorId),
          2,
          30);
    }

    // A clean stop (SIGTERM) finishes within the bound.
    survivor.destroy();
    assertThat(survivor.waitFor(12, TimeUnit.SECONDS)).as("SIGTERM stops the node").isTrue();

    List<Execution> all = executions(url);
    String table = all.stream().map(Execution::toString).collect(Collectors.joining("\n"));
    System.out.println("killed " + victim.node() + ", survivor " + survivorId + ":\n" + table);
    // Every firing ran exactly once to completion: no (job, scheduled time) twice.
    Map<String, Long> completedPerFiring =
        all.stream()
            .filter(Execution::completed)
            .collect(
                Collectors.groupingBy(e -> e.job() + "@" + e.scheduledAt(), Collectors.counting()));
    assertThat(completedPerFiring.values()).as(table).allMatch(n -> n == 1);
    // Nothing lost: every started execution completed, or was recovered and completed elsewhere.
    for (Execution e : all) {
      if (!e.completed()) {
        assertThat(e.node()).as(table).isEqualTo(victim.node());
        assertThat(completedPerFiring).as(table).containsKey(e.job() + "@" + e.scheduledAt());
      }
    }
    // Never two executions of one job at once, across nodes (the killed one ends at the kill).
    Map<String, List<Execution>> perJob = new HashMap<>();
    all.forEach(e -> perJob.computeIfAbsent(e.job(), k -> new ArrayList<>()).add(e));
    for (List<Execution> runs : perJob.values()) {
      runs.sort(Comparator.comparingLong(Execution::start));
      for (int i = 1; i < runs.size(); i++) {
        Execution prev = runs.get(i - 1);
        long prevEnd = prev.completed() ? prev.end() : killedAt;
        assertThat(runs.get(i).start()).as(table).isGreaterThanOrEqualTo(prevEnd);
      }
    }
  }

  private Process startNode(String name) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");
    Path logback = logs.resolve("logback-node.xml");
    Files.writeString(
        logback,
        "<configuration><appender name=\"out\" class=\"ch.qos.logback.core.ConsoleAppender\">"
            + "<encoder><pattern>%d{HH:mm:ss.SSS} [%thread] %-5level %logger{20} %msg%n</pattern>"
            + "</encoder></appender><root level=\"INFO\"><appender-ref ref=\"out\"/></root>"
            + "</configuration>");
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-Dlogback.configurationFile=" + logback,
                "-cp",
                classpath,
                ClusterNodeMain.class.getName(),
                postgres.jdbcUrl("fleet"),
                LocalPostgres.USER,
                Long.toString(WORK_MILLIS),
                CRON)
            .redirectErrorStream(true)
            .redirectOutput(logs.resolve(name + ".log").toFile())
            .start();
    nodes.add(p);
    return p;
  }

  private String awaitReady(Process p, String name) throws Exception {
    Path log = logs.resolve(name + ".log");
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      if (Files.exists(log)) {
        for (String line : Files.readAllLines(log)) {
          if (line.startsWith("READY ")) {
            return line.substring("READY ".length()).trim();
          }
        }
      }
      if (!p.isAlive()) {
        throw new AssertionError(
            name + " exited with " + p.exitValue() + ":\n" + Files.readString(log));
      }
      Thread.sleep(100);
    }
    throw new AssertionError(name + " did not start in 30 s:\n" + Files.readString(log));
  }

  private static List<Execution> executions(String url) throws Exception {
    List<Execution> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, LocalPostgres.USER, null);
        ResultSet rs = c.createStatement().executeQuery("SELECT * FROM it_execution ORDER BY id")) {
      while (rs.next()) {
        long end = rs.getLong("ended_at");
        boolean running = rs.wasNull();
        out.add(
            new Execution(
                rs.getLong("id"),
                rs.getString("job"),
                rs.getLong("scheduled_at"),
                rs.getString("node"),
                rs.getBoolean("recovering"),
                rs.getLong("started_at"),
                running ? null : end));
      }
    }
    return out;
  }

  private Execution awaitExecution(String url, Predicate<Execution> p, int seconds)
      throws Exception {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    while (System.currentTimeMillis() < deadline) {
      for (Execution e : executions(url)) {
        if (p.test(e)) {
          return e;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "no matching execution within " + seconds + " s:\n" + diagnostics(url));
  }

  private void awaitCount(String url, Predicate<Execution> p, int count, int seconds)
      throws Exception {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    while (System.currentTimeMillis() < deadline) {
      if (executions(url).stream().filter(p).count() >= count) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "fewer than "
            + count
            + " matching executions within "
            + seconds
            + " s:\n"
            + diagnostics(url));
  }

  private String diagnostics(String url) throws Exception {
    StringBuilder sb = new StringBuilder();
    executions(url).forEach(e -> sb.append(e).append('\n'));
    for (String n : List.of("node-1", "node-2")) {
      Path log = logs.resolve(n + ".log");
      if (Files.exists(log)) {
        List<String> lines = Files.readAllLines(log);
        sb.append("--- ").append(n).append(" (last 40 lines)\n");
        lines
            .subList(Math.max(0, lines.size() - 40), lines.size())
            .forEach(l -> sb.append(l).append('\n'));
      }
    }
    return sb.toString();
  }
}

package dev.fleetwarden.schedule;

import dev.fleetwarden.reconcile.TaskFiring;
import dev.fleetwarden.reconcile.TaskRunner;
import dev.fleetwarden.store.StoreConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One fleetwarden scheduler node for {@link ClusteredSchedulerIT}, run in its own JVM: joins the
 * clustered job store and runs a task that records each execution (job, scheduled time, node,
 * recovering, start, end) in {@code it_execution} and takes {@code workMillis}. Prints {@code READY
 * <instanceId>} when started; SIGTERM shuts it down within the bound.
 *
 * <p>Arguments: jdbcUrl user workMillis cron
 */
public final class ClusterNodeMain {
  private ClusterNodeMain() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String user = args[1];
    long workMillis = Long.parseLong(args[2]);
    String cron = args[3];
    TaskRunner recorder =
        new TaskRunner() {
          @Override
          public void run(String task, String cluster) {
            throw new UnsupportedOperationException("the firing variant is used");
          }

          @Override
          public void run(TaskFiring f) throws Exception {
            long id;
            try (Connection c = DriverManager.getConnection(url, user, null);
                PreparedStatement ps =
                    c.prepareStatement(
                        "INSERT INTO it_execution (job, scheduled_at, node, recovering, started_at)"
                            + " VALUES (?, ?, ?, ?, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
              ps.setString(1, f.task() + "/" + f.cluster());
              ps.setLong(2, f.scheduledAt().toEpochMilli());
              ps.setString(3, f.node());
              ps.setBoolean(4, f.recovering());
              ps.setLong(5, System.currentTimeMillis());
              ps.executeUpdate();
              try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
              }
            }
            Thread.sleep(workMillis);
            try (Connection c = DriverManager.getConnection(url, user, null);
                PreparedStatement ps =
                    c.prepareStatement("UPDATE it_execution SET ended_at = ? WHERE id = ?")) {
              ps.setLong(1, System.currentTimeMillis());
              ps.setLong(2, id);
              ps.executeUpdate();
            }
          }
        };
    SchedulerConfig config =
        SchedulerConfig.clustered("fleetwarden", StoreConfig.jdbc(url, user, null), 3)
            .withClusterCheckinInterval(Duration.ofMillis(1000))
            .withMisfireThreshold(Duration.ofMillis(1500));
    ClusterDirectory clusters = () -> Map.of("a", Map.of(), "b", Map.of());
    FleetScheduler scheduler = FleetScheduler.create(config, recorder, clusters);
    scheduler.reload(
        List.of(ScheduleSpec.of("it", Task.KUBERNETES_DRIFT, cron, ClusterTarget.ALL)));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  scheduler.shutdown(Duration.ofSeconds(8));
                  stopped.countDown();
                }));
    scheduler.start();
    System.out.println("READY " + scheduler.instanceId());
    System.out.flush();
    stopped.await();
  }
}

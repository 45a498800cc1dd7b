package dev.fleetwarden.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.watch.ClusterLeases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One watcher per cluster across nodes: advisory locks on a real PostgreSQL. */
class PostgresClusterLeasesIT {
  private static final List<String> CLUSTERS = List.of("dev-1", "prod-eu-1", "prod-us-1");

  @Test
  void eachClusterIsHeldByOneNodeAndADeadNodesClustersAreTakenOver() throws Exception {
    StoreConfig config = LocalPostgres.freshDatabase("leases");
    try (JdbcStore store = JdbcStore.open(config);
        ClusterLeases a = store.clusterLeases();
        ClusterLeases b = store.clusterLeases()) {
      assertThat(a.hold(CLUSTERS)).containsExactlyInAnyOrderElementsOf(CLUSTERS);
      assertThat(a.hold(CLUSTERS)).as("holding again changes nothing").hasSize(3);
      assertThat(b.hold(CLUSTERS)).as("never two watchers").isEmpty();

      // A cluster a node no longer wants is free for the others.
      assertThat(a.hold(List.of("dev-1", "prod-eu-1")))
          .containsExactlyInAnyOrder("dev-1", "prod-eu-1");
      assertThat(b.hold(CLUSTERS)).containsExactly("prod-us-1");

      // The node's session ends (as when its process is killed): the server frees its clusters.
      terminateLeaseSessions(config);
      assertThat(holdAll(b)).containsExactlyInAnyOrderElementsOf(CLUSTERS);
      assertThat(a.hold(CLUSTERS)).as("the node noticed and holds nothing").isEmpty();

      b.close();
      assertThat(holdAll(a)).containsExactlyInAnyOrderElementsOf(CLUSTERS);
    }
  }

  @Test
  void h2HasOneNodeThatHoldsEverything() throws Exception {
    try (JdbcStore store =
            JdbcStore.open(
                StoreConfig.embedded(java.nio.file.Files.createTempDirectory("leases-h2")));
        ClusterLeases leases = store.clusterLeases()) {
      assertThat(leases.hold(CLUSTERS)).containsExactlyInAnyOrderElementsOf(CLUSTERS);
    }
  }

  /**
   * Holds what the node can get once the server has freed a dead session's locks: a session ends
   * when its backend process exits, shortly after the socket closes or it is told to terminate (as
   * a node's lease loop, which asks again every few seconds).
   */
  private static Set<String> holdAll(ClusterLeases node) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    Set<String> held = node.hold(CLUSTERS);
    while (held.size() < CLUSTERS.size() && System.nanoTime() < deadline) {
      Thread.sleep(100);
      held = node.hold(CLUSTERS);
    }
    return held;
  }

  /** Ends the session holding the first node's locks, as a killed process's closed socket would. */
  private static void terminateLeaseSessions(StoreConfig config) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", config.user());
    if (config.password() != null) {
      p.setProperty("password", config.password());
    }
    try (Connection c = DriverManager.getConnection(config.jdbcUrl(), p);
        Statement s = c.createStatement()) {
      // Both nodes' sessions carry the same application name; the victim holds the locks.
      s.execute(
          "SELECT pg_terminate_backend(l.pid) FROM pg_locks l"
              + " WHERE l.locktype = 'advisory' AND l.classid = "
              + PostgresClusterLeases.LEASE_LOCKS
              + " AND l.granted AND l.objid = (hashtext('dev-1')::oid)");
    }
  }
}

package dev.fleetwarden.schedule;

import dev.fleetwarden.store.StoreConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * How to run Quartz. {@link #inMemory} keeps jobs in memory (one node, schedules re-created at
 * start); {@link #clustered} shares a JDBC job store (PostgreSQL) between nodes: each firing runs
 * on exactly one node, and a dead node's running jobs are recovered by another. Nodes of one
 * cluster share {@code instanceName}; two schedulers in one JVM need different names.
 *
 * @param instanceName Quartz scheduler name
 * @param threads worker threads (jobs running at once on this node)
 * @param database the job store database, or null for the in-memory store
 * @param clusterCheckinInterval how often a clustered node checks in (failure detection is about
 *     this plus 7.5 s)
 * @param misfireThreshold how late a firing may be before it counts as missed
 * @param instanceId fixed node id, or null for Quartz's AUTO (host name + time)
 */
public record SchedulerConfig(
    String instanceName,
    int threads,
    StoreConfig database,
    Duration clusterCheckinInterval,
    Duration misfireThreshold,
    String instanceId) {

  public static final String DEFAULT_NAME = "fleetwarden";

  public SchedulerConfig {
    Objects.requireNonNull(instanceName, "instanceName");
    threads = threads <= 0 ? 4 : threads;
    clusterCheckinInterval =
        clusterCheckinInterval == null ? Duration.ofSeconds(15) : clusterCheckinInterval;
    misfireThreshold = misfireThreshold == null ? Duration.ofSeconds(60) : misfireThreshold;
  }

  public static SchedulerConfig inMemory(String instanceName, int threads) {
    return new SchedulerConfig(instanceName, threads, null, null, null, null);
  }

  public static SchedulerConfig clustered(String instanceName, StoreConfig database, int threads) {
    Objects.requireNonNull(database, "database");
    return new SchedulerConfig(instanceName, threads, database, null, null, null);
  }

  public boolean isClustered() {
    return database != null;
  }

  public SchedulerConfig withClusterCheckinInterval(Duration d) {
    return new SchedulerConfig(instanceName, threads, database, d, misfireThreshold, instanceId);
  }

  public SchedulerConfig withMisfireThreshold(Duration d) {
    return new SchedulerConfig(
        instanceName, threads, database, clusterCheckinInterval, d, instanceId);
  }

  public SchedulerConfig withInstanceId(String id) {
    return new SchedulerConfig(
        instanceName, threads, database, clusterCheckinInterval, misfireThreshold, id);
  }
}

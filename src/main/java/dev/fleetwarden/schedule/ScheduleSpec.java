package dev.fleetwarden.schedule;

import java.time.ZoneId;
import java.util.Objects;

/**
 * One parsed {@code kind: Schedule} file: run {@code task} on the Quartz {@code cron} expression in
 * {@code timeZone}, for the {@code clusters} it targets (ignored by fleet-wide tasks). {@code file}
 * and {@code line} say where it was defined (line 0 when built in code).
 */
public record ScheduleSpec(
    String name,
    Task task,
    String cron,
    ZoneId timeZone,
    ClusterTarget clusters,
    MisfirePolicy misfirePolicy,
    String file,
    int line) {

  public ScheduleSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(cron, "cron");
    timeZone = timeZone == null ? ZoneId.of("UTC") : timeZone;
    clusters = clusters == null ? ClusterTarget.ALL : clusters;
    misfirePolicy = misfirePolicy == null ? MisfirePolicy.FIRE_ONCE_NOW : misfirePolicy;
  }

  /** A schedule built in code (tests, defaults). */
  public static ScheduleSpec of(String name, Task task, String cron, ClusterTarget clusters) {
    return new ScheduleSpec(name, task, cron, null, clusters, null, null, 0);
  }
}

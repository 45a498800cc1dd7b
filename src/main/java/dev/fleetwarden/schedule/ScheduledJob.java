package dev.fleetwarden.schedule;

import java.time.Instant;
import java.util.List;

/**
 * A job as the scheduler holds it: task, cluster (null when fleet-wide), the schedules triggering
 * it, and its next fire time (null when none).
 */
public record ScheduledJob(String task, String cluster, List<String> schedules, Instant nextFire) {
  /** {@code task/cluster}, or {@code task/_fleet}. */
  public String key() {
    return task + "/" + (cluster == null ? JobPlan.FLEET : cluster);
  }
}

package dev.fleetwarden.schedule;

import java.util.List;

/**
 * What {@link FleetScheduler#reload} changed. Jobs are {@code task/cluster}, triggers {@code
 * task/schedule/cluster}; {@code unknownClusters} are names schedules list that the fleet does not
 * define (skipped).
 */
public record ReloadResult(
    List<String> addedJobs,
    List<String> removedJobs,
    List<String> addedTriggers,
    List<String> updatedTriggers,
    List<String> removedTriggers,
    List<String> unknownClusters) {

  public boolean changed() {
    return !addedJobs.isEmpty()
        || !removedJobs.isEmpty()
        || !addedTriggers.isEmpty()
        || !updatedTriggers.isEmpty()
        || !removedTriggers.isEmpty();
  }
}

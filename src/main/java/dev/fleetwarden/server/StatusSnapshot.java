package dev.fleetwarden.server;

import dev.fleetwarden.model.FleetReport;
import java.time.Instant;
import java.util.Map;

/**
 * The fleet's state at one moment: the latest drift report, the fleet revision it was rendered
 * from, when the fleet scan finished, and per cluster when it was last scanned and at which
 * revision (clusters scan on their own schedules, so these differ).
 */
public record StatusSnapshot(
    FleetReport report, String revision, Instant scannedAt, Map<String, ClusterScan> clusters) {

  /** When one cluster was last scanned, and the fleet revision it was compared with. */
  public record ClusterScan(Instant scannedAt, String revision) {}

  public StatusSnapshot {
    clusters = clusters == null ? Map.of() : Map.copyOf(clusters);
  }
}

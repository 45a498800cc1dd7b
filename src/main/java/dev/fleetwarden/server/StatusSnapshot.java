package dev.fleetwarden.server;

import dev.fleetwarden.model.FleetReport;
import dev.fleetwarden.watch.WatchStatus;
import java.time.Instant;
import java.util.Map;

/**
 * The fleet's state at one moment: the latest drift report, the fleet revision it was rendered
 * from, when the fleet scan finished, per cluster when it was last scanned and at which revision
 * (clusters scan on their own schedules, so these differ), and per cluster how live changes are
 * detected ({@code watches}; empty when watches are off).
 */
public record StatusSnapshot(
    FleetReport report,
    String revision,
    Instant scannedAt,
    Map<String, ClusterScan> clusters,
    Map<String, WatchStatus> watches) {

  /** When one cluster was last scanned, and the fleet revision it was compared with. */
  public record ClusterScan(Instant scannedAt, String revision) {}

  public StatusSnapshot {
    clusters = clusters == null ? Map.of() : Map.copyOf(clusters);
    watches = watches == null ? Map.of() : Map.copyOf(watches);
  }

  /** A snapshot without watch information. */
  public StatusSnapshot(
      FleetReport report, String revision, Instant scannedAt, Map<String, ClusterScan> clusters) {
    this(report, revision, scannedAt, clusters, null);
  }
}

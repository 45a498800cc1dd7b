package dev.fleetwarden.model;

import java.util.Comparator;
import java.util.List;

/** The drift report of a whole fleet: one entry per cluster, sorted by name. */
public record FleetReport(List<ClusterReport> clusters) {
  public FleetReport {
    clusters = clusters.stream().sorted(Comparator.comparing(ClusterReport::name)).toList();
  }

  public boolean hasDrift() {
    return clusters.stream().anyMatch(c -> !c.drifts().isEmpty());
  }

  public boolean hasErrors() {
    return clusters.stream()
        .anyMatch(
            c -> c.status() == ClusterStatus.UNKNOWN || c.status() == ClusterStatus.RENDER_ERROR);
  }

  /** Exit code like {@code terraform plan -detailed-exitcode}: 0 in sync, 2 drift, 1 error. */
  public int exitCode() {
    if (hasDrift()) {
      return 2;
    }
    return hasErrors() ? 1 : 0;
  }
}

package dev.fleetwarden.app;

import dev.fleetwarden.ledger.ScanOutcome;
import dev.fleetwarden.model.ClusterReport;
import dev.fleetwarden.model.ClusterStatus;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.RenderError;
import dev.fleetwarden.reconcile.FleetService;
import dev.fleetwarden.server.FleetMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** Records what the reconciler does as Prometheus metrics. */
record MetricsListener(
    FleetMetrics metrics, Clock clock, Map<String, java.util.Set<String>> reported)
    implements FleetService.Listener {
  MetricsListener(FleetMetrics metrics, Clock clock) {
    this(metrics, clock, new java.util.concurrent.ConcurrentHashMap<>());
  }

  @Override
  public void scanned(ClusterReport report, DriftSource scope, Duration took) {
    boolean unknown =
        (scope == DriftSource.KUBERNETES ? report.kubernetes() : report.terraform()) != null
            && (scope == DriftSource.KUBERNETES ? report.kubernetes() : report.terraform()).status()
                == ClusterStatus.UNKNOWN;
    metrics.recordScan(report.name(), took, !unknown);
    if (scope == DriftSource.KUBERNETES) {
      metrics.setReachable(report.name(), !unknown);
    } else {
      metrics.recordTerraformPlan(report.name(), took);
    }
    drifted(report);
  }

  @Override
  public void judged(ClusterReport report, ScanOutcome outcome, Duration took) {
    drifted(report);
  }

  /** The drifted objects per add-on, zero for add-ons that had drift before. */
  private void drifted(ClusterReport report) {
    Map<String, Long> byAddon = new TreeMap<>();
    reported.getOrDefault(report.name(), java.util.Set.of()).forEach(a -> byAddon.put(a, 0L));
    for (ObjectDrift d : report.drifts()) {
      byAddon.merge(d.addon() == null ? "terraform" : d.addon(), 1L, Long::sum);
    }
    byAddon.forEach((addon, n) -> metrics.setDrifted(report.name(), addon, n));
    metrics.setCritical(
        report.name(), report.drifts().stream().filter(d -> !d.risk().isEmpty()).count());
    reported.put(report.name(), new java.util.HashSet<>(byAddon.keySet()));
  }

  @Override
  public void revision(String revision, boolean good) {
    if (good) {
      metrics.recordGitSuccess(revision, clock.instant());
    }
  }

  @Override
  public void renderFailed(String cluster, RenderError error) {
    metrics.renderError(cluster, error.addon() == null ? "" : error.addon());
  }
}

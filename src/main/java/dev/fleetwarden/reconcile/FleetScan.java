package dev.fleetwarden.reconcile;

import dev.fleetwarden.drift.SecretHasher;
import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.ledger.RenderHistory;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.ClusterReport;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.FleetReport;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.PartStatus;
import dev.fleetwarden.model.PartVerdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Scans clusters: for each, observe live state, compare it with the render, check the cloud, and
 * sum up one report. Clusters run in parallel with a bound; one cluster's failure never stops the
 * others.
 */
public final class FleetScan {
  private static final Logger LOG = LoggerFactory.getLogger(FleetScan.class);

  private final LiveSource live;
  private final RenderHistory history;
  private final CloudCheck cloud;
  private final int parallelism;
  private final KubernetesCheck kubernetes;

  /**
   * @param cloud null when cloud drift is not checked
   * @param hasher the keyed hash of Secret values (the installation's key)
   */
  public FleetScan(
      LiveSource live,
      RenderHistory history,
      CloudCheck cloud,
      int parallelism,
      SecretHasher hasher) {
    this.kubernetes = new KubernetesCheck(hasher);
    this.live = live;
    this.history = history;
    this.cloud = cloud;
    this.parallelism = Math.max(1, parallelism);
  }

  /**
   * Scans the rendered clusters. When {@code revision} is non-null, each successful render is
   * remembered as the previous render of its cluster (for orphans on the next scan).
   */
  public FleetReport scan(
      Fleet fleet,
      Map<String, ClusterRender> renders,
      String revision,
      Consumer<ClusterReport> progress) {
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.min(parallelism, Math.max(1, renders.size())));
    try {
      List<Future<ClusterReport>> futures = new ArrayList<>();
      for (ClusterRender render : renders.values()) {
        futures.add(
            pool.submit(
                () -> {
                  ClusterReport report = scanCluster(fleet, render, revision);
                  if (progress != null) {
                    progress.accept(report);
                  }
                  return report;
                }));
      }
      List<ClusterReport> reports = new ArrayList<>();
      for (Future<ClusterReport> f : futures) {
        reports.add(f.get());
      }
      return new FleetReport(reports);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("scan interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("scan failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** One cluster: render → observe → diff (+ cloud) → report. */
  public ClusterReport scanCluster(Fleet fleet, ClusterRender render, String revision) {
    String cluster = render.cluster();
    MDC.put("cluster", cluster);
    try {
      if (render.failed()) {
        LOG.warn("render failed, nothing compared: {}", render.error());
        return ClusterReport.renderError(cluster, render.error());
      }
      Observation observed = observe(cluster, render.objects());
      PartVerdict kube = kubernetes.check(fleet, render, observed, history.previous(cluster));
      PartVerdict cloudResult = checkCloud(fleet.clusters().get(cluster));
      List<ObjectDrift> drifts = new ArrayList<>(kube.drifts());
      PartStatus cloudStatus = null;
      if (cloudResult != null) {
        drifts.addAll(cloudResult.drifts());
        cloudStatus = cloudResult.status();
      }
      if (revision != null && !observed.isUnknown()) {
        history.save(cluster, revision, render.objects().stream().map(DesiredObject::id).toList());
      }
      ClusterReport report = ClusterReport.combine(cluster, kube.status(), cloudStatus, drifts);
      LOG.info("scanned: {} ({} objects differ)", report.status().label(), drifts.size());
      return report;
    } finally {
      MDC.remove("cluster");
    }
  }

  private Observation observe(String cluster, List<DesiredObject> desired) {
    return observe(live, cluster, desired);
  }

  /** Reads a cluster's live state; a failure of the source is an unknown cluster, never a throw. */
  static Observation observe(LiveSource live, String cluster, List<DesiredObject> desired) {
    try {
      return live.observe(cluster, desired);
    } catch (RuntimeException e) {
      LOG.warn("observing failed: {}", e.toString());
      return Observation.unknown("observing failed: " + e.getMessage());
    }
  }

  private PartVerdict checkCloud(ClusterSpec spec) {
    if (cloud == null || spec == null) {
      return null;
    }
    try {
      return cloud.check(spec);
    } catch (RuntimeException e) {
      return new PartVerdict(
          PartStatus.unknown("terraform check failed: " + e.getMessage()), List.of());
    }
  }
}

package dev.fleetwarden.server;

import dev.fleetwarden.watch.WatchState;
import dev.fleetwarden.watch.WatchStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters fleetwarden records, with stable names (as Prometheus shows them):
 *
 * <ul>
 *   <li>{@code fleetwarden_scan_duration_seconds{cluster,outcome}}: timer of one cluster scan.
 *   <li>{@code fleetwarden_scan_failures_total{cluster}}: scans that ended in an error.
 *   <li>{@code fleetwarden_drifted_objects{cluster,addon}}: drifted objects now.
 *   <li>{@code fleetwarden_critical_objects{cluster}}: drifted objects a risk rule marks critical
 *       now (also counted in {@code fleetwarden_drifted_objects}).
 *   <li>{@code fleetwarden_cluster_reachable{cluster}}: 1 when the last scan reached the API
 *       server.
 *   <li>{@code fleetwarden_git_last_success_timestamp_seconds{revision}}: time of the last
 *       successful fetch; one series, labelled with the revision fetched (info style).
 *   <li>{@code fleetwarden_render_errors_total{cluster,addon}}: failed renders.
 *   <li>{@code fleetwarden_terraform_plan_duration_seconds{cluster}}: timer of terraform plans.
 *   <li>{@code fleetwarden_outbox_pending}: notifications waiting for delivery.
 *   <li>{@code fleetwarden_watch_state{cluster,state}}: 1 for the cluster's watch state ({@code
 *       watching}, {@code scan-only}, {@code unknown}), 0 for the others.
 *   <li>{@code fleetwarden_watch_last_event_timestamp_seconds{cluster}}: when the cluster's last
 *       watch event arrived.
 *   <li>{@code fleetwarden_watch_event_lag_seconds{cluster}}: timer from the API server's write to
 *       the recorded verdict, per watch verdict.
 *   <li>{@code fleetwarden_watch_objects_cached{cluster}}, {@code
 *       fleetwarden_watch_cache_bytes{cluster}}: what the watches hold for the diff.
 *   <li>{@code fleetwarden_watch_missed_drift_total{cluster}}: drift a safety-net scan found that
 *       no watch reported (should stay 0).
 *   <li>{@code fleetwarden_watch_scans_skipped_total{cluster}}: scheduled scans skipped because the
 *       cluster is watched and was fully scanned within the safety-net interval.
 * </ul>
 *
 * Thread-safe. Gauges hold their values here, so they survive garbage collection.
 */
public final class FleetMetrics {
  public static final String SCAN_DURATION = "fleetwarden.scan.duration";
  public static final String SCAN_FAILURES = "fleetwarden.scan.failures";
  public static final String DRIFTED_OBJECTS = "fleetwarden.drifted.objects";
  public static final String CRITICAL_OBJECTS = "fleetwarden.critical.objects";
  public static final String CLUSTER_REACHABLE = "fleetwarden.cluster.reachable";
  public static final String GIT_LAST_SUCCESS = "fleetwarden.git.last.success.timestamp";
  public static final String RENDER_ERRORS = "fleetwarden.render.errors";
  public static final String TERRAFORM_PLAN_DURATION = "fleetwarden.terraform.plan.duration";
  public static final String OUTBOX_PENDING = "fleetwarden.outbox.pending";
  public static final String WATCH_STATE = "fleetwarden.watch.state";
  public static final String WATCH_LAST_EVENT = "fleetwarden.watch.last.event.timestamp";
  public static final String WATCH_EVENT_LAG = "fleetwarden.watch.event.lag";
  public static final String WATCH_OBJECTS = "fleetwarden.watch.objects.cached";
  public static final String WATCH_BYTES = "fleetwarden.watch.cache.bytes";
  public static final String WATCH_MISSED = "fleetwarden.watch.missed.drift";
  public static final String WATCH_SKIPPED = "fleetwarden.watch.scans.skipped";

  private final MeterRegistry registry;
  private final Map<List<String>, AtomicLong> drifted = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> reachable = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> critical = new ConcurrentHashMap<>();
  private final AtomicLong outboxPending = new AtomicLong();
  private final AtomicLong gitLastSuccess = new AtomicLong();
  private final Map<List<String>, AtomicLong> watchGauges = new ConcurrentHashMap<>();
  private Meter gitGauge;

  public FleetMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder(OUTBOX_PENDING, outboxPending, AtomicLong::get)
        .description("Notifications waiting in the outbox for delivery")
        .strongReference(true)
        .register(registry);
  }

  /** One cluster scan took {@code duration}; {@code success} false also counts a failure. */
  public void recordScan(String cluster, Duration duration, boolean success) {
    Timer.builder(SCAN_DURATION)
        .description("Time to scan one cluster: render, observe, diff")
        .tags("cluster", cluster, "outcome", success ? "success" : "failure")
        .register(registry)
        .record(duration);
    Counter failures =
        Counter.builder(SCAN_FAILURES)
            .description("Cluster scans that ended in an error")
            .tags("cluster", cluster)
            .register(registry);
    if (!success) {
      failures.increment();
    }
  }

  /** How many objects of one add-on on one cluster are drifted now. */
  public void setDrifted(String cluster, String addon, long count) {
    String addonTag = addon == null ? "" : addon;
    drifted
        .computeIfAbsent(
            List.of(cluster, addonTag),
            k -> {
              AtomicLong holder = new AtomicLong();
              Gauge.builder(DRIFTED_OBJECTS, holder, AtomicLong::get)
                  .description("Objects that differ from the fleet repo now")
                  .tags("cluster", cluster, "addon", addonTag)
                  .strongReference(true)
                  .register(registry);
              return holder;
            })
        .set(count);
  }

  /** How many drifted objects of one cluster are critical now (a risk rule matched them). */
  public void setCritical(String cluster, long count) {
    critical
        .computeIfAbsent(
            cluster,
            c -> {
              AtomicLong holder = new AtomicLong();
              Gauge.builder(CRITICAL_OBJECTS, holder, AtomicLong::get)
                  .description("Drifted objects a risk rule marks critical now")
                  .tags("cluster", c)
                  .strongReference(true)
                  .register(registry);
              return holder;
            })
        .set(count);
  }

  /** Whether the last scan reached the cluster's API server. */
  public void setReachable(String cluster, boolean isReachable) {
    reachable
        .computeIfAbsent(
            cluster,
            c -> {
              AtomicLong holder = new AtomicLong();
              Gauge.builder(CLUSTER_REACHABLE, holder, AtomicLong::get)
                  .description("1 when the last scan reached the cluster's API server, else 0")
                  .tags("cluster", c)
                  .strongReference(true)
                  .register(registry);
              return holder;
            })
        .set(isReachable ? 1 : 0);
  }

  /** A fetch of the fleet repo succeeded at {@code at}, holding {@code revision}. */
  public synchronized void recordGitSuccess(String revision, Instant at) {
    gitLastSuccess.set(at.getEpochSecond());
    String label = revision == null ? "" : revision;
    if (gitGauge != null && label.equals(gitGauge.getId().getTag("revision"))) {
      return;
    }
    if (gitGauge != null) {
      registry.remove(gitGauge);
    }
    gitGauge =
        Gauge.builder(GIT_LAST_SUCCESS, gitLastSuccess, AtomicLong::get)
            .description("Unix time of the last successful fetch of the fleet repo")
            .baseUnit("seconds")
            .tags("revision", label)
            .strongReference(true)
            .register(registry);
  }

  /**
   * Registers a cluster's series at zero (failures, render errors and drifted objects per add-on),
   * so dashboards and alerts see them before the first event.
   */
  public void registerCluster(String cluster, java.util.Collection<String> addons) {
    Counter.builder(SCAN_FAILURES)
        .description("Cluster scans that ended in an error")
        .tags("cluster", cluster)
        .register(registry);
    missedCounter(cluster);
    for (String addon : addons) {
      Counter.builder(RENDER_ERRORS)
          .description("Failed renders of an add-on for a cluster")
          .tags(Tags.of("cluster", cluster, "addon", addon))
          .register(registry);
      setDrifted(cluster, addon, 0);
    }
  }

  /** Rendering one add-on for one cluster failed. */
  public void renderError(String cluster, String addon) {
    Counter.builder(RENDER_ERRORS)
        .description("Failed renders of an add-on for a cluster")
        .tags(Tags.of("cluster", cluster, "addon", addon == null ? "" : addon))
        .register(registry)
        .increment();
  }

  /** A terraform plan of one cluster's stack took {@code duration}. */
  public void recordTerraformPlan(String cluster, Duration duration) {
    Timer.builder(TERRAFORM_PLAN_DURATION)
        .description("Time of terraform plan for one cluster's stack")
        .tags("cluster", cluster)
        .register(registry)
        .record(duration);
  }

  /** Notifications waiting in the outbox. */
  public void setOutboxPending(long pending) {
    outboxPending.set(pending);
  }

  /** The watch side of a cluster now: state, last event, what is cached. */
  public void setWatch(String cluster, WatchStatus status) {
    for (WatchState state : WatchState.values()) {
      gauge(
              WATCH_STATE,
              "1 for the cluster's watch state (watching, scan-only, unknown), 0 for the others",
              null,
              Tags.of("cluster", cluster, "state", state.label()))
          .set(status.state() == state ? 1 : 0);
    }
    gauge(
            WATCH_LAST_EVENT,
            "Unix time of the cluster's last watch event",
            "seconds",
            Tags.of("cluster", cluster))
        .set(status.lastEventAt() == null ? 0 : status.lastEventAt().getEpochSecond());
    gauge(
            WATCH_OBJECTS,
            "Live objects the watches keep for the diff",
            null,
            Tags.of("cluster", cluster))
        .set(status.objectsCached());
    gauge(
            WATCH_BYTES,
            "Bytes of the live objects the watches keep (trimmed JSON)",
            "bytes",
            Tags.of("cluster", cluster))
        .set(status.bytesCached());
  }

  /** A watch verdict was recorded {@code lag} after the API server's write. */
  public void recordWatchVerdict(String cluster, Duration lag) {
    Timer.builder(WATCH_EVENT_LAG)
        .description("Time from the API server's write to the recorded verdict of a watch event")
        .tags("cluster", cluster)
        .register(registry)
        .record(lag);
  }

  /** A safety-net scan found drift that no watch reported. */
  public void watchMissed(String cluster) {
    missedCounter(cluster).increment();
  }

  /** A scheduled scan was skipped: the cluster is watched and was scanned recently. */
  public void scanSkipped(String cluster) {
    Counter.builder(WATCH_SKIPPED)
        .description(
            "Scheduled scans skipped: the cluster is watched and was fully scanned recently")
        .tags("cluster", cluster)
        .register(registry)
        .increment();
  }

  private Counter missedCounter(String cluster) {
    return Counter.builder(WATCH_MISSED)
        .description("Drift a safety-net scan found that no watch reported (should stay 0)")
        .tags("cluster", cluster)
        .register(registry);
  }

  private AtomicLong gauge(String name, String description, String unit, Tags tags) {
    List<String> key = new java.util.ArrayList<>();
    key.add(name);
    tags.forEach(t -> key.add(t.getKey() + "=" + t.getValue()));
    return watchGauges.computeIfAbsent(
        key,
        k -> {
          AtomicLong holder = new AtomicLong();
          Gauge.Builder<AtomicLong> b =
              Gauge.builder(name, holder, AtomicLong::get)
                  .description(description)
                  .tags(tags)
                  .strongReference(true);
          if (unit != null) {
            b = b.baseUnit(unit);
          }
          b.register(registry);
          return holder;
        });
  }

  /** Forgets a cluster that left the fleet: its gauges stop being exported. */
  public void removeCluster(String cluster) {
    reachable.remove(cluster);
    watchGauges.keySet().removeIf(k -> k.contains("cluster=" + cluster));
    critical.remove(cluster);
    drifted.keySet().removeIf(k -> k.get(0).equals(cluster));
    for (Meter m : registry.getMeters()) {
      if (cluster.equals(m.getId().getTag("cluster"))
          && m.getId().getName().startsWith("fleetwarden.")) {
        registry.remove(m);
      }
    }
  }
}

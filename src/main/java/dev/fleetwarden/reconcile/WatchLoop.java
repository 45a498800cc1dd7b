package dev.fleetwarden.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.ScanOutcome;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.watch.ClusterLeases;
import dev.fleetwarden.watch.Coalescer;
import dev.fleetwarden.watch.LiveWatches;
import dev.fleetwarden.watch.MissCheck;
import dev.fleetwarden.watch.WatchListener;
import dev.fleetwarden.watch.WatchState;
import dev.fleetwarden.watch.WatchStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Event-driven detection, read as its algorithm: hold the clusters this node watches ({@link
 * ClusterLeases}) → watch each on the kinds and namespaces of its last good render ({@link
 * LiveWatches}) → coalesce each object's events ({@link Coalescer}) → judge the due objects from
 * the cache ({@link FleetService#judgeObjects}: diff, ledger, outbox). When a cluster becomes
 * watching, its whole cache is judged once; when a commit changes a cluster's render, its watches
 * follow. The scheduled {@code kubernetes-drift} scans stay as the safety net ({@link #tasks}): a
 * watched cluster's scheduled scan runs only when its last full scan is older than the safety-net
 * interval, and new drift such a scan finds that no watch event explains is counted as missed.
 */
public final class WatchLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WatchLoop.class);

  /**
   * Settings of event-driven detection.
   *
   * @param window quiet time after an object's last event before it is judged
   * @param maxDelay longest wait after an object's first pending event
   * @param safetyNet a watched cluster's scheduled full scan runs when its last one is older
   * @param leaseInterval how often the clusters to watch are claimed (and a dead node's taken over)
   */
  public record Settings(
      Duration window, Duration maxDelay, Duration safetyNet, Duration leaseInterval) {
    public static final Settings DEFAULTS =
        new Settings(
            Duration.ofSeconds(1),
            Duration.ofSeconds(10),
            Duration.ofMinutes(15),
            Duration.ofSeconds(10));
  }

  /** Observers of the watch path (metrics); all methods have no-op defaults. */
  public interface Listener {
    /** A verdict of {@code objects} objects was recorded; {@code lag} from the first write. */
    default void judged(String cluster, int objects, Duration lag) {}

    /** A full scan found drift on {@code id} that no watch event reported. */
    default void missed(String cluster, ResourceId id) {}

    /** A cluster's scheduled scan was skipped: it is watched and was fully scanned recently. */
    default void skipped(String cluster) {}
  }

  private final FleetService fleet;
  private final LiveWatches watches;
  private final ClusterLeases leases;
  private final Settings settings;
  private final Clock clock;
  private final Listener listener;

  private final Object lock = new Object();
  private final Coalescer<ResourceId> coalescer;
  private final MissCheck<ResourceId> misses;
  // Clusters whose cache is complete and waits for its whole verdict, with when it became so
  private final Map<String, Instant> wholeCluster = new LinkedHashMap<>(); // guarded by lock
  private final Map<String, Instant> lastFullScan = new ConcurrentHashMap<>();
  private final Map<String, Duration> lastLag = new ConcurrentHashMap<>();
  private final Map<String, Long> missedCount = new ConcurrentHashMap<>();
  private volatile Set<String> held = Set.of();

  /** How long {@link #close} waits for a verdict in progress. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(4);

  private volatile boolean running;
  private Thread verdicts;
  private Thread leaseThread;

  public WatchLoop(
      FleetService fleet,
      LiveWatches watches,
      ClusterLeases leases,
      Settings settings,
      Clock clock,
      Listener listener) {
    this.fleet = fleet;
    this.watches = watches;
    this.leases = leases == null ? ClusterLeases.single() : leases;
    this.settings = settings == null ? Settings.DEFAULTS : settings;
    this.clock = clock == null ? Clock.systemUTC() : clock;
    this.listener = listener == null ? new Listener() {} : listener;
    this.coalescer = new Coalescer<>(this.settings.window(), this.settings.maxDelay());
    this.misses = new MissCheck<>(this.settings.window().plus(Duration.ofSeconds(5)));
  }

  /**
   * Starts claiming and watching clusters, and judging their events. Call after the first render.
   */
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    verdicts = new Thread(this::judgeLoop, "fleetwarden-verdicts");
    verdicts.setDaemon(true);
    verdicts.start();
    leaseThread = new Thread(this::leaseLoop, "fleetwarden-watch-leases");
    leaseThread.setDaemon(true);
    leaseThread.start();
  }

  /**
   * A commit changed the render of these clusters: their watches follow the new desired state
   * (watches of new kinds start, those of removed kinds stop). Others are left alone.
   */
  public void desiredChanged(Collection<String> clusters) {
    for (String c : clusters) {
      if (held.contains(c)) {
        watch(c);
      }
    }
  }

  /** The watch status of a cluster on this node, with the lag of its last verdict. */
  public WatchStatus status(String cluster) {
    WatchStatus s = watches.status(cluster);
    if (s.state() == WatchState.UNKNOWN && running && !held.contains(cluster)) {
      s = WatchStatus.unknown("watched by another node, or waiting for its lease");
    }
    Duration lag = lastLag.get(cluster);
    return lag == null ? s : s.withLastLag(lag);
  }

  /** Drift found by full scans that the watches did not report, per cluster, since start. */
  public Map<String, Long> missed() {
    return Map.copyOf(missedCount);
  }

  /**
   * The scheduled tasks with the safety net in front of {@code kubernetes-drift}: a scheduled scan
   * of a cluster this node watches runs only when its last full scan is older than the safety-net
   * interval; scans triggered now (start, a commit, the webhook) always run.
   */
  public TaskRunner tasks() {
    return new TaskRunner() {
      @Override
      public void run(String task, String cluster) throws Exception {
        run(new TaskFiring(task, cluster, null, null, false, null, null, null));
      }

      @Override
      public void run(TaskFiring firing) throws Exception {
        if (!"kubernetes-drift".equals(firing.task()) || firing.cluster() == null) {
          fleet.run(firing);
          return;
        }
        fullScan(firing.cluster(), firing.schedule() != null);
      }
    };
  }

  private void fullScan(String cluster, boolean scheduled) {
    Instant start = clock.instant();
    WatchStatus before = watches.status(cluster);
    boolean watched = before.state() == WatchState.WATCHING;
    Instant last = lastFullScan.get(cluster);
    if (scheduled
        && watched
        && last != null
        && last.plus(settings.safetyNet()).isAfter(start.plusSeconds(1))) {
      listener.skipped(cluster);
      return;
    }
    FleetService.KubernetesScan scan = fleet.readAndScan(cluster);
    lastFullScan.put(cluster, start);
    WatchStatus after = watches.status(cluster);
    boolean watchedThroughout =
        watched
            && after.state() == WatchState.WATCHING
            && after.since() != null
            && after.since().isBefore(start.minus(settings.window()));
    if (scheduled && watchedThroughout && scan.outcome() != null) {
      synchronized (lock) {
        for (Finding f : scan.outcome().newFindings()) {
          misses.suspect(f.resource(), start);
        }
        for (ScanOutcome.Change c : scan.outcome().changed()) {
          misses.suspect(c.current().resource(), start);
        }
        lock.notifyAll();
      }
    }
  }

  // Leases: which clusters this node watches

  private void leaseLoop() {
    while (running) {
      try {
        claim();
      } catch (RuntimeException e) {
        LOG.warn("claiming clusters to watch failed: {}", e.toString());
      }
      try {
        Thread.sleep(settings.leaseInterval().toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Claims the clusters to watch once (the lease loop calls it periodically). */
  void claim() {
    Fleet f = fleet.fleet();
    if (f == null) {
      return;
    }
    List<String> wanted = new ArrayList<>();
    for (String c : f.clusters().keySet()) {
      ClusterRender r = fleet.render(c);
      if (r != null && !r.failed()) {
        wanted.add(c);
      }
    }
    Set<String> now = leases.hold(wanted);
    Set<String> before = held;
    held = Set.copyOf(now);
    for (String c : now) {
      if (!before.contains(c) || !watches.clusters().contains(c)) {
        LOG.info("cluster {}: this node watches it", c);
        watch(c);
      }
    }
    for (String c : watches.clusters()) {
      if (!now.contains(c)) {
        LOG.info("cluster {}: no longer watched by this node", c);
        watches.stop(c);
        synchronized (lock) {
          coalescer.drop(id -> id.cluster().equals(c));
          wholeCluster.remove(c);
        }
      }
    }
  }

  private void watch(String cluster) {
    ClusterRender r = fleet.render(cluster);
    if (r == null || r.failed() || !running) {
      return;
    }
    watches.watch(cluster, r.objects(), new Events(cluster));
  }

  /** What the watches of one cluster tell. */
  private final class Events implements WatchListener {
    private final String cluster;

    Events(String cluster) {
      this.cluster = cluster;
    }

    @Override
    public void changed(ResourceId id, Instant serverTime) {
      Instant now = clock.instant();
      synchronized (lock) {
        coalescer.offer(id, now, serverTime);
        misses.event(id, now);
        lock.notifyAll();
      }
    }

    @Override
    public void watching(String c) {
      synchronized (lock) {
        wholeCluster.put(cluster, clock.instant());
        lock.notifyAll();
      }
    }

    @Override
    public void scanOnly(String c, String reason) {
      // The status says so; scheduled scans keep running for a cluster that is not watching.
    }
  }

  // Verdicts

  private void judgeLoop() {
    while (running) {
      String whole = null;
      Instant listedAt = null;
      List<Coalescer.Due<ResourceId>> due;
      List<ResourceId> missed;
      synchronized (lock) {
        Instant now = clock.instant();
        missed = misses.undecided() > 0 ? misses.confirmed(now) : List.of();
        Iterator<Map.Entry<String, Instant>> listed = wholeCluster.entrySet().iterator();
        if (listed.hasNext()) {
          Map.Entry<String, Instant> e = listed.next();
          whole = e.getKey();
          listedAt = e.getValue();
          listed.remove();
        }
        due = whole == null ? coalescer.due(now) : List.of();
        if (whole == null && due.isEmpty() && missed.isEmpty()) {
          Instant next = coalescer.nextDue();
          long wait = next == null ? 1000 : Math.max(1, Duration.between(now, next).toMillis());
          try {
            lock.wait(Math.min(wait, 1000));
          } catch (InterruptedException e) {
            return;
          }
          continue;
        }
      }
      for (ResourceId id : missed) {
        missedCount.merge(id.cluster(), 1L, Long::sum);
        LOG.warn("cluster {}: the full scan found drift of {} no watch reported", id.cluster(), id);
        listener.missed(id.cluster(), id);
      }
      try {
        if (whole != null) {
          judgeWhole(whole, listedAt);
        } else if (!due.isEmpty()) {
          judge(due);
        }
      } catch (RuntimeException e) {
        LOG.warn("watch verdict failed: {}", e.toString(), e);
      }
    }
  }

  private void judgeWhole(String cluster, Instant listedAt) {
    if (!held.contains(cluster)) {
      return;
    }
    MDC.put("cluster", cluster);
    try {
      fleet.judgeCache(
          cluster,
          listedAt,
          () -> {
            List<JsonNode> cached = watches.cachedObjects(cluster);
            if (cached == null) {
              return null;
            }
            LOG.debug("judging the watch cache of the whole cluster ({} objects)", cached.size());
            return new Observation(cached, watches.unservedKinds(cluster), null);
          });
    } catch (IllegalArgumentException e) {
      LOG.debug("cluster left the fleet: {}", e.getMessage());
    } finally {
      MDC.remove("cluster");
    }
  }

  private void judge(List<Coalescer.Due<ResourceId>> due) {
    Map<String, List<Coalescer.Due<ResourceId>>> byCluster = new LinkedHashMap<>();
    for (Coalescer.Due<ResourceId> d : due) {
      byCluster.computeIfAbsent(d.key().cluster(), c -> new ArrayList<>()).add(d);
    }
    byCluster.forEach(
        (cluster, items) -> {
          if (!held.contains(cluster)) {
            return;
          }
          Map<ResourceId, Instant> events = new TreeMap<>();
          Instant first = null;
          for (Coalescer.Due<ResourceId> d : items) {
            events.put(d.key(), d.lastArrivedAt());
            first = first == null || d.firstEventAt().isBefore(first) ? d.firstEventAt() : first;
          }
          ScanOutcome outcome =
              fleet.judgeObjects(
                  cluster, events, watches::cached, new HashSet<>(watches.unservedKinds(cluster)));
          if (outcome != null) {
            Duration lag = Duration.between(first, clock.instant());
            lastLag.put(cluster, lag);
            listener.judged(cluster, events.size(), lag);
          }
        });
  }

  /**
   * Stops claiming and judging, and waits (boundedly) for a verdict in progress to end, so no scan
   * of this loop still reads or writes the store while the service closes it.
   */
  @Override
  public void close() {
    running = false;
    Thread judge;
    Thread lease;
    synchronized (this) {
      judge = verdicts;
      lease = leaseThread;
    }
    for (Thread t : new Thread[] {lease, judge}) {
      if (t != null) {
        t.interrupt();
      }
    }
    join(judge, CLOSE_WAIT);
    join(lease, CLOSE_WAIT);
    leases.close();
    watches.close();
  }

  private static void join(Thread t, Duration max) {
    if (t == null || t == Thread.currentThread()) {
      return;
    }
    try {
      t.join(max.toMillis());
      if (t.isAlive()) {
        LOG.warn(
            "{} still running {} s after the stop; closing without it",
            t.getName(),
            max.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

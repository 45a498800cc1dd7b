package dev.fleetwarden.bench;

import dev.fleetwarden.bench.WatchedFleet.Target;
import dev.fleetwarden.demo.FaultyFleet;
import dev.fleetwarden.watch.WatchState;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The watch benchmarks, on a generated fleet of embedded clusters watched as {@code run} watches it
 * ({@link WatchedFleet}), one mode per run:
 *
 * <ul>
 *   <li>{@code latency [clusters=20] [objects=500] [edits=100] [interval-ms=200]}: live edits
 *       spread round-robin over the clusters, one every {@code interval}, each on another object;
 *       per edit, the time from the write sent to the API server to the alert naming the object
 *       handed to the notifier (the finding is recorded before: the alert is planned from it). The
 *       default coalescing window ({@code watch.coalesceMillis}) is part of it. Ten edits before
 *       the measured ones warm the JVM up. Prints p50, p95, max and how many edits were reported:
 *       all of them, or the run fails loudly. An edit pending while the whole process stood still
 *       (the machine paused it) is left out of the figures and counted.
 *   <li>{@code scale [clusters=100] [objects=1000] [idle-seconds=30]}: heap used after a full GC
 *       and process CPU while nothing changes (in one-second slices, every thread of the process by
 *       name), first with the embedded API servers alone, then with the service and its watches
 *       after {@code idle-seconds} of warm-up (the difference is what the watching costs; the
 *       servers share the JVM); objects cached (all of them, or the run fails), watch connections,
 *       open findings (none: live is as applied); then one safety-net full scan of every cluster,
 *       its CPU time spread over the safety-net interval.
 *   <li>{@code miss [clusters=20] [objects=500] [faulted=5] [edits=20] [outage-seconds=10]}: on
 *       {@code faulted} clusters, (1) the watch connections are closed and an object of each is
 *       edited at once (racing the relist), then (2) watches are refused (503) and closed for
 *       {@code outage} while {@code edits} edits are made, then allowed again. Every edit must be
 *       reported, by the relist or else by a safety-net scan; prints how many were, by which, the
 *       time to report after the watches came back, how many faulted clusters the status showed
 *       scan-only, and what a safety-net scan afterwards found that the watches had not reported.
 * </ul>
 *
 * <p>{@code mvn -B -q test-compile exec:exec -Dbench=WatchBenchmark -Dbench.args="latency 20 500"}
 */
public final class WatchBenchmark {
  private static final int WARM_UP_EDITS = 10;
  private static final Duration SETTLE = Duration.ofSeconds(60);

  private WatchBenchmark() {}

  public static void main(String[] args) {
    quietLogs();
    String mode = args.length > 0 ? args[0] : "latency";
    int[] n = new int[args.length > 1 ? args.length - 1 : 0];
    for (int i = 1; i < args.length; i++) {
      n[i - 1] = Integer.parseInt(args[i]);
    }
    boolean ok;
    switch (mode) {
      case "latency" -> {
        LatencyResult r =
            latency(
                arg(n, 0, 20),
                arg(n, 1, 500),
                arg(n, 2, 100),
                Duration.ofMillis(arg(n, 3, 200)),
                WARM_UP_EDITS);
        System.out.println(r);
        ok = r.lost().isEmpty();
      }
      case "scale" -> {
        ScaleResult r =
            scale(arg(n, 0, 100), arg(n, 1, 1000), Duration.ofSeconds(arg(n, 2, 30)), true);
        System.out.println(r);
        ok =
            r.objectsCached() == (long) r.clusters() * r.objectsPerCluster()
                && r.openFindings() == 0;
      }
      case "miss" -> {
        MissResult r =
            miss(
                arg(n, 0, 20),
                arg(n, 1, 500),
                arg(n, 2, 5),
                arg(n, 3, 20),
                Duration.ofSeconds(arg(n, 4, 10)));
        System.out.println(r);
        ok = r.lost().isEmpty();
      }
      default ->
          throw new IllegalArgumentException("mode " + mode + ": expected latency, scale or miss");
    }
    System.exit(ok ? 0 : 1);
  }

  private static int arg(int[] n, int i, int fallback) {
    return i < n.length ? n[i] : fallback;
  }

  /**
   * The service logs a line per cluster as it starts watching, and Fabric8 one per refused watch
   * (the miss check refuses hundreds): the benchmark prints its own summary.
   */
  private static void quietLogs() {
    for (String name : List.of("dev.fleetwarden", "io.fabric8")) {
      if (org.slf4j.LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger l) {
        l.setLevel(
            name.equals("io.fabric8")
                ? ch.qos.logback.classic.Level.OFF
                : ch.qos.logback.classic.Level.WARN);
      }
    }
  }

  // Latency

  /** Edit-to-alert latencies of one run. */
  public record LatencyResult(
      int clusters,
      int objectsPerCluster,
      int edits,
      int reported,
      List<String> lost,
      int recorded,
      int openFindings,
      long windowMillis,
      long intervalMillis,
      List<Long> millis,
      long p50,
      long p95,
      long max,
      int paused,
      long setupMillis,
      long watchStartMillis,
      double loadBefore,
      double loadAfter) {
    @Override
    public String toString() {
      String head =
          lost.isEmpty()
              ? ""
              : "!!! "
                  + lost.size()
                  + " EDIT(S) LOST: no alert named them within "
                  + SETTLE.toSeconds()
                  + " s: "
                  + lost
                  + "\n";
      return head
          + String.format(
              "watch latency: %d clusters x %d objects, %d edits (one every %d ms, round-robin over"
                  + " the clusters): %d/%d reported (alert handed to the notifier), %d recorded as"
                  + " open findings (%d open in all); edit -> alert p50 %d ms, p95 %d ms, max %d"
                  + " ms; coalescing window %d ms (the default watch.coalesceMillis); load"
                  + " average %.2f before, %.2f after; %d processors (setup %d ms, watches up and"
                  + " every cluster judged from its cache %d ms after start, not timed)%s",
              clusters,
              objectsPerCluster,
              edits,
              intervalMillis,
              reported,
              edits,
              recorded,
              openFindings,
              p50,
              p95,
              max,
              windowMillis,
              loadBefore,
              loadAfter,
              Runtime.getRuntime().availableProcessors(),
              setupMillis,
              watchStartMillis,
              paused == 0
                  ? ""
                  : "; "
                      + paused
                      + " reported edit(s) left out of the figures: the process was paused (by"
                      + " the machine or a SIGSTOP) while they were pending");
    }
  }

  /**
   * Runs the latency benchmark.
   *
   * @param warmUp edits made and awaited before the measured ones (not counted)
   */
  public static LatencyResult latency(
      int clusters, int perCluster, int edits, Duration interval, int warmUp) {
    long setupStart = System.nanoTime();
    try (WatchedFleet f = WatchedFleet.create(clusters, perCluster)) {
      f.startService();
      long setupMillis = millisSince(setupStart);
      long watchStart = System.nanoTime();
      f.startWatching();
      f.awaitWatched(Duration.ofMinutes(10));
      long watchStartMillis = millisSince(watchStart);

      List<Target> all = f.targets(warmUp + edits, 7L);
      List<String> lost = new ArrayList<>();
      List<Long> millis = new ArrayList<>();
      List<Target> warm = all.subList(0, warmUp);
      List<Target> measured = all.subList(warmUp, all.size());
      if (!warm.isEmpty()) {
        editAndAwait(f, warm, 0, interval, new LinkedHashMap<>());
      }
      double loadBefore = loadAverage();
      Map<Target, Long> sent = new LinkedHashMap<>();
      Map<Target, Long> latencies;
      try (Pauses pauses = new Pauses()) {
        latencies = editAndAwait(f, measured, warmUp, interval, sent);
        pauses.close();
        lostOrTimed(measured, sent, latencies, pauses, lost, millis);
      }
      double loadAfter = loadAverage();
      int paused = latencies.size() - millis.size();
      int recorded = 0;
      for (Target t : measured) {
        if (f.store().findings().open(t.cluster()).stream()
            .anyMatch(x -> x.resource().equals(t.id()))) {
          recorded++;
        }
      }
      int open = f.store().findings().open().size();
      List<Long> sorted = millis.stream().sorted().toList();
      return new LatencyResult(
          clusters,
          perCluster,
          edits,
          latencies.size(),
          lost,
          recorded,
          open,
          f.watchSettings().window().toMillis(),
          interval.toMillis(),
          millis,
          percentile(sorted, 50),
          percentile(sorted, 95),
          sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1),
          paused,
          setupMillis,
          watchStartMillis,
          loadBefore,
          loadAfter);
    }
  }

  /**
   * Makes one edit per target, {@code interval} apart, then waits until an alert named each (or
   * {@link #SETTLE} passed since the last edit).
   *
   * @param sent filled with {@link System#nanoTime} when each edit was sent
   * @return edit-to-hand-over nanoseconds of each target reported
   */
  private static Map<Target, Long> editAndAwait(
      WatchedFleet f, List<Target> targets, int firstK, Duration interval, Map<Target, Long> sent) {
    int k = firstK;
    for (Target t : targets) {
      sent.put(t, f.edit(t, k++));
      WatchedFleet.sleep(interval);
    }
    return awaitAlerts(f, sent, SETTLE);
  }

  /** Waits until an alert named each target after its edit; the latencies of those that were. */
  private static Map<Target, Long> awaitAlerts(
      WatchedFleet f, Map<Target, Long> sent, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    Map<Target, Long> out = new LinkedHashMap<>();
    while (true) {
      for (Map.Entry<Target, Long> e : sent.entrySet()) {
        if (!out.containsKey(e.getKey())) {
          long at = f.handOvers.firstNaming(e.getKey(), e.getValue());
          if (at >= 0) {
            out.put(e.getKey(), at - e.getValue());
          }
        }
      }
      if (out.size() == sent.size() || System.nanoTime() > deadline) {
        return out;
      }
      WatchedFleet.sleep(Duration.ofMillis(20));
    }
  }

  /**
   * Sorts the targets into lost (no alert), left out (the process was paused while the edit was
   * pending: its latency says nothing about fleetwarden) and timed.
   */
  private static void lostOrTimed(
      List<Target> targets,
      Map<Target, Long> sent,
      Map<Target, Long> latencies,
      Pauses pauses,
      List<String> lost,
      List<Long> millis) {
    for (Target t : targets) {
      Long nanos = latencies.get(t);
      if (nanos == null) {
        lost.add(t.id().toString());
      } else if (!pauses.during(sent.get(t), sent.get(t) + nanos)) {
        millis.add(nanos / 1_000_000);
      }
    }
  }

  /**
   * Notices when the whole process stood still (the machine paused it, or a SIGSTOP): a thread that
   * ticks every 20 ms and records gaps of over a second.
   */
  static final class Pauses implements AutoCloseable {
    private final List<long[]> gaps = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    Pauses() {
      Thread t =
          new Thread(
              () -> {
                long last = System.nanoTime();
                while (running) {
                  try {
                    Thread.sleep(20);
                  } catch (InterruptedException e) {
                    return;
                  }
                  long now = System.nanoTime();
                  if (now - last > 1_000_000_000L) {
                    gaps.add(new long[] {last, now});
                  }
                  last = now;
                }
              },
              "bench-pauses");
      t.setDaemon(true);
      t.start();
    }

    /** How many times the process stood still. */
    int count() {
      return gaps.size();
    }

    /** Whether the process stood still between these two {@link System#nanoTime} readings. */
    boolean during(long from, long to) {
      for (long[] g : gaps) {
        if (g[0] < to && g[1] > from) {
          return true;
        }
      }
      return false;
    }

    @Override
    public void close() {
      running = false;
    }
  }

  // Scale

  /** Heap and idle CPU of a large watched fleet. */
  public record ScaleResult(
      int clusters,
      int objectsPerCluster,
      long objectsCached,
      long cacheBytes,
      int watchConnections,
      int openFindings,
      long heapServersBytes,
      long heapServiceBytes,
      long heapWatchingBytes,
      Idle idleServers,
      Idle idleWatching,
      int threadsServers,
      int threadsWatching,
      Map<String, Integer> threadGroups,
      long fullScanCpuMillis,
      long fullScanWallMillis,
      long safetyNetMinutes,
      long setupMillis,
      long serviceStartMillis,
      long watchStartMillis,
      double loadAverage) {

    private static String stalls(Idle idle) {
      return idle.stalls() == 0
          ? ""
          : ", " + idle.stalls() + " one-second slices left out: the process was paused";
    }

    /** Heap the service and its watches add to the servers'. */
    public long heapProductBytes() {
      return heapWatchingBytes - heapServersBytes;
    }

    @Override
    public String toString() {
      String full =
          fullScanWallMillis < 0
              ? ""
              : String.format(
                  "; one safety-net full scan of every cluster: %,d ms wall, %,d ms CPU (servers"
                      + " included) = %.2f %% of one core spread over its %d-minute interval",
                  fullScanWallMillis,
                  fullScanCpuMillis,
                  100.0 * fullScanCpuMillis / (safetyNetMinutes * 60_000.0),
                  safetyNetMinutes);
      return String.format(
          "watch scale: %d clusters x %d objects watched in one JVM: %,d objects cached (%,d bytes"
              + " of trimmed JSON, %d per object), %d watch connections, %d open findings;"
              + " heap used after full GC: %d MiB with the embedded API servers alone, %d MiB"
              + " after the service rendered the fleet, %d MiB watching (service + watches = %d"
              + " MiB above the servers); idle CPU: %.2f %% of one core with the servers alone"
              + " (over %.0f s%s), %.2f %% watching (over %.0f s%s; %+.2f %% against the servers"
              + " alone); idle CPU by thread group (%% of one core), servers alone: %s; watching:"
              + " %s; threads %d"
              + " -> %d, most: %s%s; load average %.2f; %d processors (setup %d ms, service start"
              + " %d ms, watches up and judged %d ms)",
          clusters,
          objectsPerCluster,
          objectsCached,
          cacheBytes,
          objectsCached == 0 ? 0 : cacheBytes / objectsCached,
          watchConnections,
          openFindings,
          mib(heapServersBytes),
          mib(heapServiceBytes),
          mib(heapWatchingBytes),
          mib(heapProductBytes()),
          idleServers.percent(),
          idleServers.keptSeconds(),
          stalls(idleServers),
          idleWatching.percent(),
          idleWatching.keptSeconds(),
          stalls(idleWatching),
          idleWatching.percent() - idleServers.percent(),
          idleServers.byThread(),
          idleWatching.byThread(),
          threadsServers,
          threadsWatching,
          threadGroups,
          full,
          loadAverage,
          Runtime.getRuntime().availableProcessors(),
          setupMillis,
          serviceStartMillis,
          watchStartMillis);
    }
  }

  /**
   * Runs the scale benchmark.
   *
   * @param fullScan also run (and measure) one safety-net full scan of every cluster
   */
  public static ScaleResult scale(int clusters, int perCluster, Duration idle, boolean fullScan) {
    long setupStart = System.nanoTime();
    try (WatchedFleet f = WatchedFleet.create(clusters, perCluster)) {
      long setupMillis = millisSince(setupStart);
      long heapServers = heapAfterGc();
      int threadsServers = Thread.activeCount();
      Idle cpuServers = idleCpu(idle);

      long serviceStart = System.nanoTime();
      f.startService();
      long serviceStartMillis = millisSince(serviceStart);
      long heapService = heapAfterGc();

      long watchStart = System.nanoTime();
      f.startWatching();
      f.awaitWatched(Duration.ofMinutes(30));
      long watchStartMillis = millisSince(watchStart);
      // Warm-up: what the first verdicts left behind settles (the outbox, the JIT compiler).
      WatchedFleet.sleep(idle);
      long heapWatching = heapAfterGc();
      Idle cpuWatching = idleCpu(idle);
      int threadsWatching = Thread.activeCount();
      Map<String, Integer> groups = threadGroups();
      long[] cached = f.cached();
      int connections = f.watchConnections();
      int open = f.store().findings().open().size();
      double load = loadAverage();

      long scanCpu = -1;
      long scanWall = -1;
      if (fullScan) {
        long cpu0 = processCpuNanos();
        long wall0 = System.nanoTime();
        for (String c : f.names) {
          f.safetyNetScan(c);
        }
        scanWall = millisSince(wall0);
        scanCpu = (processCpuNanos() - cpu0) / 1_000_000;
      }
      return new ScaleResult(
          clusters,
          perCluster,
          cached[0],
          cached[1],
          connections,
          open,
          heapServers,
          heapService,
          heapWatching,
          cpuServers,
          cpuWatching,
          threadsServers,
          threadsWatching,
          groups,
          scanCpu,
          scanWall,
          f.watchSettings().safetyNet().toMinutes(),
          setupMillis,
          serviceStartMillis,
          watchStartMillis,
          load);
    }
  }

  /** Heap used after full collections. */
  static long heapAfterGc() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      WatchedFleet.sleep(Duration.ofMillis(200));
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    throw new IllegalStateException("this JVM does not report its process CPU time");
  }

  /**
   * Process CPU while nothing changes.
   *
   * @param percent process CPU time / wall time, in % of one core, over the slices kept
   * @param byThread the share of each thread group (names without their numbers) above 0.05 %
   * @param keptSeconds wall time of the slices kept
   * @param stalls one-second slices left out because they lasted over 1.5 s (the machine paused the
   *     process: its CPU time is not idle behaviour)
   */
  record Idle(double percent, Map<String, Double> byThread, double keptSeconds, int stalls) {}

  /** Process CPU over {@code idle} of doing nothing, measured in one-second slices. */
  static Idle idleCpu(Duration idle) {
    Map<String, Map.Entry<String, Long>> before = threadTimes();
    long keptCpu = 0;
    long keptWall = 0;
    long stalledWall = 0;
    int stalls = 0;
    long end = System.nanoTime() + idle.toNanos();
    while (System.nanoTime() < end) {
      long cpu0 = processCpuNanos();
      long wall0 = System.nanoTime();
      WatchedFleet.sleep(Duration.ofSeconds(1));
      long wall = System.nanoTime() - wall0;
      long cpu = processCpuNanos() - cpu0;
      if (wall > 1_500_000_000L) {
        stalls++;
        stalledWall += wall;
      } else {
        keptCpu += cpu;
        keptWall += wall;
      }
    }
    Map<String, Long> groups = new HashMap<>();
    threadTimes()
        .forEach(
            (id, now) -> {
              Map.Entry<String, Long> was = before.get(id);
              groups.merge(
                  now.getKey().replaceAll("[0-9]+", "N"),
                  now.getValue() - (was == null ? 0 : was.getValue()),
                  Long::sum);
            });
    // Thread times cannot be split by slice: shares are of the whole window.
    long window = keptWall + stalledWall;
    Map<String, Double> byThread = new LinkedHashMap<>();
    groups.entrySet().stream()
        .filter(e -> window > 0 && e.getValue() * 100.0 / window >= 0.05)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> byThread.put(e.getKey(), round2(e.getValue() * 100.0 / window)));
    return new Idle(
        keptWall == 0 ? -1 : 100.0 * keptCpu / keptWall, byThread, keptWall / 1e9, stalls);
  }

  /**
   * CPU time of every thread, by thread id: its name and nanoseconds. On Linux every thread of the
   * process, the JVM's own included (GC, JIT; names cut to 15 characters, 10 ms resolution), from
   * {@code /proc/self/task}; elsewhere the Java threads.
   */
  private static Map<String, Map.Entry<String, Long>> threadTimes() {
    Map<String, Map.Entry<String, Long>> out = new HashMap<>();
    Path tasks = Path.of("/proc/self/task");
    if (Files.isDirectory(tasks)) {
      try (Stream<Path> dirs = Files.list(tasks)) {
        for (Path task : dirs.toList()) {
          try {
            String stat = Files.readString(task.resolve("stat"));
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            String[] rest = stat.substring(close + 2).split(" ");
            // After the name: state is field 3 of stat(5); utime and stime are 14 and 15.
            long ticks = Long.parseLong(rest[11]) + Long.parseLong(rest[12]);
            out.put(
                task.getFileName().toString(),
                Map.entry(stat.substring(open + 1, close), ticks * 10_000_000L));
          } catch (IOException | RuntimeException e) {
            // the thread ended meanwhile
          }
        }
        return out;
      } catch (IOException e) {
        out.clear();
      }
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (long id : threads.getAllThreadIds()) {
      long t = threads.getThreadCpuTime(id);
      ThreadInfo info = threads.getThreadInfo(id);
      if (t >= 0 && info != null) {
        out.put(Long.toString(id), Map.entry(info.getThreadName(), t));
      }
    }
    return out;
  }

  /** Live threads per group (names without their numbers), most first. */
  static Map<String, Integer> threadGroups() {
    Map<String, Integer> counts = new HashMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      counts.merge(t.getName().replaceAll("[0-9]+", "N"), 1, Integer::sum);
    }
    Map<String, Integer> out = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(8)
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }

  // Watch misses

  /** What the watch-miss check found. */
  public record MissResult(
      int clusters,
      int objectsPerCluster,
      List<String> faulted,
      int droppedConnections,
      int droppedEdits,
      int droppedReported,
      long droppedMaxMillis,
      int outageEdits,
      int reportedByWatch,
      int reportedBySafetyNet,
      List<String> lost,
      int scanOnlySeen,
      long outageMillis,
      long afterRestoreP50Millis,
      long afterRestoreMaxMillis,
      long editToAlertMaxMillis,
      long missedBySafetyNet,
      int pauses,
      double loadAverage) {
    @Override
    public String toString() {
      String head =
          lost.isEmpty()
              ? ""
              : "!!! "
                  + lost.size()
                  + " EDIT(S) LOST (neither the watches nor a safety-net scan"
                  + " reported them): "
                  + lost
                  + "\n";
      String net =
          reportedBySafetyNet == 0
              ? ""
              : " !!! the relist missed "
                  + reportedBySafetyNet
                  + " of them: reported only by the safety-net scan;";
      return head
          + String.format(
              "watch miss check: %d clusters x %d objects, watches of %d clusters %s faulted."
                  + " (1) %d watch connections closed, one edit per cluster made at once: %d/%d"
                  + " reported, the last %d ms after its edit. (2) watches refused (503) and"
                  + " closed for %d ms (status scan-only at some point of its second half: %d of"
                  + " %d clusters), %d edits made meanwhile:"
                  + " %d/%d reported by the watches' relist,%s %d by the safety-net scan, %d"
                  + " lost; alert after the watches were allowed again: p50 %d ms, max %d ms"
                  + " (retry backoff included); edit -> alert max %d ms. Safety-net scans"
                  + " afterwards found %d drift the watches had not reported. Load average %.2f%s",
              clusters,
              objectsPerCluster,
              faulted.size(),
              faulted,
              droppedConnections,
              droppedReported,
              droppedEdits,
              droppedMaxMillis,
              outageMillis,
              scanOnlySeen,
              faulted.size(),
              outageEdits,
              reportedByWatch,
              outageEdits,
              net,
              reportedBySafetyNet,
              lost.size(),
              afterRestoreP50Millis,
              afterRestoreMaxMillis,
              editToAlertMaxMillis,
              missedBySafetyNet,
              loadAverage,
              pauses == 0
                  ? ""
                  : ". The process was paused "
                      + pauses
                      + " time(s) during the run (by the machine or a SIGSTOP): its times"
                      + " include that");
    }
  }

  /** Runs the watch-miss check. */
  public static MissResult miss(
      int clusters, int perCluster, int faultedCount, int edits, Duration outage) {
    if (faultedCount < 1 || faultedCount > clusters) {
      throw new IllegalArgumentException("faulted clusters must be 1.." + clusters);
    }
    try (WatchedFleet f = WatchedFleet.create(clusters, perCluster);
        Pauses pauses = new Pauses()) {
      f.startService();
      f.startWatching();
      f.awaitWatched(Duration.ofMinutes(10));
      // Faulted clusters spread over the fleet.
      List<String> faulted = new ArrayList<>();
      for (int i = 0; i < faultedCount; i++) {
        faulted.add(f.names.get(i * clusters / faultedCount));
      }
      List<Target> pool = new ArrayList<>();
      for (Target t : f.targets(clusters * (edits + 2), 11L)) {
        if (faulted.contains(t.cluster())) {
          pool.add(t);
        }
      }
      int k = 1000;

      // (1) Connections closed; the edits race the relist.
      Map<Target, Long> dropped = new LinkedHashMap<>();
      int connections = 0;
      for (String c : faulted) {
        connections += FaultyFleet.dropWatches(f.clusters, c);
        Target t = take(pool, c);
        dropped.put(t, f.edit(t, k++));
      }
      Map<Target, Long> droppedSeen = awaitAlerts(f, dropped, SETTLE);
      long droppedMax =
          droppedSeen.values().stream().mapToLong(v -> v / 1_000_000).max().orElse(-1);

      // (2) Watches refused and closed for a while; edits meanwhile.
      long down = System.nanoTime();
      for (String c : faulted) {
        FaultyFleet.failWatches(f.clusters, c, 503);
        FaultyFleet.dropWatches(f.clusters, c);
      }
      Map<Target, Long> outageEdits = new LinkedHashMap<>();
      long spacing = Math.max(1, outage.toMillis() / 2 / Math.max(1, edits));
      for (int i = 0; i < edits; i++) {
        Target t = take(pool, faulted.get(i % faulted.size()));
        outageEdits.put(t, f.edit(t, k++));
        WatchedFleet.sleep(Duration.ofMillis(spacing));
      }
      // Which clusters the status showed scan-only (sampled while the outage lasts).
      Set<String> seenScanOnly = new LinkedHashSet<>();
      do {
        for (String c : faulted) {
          if (f.status(c).state() == WatchState.SCAN_ONLY) {
            seenScanOnly.add(c);
          }
        }
        WatchedFleet.sleep(Duration.ofMillis(50));
      } while (System.nanoTime() - down < outage.toNanos());
      for (String c : faulted) {
        FaultyFleet.failWatches(f.clusters, c, 0);
      }
      long restored = System.nanoTime();
      long outageMillis = (restored - down) / 1_000_000;
      // The watches retry with backoff (up to 30 s between attempts by default).
      Map<Target, Long> byWatch = awaitAlerts(f, outageEdits, SETTLE);

      Map<Target, Long> missing = new LinkedHashMap<>(outageEdits);
      missing.keySet().removeAll(byWatch.keySet());
      Map<Target, Long> bySafetyNet = Map.of();
      if (!missing.isEmpty()) {
        Set<String> scanned = new LinkedHashSet<>();
        missing.keySet().forEach(t -> scanned.add(t.cluster()));
        scanned.forEach(f::safetyNetScan);
        bySafetyNet = awaitAlerts(f, missing, Duration.ofSeconds(20));
      }
      List<String> lost = new ArrayList<>();
      for (Target t : missing.keySet()) {
        if (!bySafetyNet.containsKey(t)) {
          lost.add(t.id().toString());
        }
      }
      for (Target t : dropped.keySet()) {
        if (!droppedSeen.containsKey(t)) {
          lost.add(t.id().toString() + " (edited while dropped)");
        }
      }
      List<Long> afterRestore = new ArrayList<>();
      long editToAlertMax = 0;
      for (Map.Entry<Target, Long> e : byWatch.entrySet()) {
        long at = outageEdits.get(e.getKey()) + e.getValue();
        afterRestore.add(Math.max(0, at - restored) / 1_000_000);
        editToAlertMax = Math.max(editToAlertMax, e.getValue() / 1_000_000);
      }
      List<Long> sorted = afterRestore.stream().sorted().toList();

      // The safety net afterwards: a scheduled full scan of each faulted cluster, watched
      // throughout, must find nothing the watches did not report (the missed-drift counter).
      WatchedFleet.sleep(f.watchSettings().window().plusMillis(200));
      for (String c : faulted) {
        f.safetyNetScan(c);
      }
      WatchedFleet.sleep(f.watchSettings().window().plusSeconds(6));
      long missedByNet = faulted.stream().mapToLong(c -> f.missed().getOrDefault(c, 0L)).sum();
      return new MissResult(
          clusters,
          perCluster,
          faulted,
          connections,
          dropped.size(),
          droppedSeen.size(),
          droppedMax,
          outageEdits.size(),
          byWatch.size(),
          bySafetyNet.size(),
          lost,
          seenScanOnly.size(),
          outageMillis,
          percentile(sorted, 50),
          sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1),
          editToAlertMax,
          missedByNet,
          pauses.count(),
          loadAverage());
    }
  }

  private static Target take(List<Target> pool, String cluster) {
    for (int i = 0; i < pool.size(); i++) {
      if (pool.get(i).cluster().equals(cluster)) {
        return pool.remove(i);
      }
    }
    throw new IllegalStateException("no object of " + cluster + " left to edit");
  }

  // Shared

  /** Nearest-rank percentile of sorted values; 0 when there are none. */
  static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static long mib(long bytes) {
    return bytes / (1024 * 1024);
  }
}

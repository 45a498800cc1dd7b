package dev.fleetwarden.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.fleetwarden.app.Config;
import dev.fleetwarden.app.Setting;
import dev.fleetwarden.app.Wiring;
import dev.fleetwarden.demo.EmbeddedFleet;
import dev.fleetwarden.demo.FaultyFleet;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.ledger.MessageRef;
import dev.fleetwarden.model.ClusterReport;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.Ownership;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.notify.Notifier;
import dev.fleetwarden.notify.OutboxDispatcher;
import dev.fleetwarden.reconcile.Alerts;
import dev.fleetwarden.reconcile.FleetService;
import dev.fleetwarden.reconcile.LiveSource;
import dev.fleetwarden.reconcile.TaskFiring;
import dev.fleetwarden.reconcile.WatchLoop;
import dev.fleetwarden.schedule.OutboxPump;
import dev.fleetwarden.store.JdbcStore;
import dev.fleetwarden.watch.WatchState;
import dev.fleetwarden.watch.WatchStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.eclipse.jgit.api.Git;

/**
 * A generated fleet watched as {@code run} watches it, for the watch benchmarks: {@code clusters}
 * embedded clusters (Fabric8's mock API server in CRUD mode, with fault switches) each holding the
 * same {@code objects} objects of five plain-manifest add-ons (Deployments, ConfigMaps and Services
 * over ten namespaces, as {@link ScanBenchmark} generates them), a fleet repo in Git saying so, and
 * the service's own parts built by {@link Wiring} from the default configuration: the fleet service
 * (JGit clone, renderer, H2 store in the work dir, alerts into the outbox), the watches ({@code
 * Fabric8LiveWatches}), the watch loop with the default coalescing window, and the outbox
 * dispatcher woken by each new alert, as in {@code Service}. The notifier records when each message
 * is handed to it ({@link HandOvers}) instead of posting it.
 *
 * <p>Setting up applies the objects to the clusters before the service starts (so that the heap of
 * the clusters alone can be measured); {@link #startService} then renders the fleet, and {@link
 * #startWatching} starts the watch loop. No full scan runs unless asked ({@link #safetyNetScan}):
 * each cluster is first judged from its watch cache, as {@code run} does when a cluster becomes
 * watched.
 */
final class WatchedFleet implements AutoCloseable {
  private static final YAMLMapper YAML =
      new YAMLMapper(
          YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build());

  /**
   * The embedded API servers log every request through java.util.logging; kept quiet (a strong
   * reference: the level of an unreferenced logger is forgotten).
   */
  private static final java.util.logging.Logger FABRIC8_JUL =
      java.util.logging.Logger.getLogger("io.fabric8");

  final Path dir;
  final List<String> names;
  final int perCluster;

  /** The objects of every cluster, with ids in no cluster: {@link #id} places them. */
  final List<DesiredObject> objects;

  final EmbeddedFleet clusters;
  final HandOvers handOvers = new HandOvers();
  private final Map<String, Integer> wholeVerdicts = new ConcurrentHashMap<>();
  private Wiring wiring;
  private FleetService service;
  private Alerts alerts;
  private LiveSource live;
  private OutboxPump pump;
  private WatchLoop loop;
  private WatchLoop.Settings watchSettings;

  private WatchedFleet(
      Path dir,
      List<String> names,
      int perCluster,
      List<DesiredObject> objects,
      EmbeddedFleet clusters) {
    this.dir = dir;
    this.names = names;
    this.perCluster = perCluster;
    this.objects = objects;
    this.clusters = clusters;
  }

  /**
   * Writes the fleet repo, starts the embedded clusters and applies every object to them (two
   * clusters at a time); the service is not started yet.
   */
  static WatchedFleet create(int clusterCount, int perCluster) {
    FABRIC8_JUL.setLevel(java.util.logging.Level.WARNING);
    Path dir;
    try {
      dir = Files.createTempDirectory("fleetwarden-watch-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < clusterCount; i++) {
      names.add(String.format("wb-%03d", i));
    }
    List<DesiredObject> objects =
        ScanBenchmark.desiredObjects("template", perCluster, new Random(42));
    EmbeddedFleet clusters = null;
    try {
      writeFleetRepo(dir.resolve("remote"), names, objects);
      clusters = FaultyFleet.start(dir.resolve("kubeconfig"), names.toArray(String[]::new));
      WatchedFleet f = new WatchedFleet(dir, List.copyOf(names), perCluster, objects, clusters);
      f.applyAll();
      return f;
    } catch (RuntimeException e) {
      if (clusters != null) {
        clusters.close();
      }
      Scratch.deleteQuietly(dir);
      throw e;
    }
  }

  private static void writeFleetRepo(Path root, List<String> names, List<DesiredObject> objects) {
    write(
        root.resolve("fleet.yaml"),
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Fleet
        metadata:
          name: watch-bench
        spec:
          defaults:
            kubeVersion: "1.30.0"
          notifications:
            routes:
              - channel: "#bench-alerts"
        """);
    write(
        root.resolve("environments/bench.yaml"),
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Environment
        metadata:
          name: bench
        spec: {}
        """);
    // One multi-document file per add-on, the objects in the order generated.
    Map<String, StringBuilder> addons = new TreeMap<>();
    for (DesiredObject d : objects) {
      String addon = d.manifest().at("/metadata/labels").path(Ownership.LABEL).asText();
      StringBuilder file = addons.computeIfAbsent(addon, a -> new StringBuilder());
      try {
        file.append("---\n").append(YAML.writeValueAsString(d.manifest()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    StringBuilder list = new StringBuilder();
    addons.forEach(
        (addon, file) -> {
          write(
              root.resolve("addons/" + addon + "/addon.yaml"),
              """
              apiVersion: fleetwarden.dev/v1alpha1
              kind: Addon
              metadata:
                name: %s
              spec:
                namespace: %s
                source:
                  manifests: {path: manifests}
              """
                  .formatted(addon, addon));
          write(root.resolve("addons/" + addon + "/manifests/objects.yaml"), file.toString());
          list.append("    - name: ").append(addon).append('\n');
        });
    for (String c : names) {
      write(
          root.resolve("clusters/" + c + "/cluster.yaml"),
          """
          apiVersion: fleetwarden.dev/v1alpha1
          kind: Cluster
          metadata:
            name: %s
          spec:
            role: workload
            environment: bench
            addons:
          """
                  .formatted(c)
              + list);
    }
    try (Git git = Git.init().setDirectory(root.toFile()).setInitialBranch("main").call()) {
      FleetGenerator.commitAll(git, "a generated fleet of " + names.size() + " clusters");
    } catch (org.eclipse.jgit.api.errors.GitAPIException e) {
      throw new IllegalStateException("cannot commit the generated fleet", e);
    }
  }

  private static void write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Applies the objects to every cluster, as a GitOps tool would have, two clusters at a time. */
  private void applyAll() {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (String c : names) {
        futures.add(pool.submit(() -> clusters.apply(c, objectsOf(c))));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("setup interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("setup failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private List<DesiredObject> objectsOf(String cluster) {
    List<DesiredObject> out = new ArrayList<>(objects.size());
    for (DesiredObject d : objects) {
      out.add(new DesiredObject(id(cluster, d), d.manifest(), d.provenance()));
    }
    return out;
  }

  /** The id of a generated object in a cluster. */
  static ResourceId id(String cluster, DesiredObject d) {
    return d.id().inCluster(cluster);
  }

  /**
   * Builds the service's parts from the default configuration (the coalescing window included) and
   * renders the fleet; watches do not start yet.
   */
  void startService() {
    Config config =
        Config.defaults(Map.of())
            .with(Setting.WORK_DIR, dir.resolve("work").toString())
            .with(Setting.FLEET_REPO, dir.resolve("remote").toString())
            .with(Setting.KUBE_EMBEDDED, "true")
            .with(Setting.HELM_EXAMPLE_REPOSITORY, "false");
    wiring = new Wiring(config, Map.of(), Clock.systemUTC());
    AtomicReference<FleetService> ref = new AtomicReference<>();
    live =
        wiring.clusters(
            clusters,
            () -> {
              FleetService s = ref.get();
              return s == null ? null : s.fleet();
            });
    alerts = wiring.alerts();
    try {
      service =
          wiring.fleetService(
              wiring.fleetRepository(),
              live,
              null,
              alerts,
              new FleetService.Listener() {
                @Override
                public void scanned(ClusterReport report, DriftSource scope, Duration took) {
                  wholeVerdicts.merge(report.name(), 1, Integer::sum);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ref.set(service);
    service.start();
    Fleet f = service.fleet();
    if (f == null || f.clusters().size() != names.size()) {
      throw new IllegalStateException(
          "the generated fleet did not load: "
              + (f == null ? service.brokenErrors() : f.clusters().size() + " clusters"));
    }
    for (String c : names) {
      if (service.render(c) == null || service.render(c).failed()) {
        throw new IllegalStateException("cluster " + c + " did not render");
      }
    }
    // New alerts wake the dispatcher at once; the tick sends retries (as in Service).
    OutboxDispatcher dispatcher = wiring.dispatcher(handOvers);
    pump = new OutboxPump(dispatcher::dispatchDue, Duration.ofSeconds(2));
    alerts.onEnqueued(pump::wake);
  }

  /** Starts the watch loop as {@code run} does (default settings of the configuration). */
  void startWatching() {
    watchSettings = wiring.watchSettings();
    loop =
        new WatchLoop(
            service,
            wiring.liveWatches(live),
            wiring.clusterLeases(),
            watchSettings,
            Clock.systemUTC(),
            null);
    service.onAffected(loop::desiredChanged);
    loop.start();
  }

  /**
   * Waits until every cluster is watching and has been judged once from its watch cache.
   *
   * @throws IllegalStateException when that takes longer than {@code max}
   */
  void awaitWatched(Duration max) {
    await(
        "every cluster watching and judged from its cache",
        () -> {
          for (String c : names) {
            if (loop.status(c).state() != WatchState.WATCHING
                || wholeVerdicts.getOrDefault(c, 0) == 0) {
              return false;
            }
          }
          return true;
        },
        max);
  }

  /** How many clusters have been judged from their watch cache (or scanned) at least once. */
  int judgedClusters() {
    return wholeVerdicts.size();
  }

  WatchLoop.Settings watchSettings() {
    return watchSettings;
  }

  WatchStatus status(String cluster) {
    return loop.status(cluster);
  }

  JdbcStore store() {
    return wiring.store();
  }

  FleetService service() {
    return service;
  }

  /** The safety-net scan of a cluster, as the scheduler fires it (it runs: no full scan yet). */
  void safetyNetScan(String cluster) {
    Instant now = Instant.now();
    try {
      loop.tasks()
          .run(
              new TaskFiring(
                  "kubernetes-drift", cluster, now, now, false, "bench", "1", "kubernetes-drift"));
    } catch (Exception e) {
      throw new IllegalStateException("the safety-net scan of " + cluster + " failed", e);
    }
  }

  /** Drift found by safety-net scans that no watch event explained, per cluster. */
  Map<String, Long> missed() {
    return loop.missed();
  }

  /** Objects cached by every cluster's watches, and their trimmed JSON size. */
  long[] cached() {
    long objects = 0;
    long bytes = 0;
    for (String c : names) {
      WatchStatus s = loop.status(c);
      objects += s.objectsCached();
      bytes += s.bytesCached();
    }
    return new long[] {objects, bytes};
  }

  /** Open watch connections over the fleet. */
  int watchConnections() {
    int n = 0;
    for (String c : names) {
      n += loop.status(c).watches();
    }
    return n;
  }

  /** Shuffled (cluster, object) pairs, distinct, spread round-robin over the clusters. */
  List<Target> targets(int count, long seed) {
    if (count > names.size() * objects.size()) {
      throw new IllegalArgumentException(
          count + " edits but only " + names.size() * objects.size() + " objects");
    }
    Random random = new Random(seed);
    Map<String, List<DesiredObject>> perCluster = new LinkedHashMap<>();
    for (String c : names) {
      List<DesiredObject> shuffled = new ArrayList<>(objects);
      Collections.shuffle(shuffled, random);
      perCluster.put(c, shuffled);
    }
    List<Target> out = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      String c = names.get(k % names.size());
      out.add(new Target(c, perCluster.get(c).get(k / names.size())));
    }
    return out;
  }

  /** One object of one cluster, as edits and alerts name it. */
  record Target(String cluster, DesiredObject object) {
    ResourceId id() {
      return WatchedFleet.id(cluster, object);
    }

    /**
     * Whether an alert names this object: its id ({@code cluster/Kind.group/namespace/name})
     * followed by a character that cannot be part of a name (so that {@code app-1} does not match
     * {@code app-12}).
     */
    boolean namedIn(String text) {
      String needle = id().toString();
      int at = text.indexOf(needle);
      while (at >= 0) {
        int end = at + needle.length();
        if (end == text.length() || !isNameChar(text.charAt(end))) {
          return true;
        }
        at = text.indexOf(needle, at + 1);
      }
      return false;
    }

    private static boolean isNameChar(char c) {
      return Character.isLetterOrDigit(c) || c == '-' || c == '.';
    }
  }

  /**
   * Changes one object through the cluster's API, as {@code kubectl edit} would (a read, then a
   * write of the whole object), with a value unique to {@code k}.
   *
   * @return {@link System#nanoTime} right before the write was sent
   */
  long edit(Target t, int k) {
    ResourceId id = t.id();
    ObjectNode live =
        clusters.get(t.cluster(), t.object().apiVersion(), id.kind(), id.namespace(), id.name());
    switch (id.kind()) {
      case "Deployment" ->
          ((ObjectNode) live.at("/spec/template/spec/containers/0"))
              .put("image", "registry.example.com/hotfix:" + k);
      case "ConfigMap" -> ((ObjectNode) live.get("data")).put("log.level", "trace-" + k);
      default -> ((ObjectNode) live.at("/spec/ports/0")).put("port", 20000 + k);
    }
    long before = System.nanoTime();
    clusters.update(t.cluster(), live);
    return before;
  }

  static void await(String what, BooleanSupplier condition, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + max + " waiting for " + what);
      }
      sleep(Duration.ofMillis(50));
    }
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    try {
      if (loop != null) {
        loop.close();
      }
      if (pump != null) {
        pump.close();
      }
      if (wiring != null) {
        wiring.close();
      }
    } catch (Exception e) {
      throw new IllegalStateException("closing the service failed", e);
    } finally {
      clusters.close();
      Scratch.deleteQuietly(dir);
    }
  }

  /**
   * The notifier of the benchmarks: records each message handed to it, with {@link System#nanoTime}
   * at hand-over, and answers as Slack would (a new ts per post).
   */
  static final class HandOvers implements Notifier {
    /** One message handed over. */
    record HandOver(long nanos, String channel, String text, String threadTs) {}

    private final List<HandOver> received = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong ts = new AtomicLong();

    @Override
    public MessageRef post(String channel, String text, String blocks, String threadTs) {
      received.add(new HandOver(System.nanoTime(), channel, text + "\n" + blocks, threadTs));
      return new MessageRef("C0BENCH", "1700000000." + String.format("%06d", ts.incrementAndGet()));
    }

    @Override
    public void update(MessageRef message, String text, String blocks) {
      received.add(new HandOver(System.nanoTime(), message.channel(), text + "\n" + blocks, null));
    }

    /** Every message handed over so far, oldest first. */
    List<HandOver> all() {
      synchronized (received) {
        return List.copyOf(received);
      }
    }

    /**
     * When the first message naming {@code t} after {@code sinceNanos} was handed over; -1 when
     * none was.
     */
    long firstNaming(Target t, long sinceNanos) {
      synchronized (received) {
        for (HandOver h : received) {
          if (h.nanos() >= sinceNanos && h.threadTs() == null && t.namedIn(h.text())) {
            return h.nanos();
          }
        }
      }
      return -1;
    }
  }
}

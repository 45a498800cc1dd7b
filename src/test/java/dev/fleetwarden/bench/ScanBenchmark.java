package dev.fleetwarden.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.demo.EmbeddedFleet;
import dev.fleetwarden.drift.DiffInput;
import dev.fleetwarden.drift.Differ;
import dev.fleetwarden.drift.SecretHasher;
import dev.fleetwarden.fleet.Connection;
import dev.fleetwarden.kube.ClusterClients;
import dev.fleetwarden.kube.Fabric8LiveStateReader;
import dev.fleetwarden.kube.KubeSettings;
import dev.fleetwarden.kube.LiveState;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.Ownership;
import dev.fleetwarden.model.Provenance;
import dev.fleetwarden.model.ResourceId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A full Kubernetes diff of a fleet of embedded clusters (one Fabric8 mock API server per cluster):
 * applies a realistic mix of Deployments, ConfigMaps and Services over ten namespaces to every
 * cluster, changes a few percent of them behind Git's back, then times the scan the product runs:
 * clusters in parallel ({@link KubeSettings#readParallelism()} at once), each read through {@link
 * Fabric8LiveStateReader} and diffed with {@link Differ}. Setup is not timed. Prints the best of
 * three timed scans after one warm-up, objects per second, drifts found (which must be exactly the
 * planted ones) and peak heap.
 *
 * <p>{@code mvn -B -q test-compile exec:exec -Dbench=ScanBenchmark -Dbench.args="[clusters]
 * [objects-per-cluster]"}
 */
public final class ScanBenchmark {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final int NAMESPACES = 10;
  private static final String[] ADDONS = {"payments", "search", "checkout", "catalog", "gateway"};
  private static final int TIMED_RUNS = 3;

  /**
   * The embedded API servers log every request through java.util.logging, which would be timed with
   * the scan; kept quiet here (a strong reference: the level of an unreferenced logger is
   * forgotten).
   */
  private static final java.util.logging.Logger FABRIC8_JUL =
      java.util.logging.Logger.getLogger("io.fabric8");

  /** What the measured scans did and cost. */
  public record Result(
      int clusters,
      int objects,
      int planted,
      int drifts,
      long setupMillis,
      long warmupMillis,
      long bestMillis,
      long worstMillis,
      double objectsPerSecond,
      long peakHeapBytes,
      int parallelism) {
    @Override
    public String toString() {
      return String.format(
          "scan: %d clusters x %d objects = %d objects, %d drifts found (%d planted);"
              + " best of %d scans %d ms (worst %d ms, warm-up %d ms), %,.0f objects/s,"
              + " peak heap %d MB, %d clusters at once, %d processors (setup %d ms, not timed)",
          clusters,
          clusters == 0 ? 0 : objects / clusters,
          objects,
          drifts,
          planted,
          TIMED_RUNS,
          bestMillis,
          worstMillis,
          warmupMillis,
          objectsPerSecond,
          peakHeapBytes / (1024 * 1024),
          parallelism,
          Runtime.getRuntime().availableProcessors(),
          setupMillis);
    }
  }

  /** One cluster's desired objects and the ids changed live behind Git's back. */
  record ClusterSetup(List<DesiredObject> desired, Set<ResourceId> planted) {}

  private ScanBenchmark() {}

  public static void main(String[] args) {
    int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int perCluster = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    System.out.println(run(clusters, perCluster));
  }

  /**
   * Runs the benchmark.
   *
   * @throws IllegalStateException when a scan does not find exactly the planted drift
   */
  public static Result run(int clusters, int perCluster) {
    FABRIC8_JUL.setLevel(java.util.logging.Level.WARNING);
    Path dir = null;
    String[] names = new String[clusters];
    for (int i = 0; i < clusters; i++) {
      names[i] = String.format("scan-%02d", i);
    }
    try {
      dir = Files.createTempDirectory("fleetwarden-scan-bench-");
      try (EmbeddedFleet fleet = EmbeddedFleet.start(dir.resolve("kubeconfig"), names)) {
        long setupStart = System.nanoTime();
        Map<String, ClusterSetup> setups = setUp(fleet, names, perCluster);
        long setupMillis = (System.nanoTime() - setupStart) / 1_000_000;
        Map<String, Connection> connections = new LinkedHashMap<>();
        for (String c : names) {
          connections.put(c, Connection.context(c));
        }
        KubeSettings settings = KubeSettings.DEFAULTS;
        try (ClusterClients clients =
            new ClusterClients(connections, null, fleet.kubeconfigPath(), settings)) {
          Fabric8LiveStateReader reader = new Fabric8LiveStateReader(clients);
          int parallelism = Math.max(1, Math.min(settings.readParallelism(), clusters));
          int planted = setups.values().stream().mapToInt(s -> s.planted().size()).sum();
          int objects = setups.values().stream().mapToInt(s -> s.desired().size()).sum();

          long warmStart = System.nanoTime();
          int drifts = scan(reader, setups, parallelism);
          long warmupMillis = (System.nanoTime() - warmStart) / 1_000_000;

          List<MemoryPoolMXBean> heap =
              ManagementFactory.getMemoryPoolMXBeans().stream()
                  .filter(p -> p.getType() == MemoryType.HEAP)
                  .toList();
          long best = Long.MAX_VALUE;
          long worst = 0;
          long peak = 0;
          for (int run = 0; run < TIMED_RUNS; run++) {
            System.gc();
            heap.forEach(MemoryPoolMXBean::resetPeakUsage);
            long start = System.nanoTime();
            drifts = scan(reader, setups, parallelism);
            long took = System.nanoTime() - start;
            peak = Math.max(peak, heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum());
            best = Math.min(best, took);
            worst = Math.max(worst, took);
          }
          return new Result(
              clusters,
              objects,
              planted,
              drifts,
              setupMillis,
              warmupMillis,
              best / 1_000_000,
              worst / 1_000_000,
              objects / (best / 1e9),
              peak,
              parallelism);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      Scratch.deleteQuietly(dir);
    }
  }

  /**
   * One full scan: every cluster read and diffed, {@code parallelism} clusters at once, as the
   * product's fleet scan does. Checks each cluster's drift against what was planted.
   *
   * @return the number of drifted objects found
   */
  static int scan(
      Fabric8LiveStateReader reader, Map<String, ClusterSetup> setups, int parallelism) {
    Differ differ = new Differ(SecretHasher.ephemeral());
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    try {
      Map<String, Future<List<ObjectDrift>>> futures = new LinkedHashMap<>();
      for (Map.Entry<String, ClusterSetup> e : setups.entrySet()) {
        String cluster = e.getKey();
        List<DesiredObject> desired = e.getValue().desired();
        futures.put(
            cluster,
            pool.submit(
                () -> {
                  LiveState live = reader.read(cluster, desired);
                  if (!live.isKnown()) {
                    throw new IllegalStateException(
                        "cluster " + cluster + " could not be read: " + live.unknownReason());
                  }
                  return differ.diff(
                      new DiffInput(
                          cluster, desired, live.objects(), Set.of(), List.of(), Map.of()));
                }));
      }
      int drifts = 0;
      for (Map.Entry<String, Future<List<ObjectDrift>>> f : futures.entrySet()) {
        List<ObjectDrift> found = f.getValue().get();
        Set<ResourceId> expected = setups.get(f.getKey()).planted();
        Set<ResourceId> got = new TreeSet<>();
        found.forEach(d -> got.add(d.resource()));
        if (!got.equals(expected)) {
          throw new IllegalStateException(
              "cluster "
                  + f.getKey()
                  + ": drift found on "
                  + got.size()
                  + " objects but "
                  + expected.size()
                  + " were changed; found "
                  + limit(got)
                  + ", changed "
                  + limit(expected)
                  + ", first drift "
                  + (found.isEmpty() ? "none" : found.get(0)));
        }
        drifts += found.size();
      }
      return drifts;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("scan interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("scan failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static String limit(Set<ResourceId> ids) {
    return ids.stream().limit(5).toList() + (ids.size() > 5 ? "..." : "");
  }

  /** Applies the desired objects to every cluster, then plants drift (two clusters at once). */
  static Map<String, ClusterSetup> setUp(EmbeddedFleet fleet, String[] names, int perCluster) {
    Map<String, ClusterSetup> out = new LinkedHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Map<String, Future<ClusterSetup>> futures = new LinkedHashMap<>();
      for (int i = 0; i < names.length; i++) {
        String cluster = names[i];
        long seed = 42L + i;
        futures.put(cluster, pool.submit(() -> setUpCluster(fleet, cluster, perCluster, seed)));
      }
      for (Map.Entry<String, Future<ClusterSetup>> f : futures.entrySet()) {
        out.put(f.getKey(), f.getValue().get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("setup interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("setup failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static ClusterSetup setUpCluster(
      EmbeddedFleet fleet, String cluster, int perCluster, long seed) {
    Random random = new Random(seed);
    List<DesiredObject> desired = desiredObjects(cluster, perCluster, random);
    fleet.apply(cluster, desired);
    // About 3% drift, at least one object per cluster: each kind changed its own way.
    int toChange = Math.max(1, perCluster * 3 / 100);
    Set<ResourceId> planted = new TreeSet<>();
    List<DesiredObject> candidates = new ArrayList<>(desired);
    java.util.Collections.shuffle(candidates, random);
    for (DesiredObject d : candidates.subList(0, Math.min(toChange, candidates.size()))) {
      ResourceId id = d.id();
      ObjectNode live = fleet.get(cluster, d.apiVersion(), id.kind(), id.namespace(), id.name());
      switch (id.kind()) {
        case "Deployment" ->
            ((ObjectNode) live.at("/spec/template/spec/containers/0"))
                .put("image", "registry.example.com/hotfix:" + random.nextInt(100));
        case "ConfigMap" -> ((ObjectNode) live.get("data")).put("log.level", "trace");
        default -> ((ObjectNode) live.at("/spec/ports/0")).put("port", 8081);
      }
      fleet.update(cluster, live);
      planted.add(id);
    }
    return new ClusterSetup(desired, planted);
  }

  /** A realistic mix over ten namespaces: Deployments, ConfigMaps and Services in turn. */
  static List<DesiredObject> desiredObjects(String cluster, int count, Random random) {
    List<DesiredObject> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String ns = "team-" + (i % NAMESPACES);
      String addon = ADDONS[i % ADDONS.length];
      ObjectNode manifest =
          switch (i % 3) {
            case 0 -> deployment("app-" + i, ns, addon, random);
            case 1 -> configMap("cfg-" + i, ns, addon, random);
            default -> service("svc-" + i, ns, addon);
          };
      out.add(
          new DesiredObject(
              ResourceId.of(cluster, manifest),
              manifest,
              new Provenance(addon, "addons/" + addon + "/templates/" + i % 3 + ".yaml")));
    }
    return out;
  }

  private static ObjectNode meta(
      String apiVersion, String kind, String name, String ns, String addon) {
    ObjectNode object = F.objectNode().put("apiVersion", apiVersion).put("kind", kind);
    ObjectNode meta = object.putObject("metadata").put("name", name).put("namespace", ns);
    meta.putObject("labels")
        .put("app.kubernetes.io/name", name)
        .put("app.kubernetes.io/part-of", ns)
        .put(Ownership.LABEL, addon);
    return object;
  }

  private static ObjectNode deployment(String name, String ns, String addon, Random random) {
    ObjectNode d = meta("apps/v1", "Deployment", name, ns, addon);
    ObjectNode spec = d.putObject("spec").put("replicas", 1 + random.nextInt(4));
    spec.putObject("selector").putObject("matchLabels").put("app.kubernetes.io/name", name);
    ObjectNode template = spec.putObject("template");
    template.putObject("metadata").putObject("labels").put("app.kubernetes.io/name", name);
    ObjectNode pod = template.putObject("spec");
    ArrayNode containers = pod.putArray("containers");
    for (int c = 0; c < 2; c++) {
      ObjectNode container = containers.addObject().put("name", c == 0 ? "app" : "proxy");
      container.put("image", "registry.example.com/" + name + "/" + c + ":1." + random.nextInt(20));
      container.putArray("args").add("--port=" + (8080 + c)).add("--verbose");
      ArrayNode ports = container.putArray("ports");
      ports.addObject().put("name", "http").put("containerPort", 8080 + c);
      ports.addObject().put("name", "metrics").put("containerPort", 9090 + c);
      ArrayNode env = container.putArray("env");
      for (int e = 0; e < 5; e++) {
        env.addObject().put("name", "VAR_" + e).put("value", "value-" + e);
      }
      ObjectNode resources = container.putObject("resources");
      resources.putObject("requests").put("cpu", "250m").put("memory", "256Mi");
      resources.putObject("limits").put("cpu", "1").put("memory", "1Gi");
      container
          .putArray("volumeMounts")
          .addObject()
          .put("name", "config")
          .put("mountPath", "/etc/" + c);
    }
    pod.putArray("volumes")
        .addObject()
        .put("name", "config")
        .putObject("configMap")
        .put("name", name);
    return d;
  }

  private static ObjectNode configMap(String name, String ns, String addon, Random random) {
    ObjectNode cm = meta("v1", "ConfigMap", name, ns, addon);
    ObjectNode data = cm.putObject("data");
    data.put("log.level", "info").put("cache.ttl", "300").put("feature.flags", "a,b,c");
    data.put(
        "settings.yaml", "server:\n  port: 8080\n  workers: " + (1 + random.nextInt(8)) + "\n");
    return cm;
  }

  private static ObjectNode service(String name, String ns, String addon) {
    ObjectNode svc = meta("v1", "Service", name, ns, addon);
    ObjectNode spec = svc.putObject("spec");
    spec.putObject("selector").put("app.kubernetes.io/name", name);
    ArrayNode ports = spec.putArray("ports");
    ports.addObject().put("name", "http").put("port", 80).put("targetPort", 8080);
    ports.addObject().put("name", "metrics").put("port", 9090).put("targetPort", 9090);
    return svc;
  }
}

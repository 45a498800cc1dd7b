package dev.fleetwarden.bench;

import dev.fleetwarden.charts.ChartCache;
import dev.fleetwarden.charts.ChartFetcher;
import dev.fleetwarden.charts.ChartRepositoryServer;
import dev.fleetwarden.charts.ChartSources;
import dev.fleetwarden.charts.RepositoryCredentials;
import dev.fleetwarden.fleet.ChartAllowList;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.reconcile.FetchAndRender;
import dev.fleetwarden.render.FleetRenderer;
import dev.fleetwarden.render.RenderListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a generated fleet whose clusters all run the same remote charts, served by a real chart
 * repository on 127.0.0.1, three ways: cold (an empty chart cache: every index and archive fetched,
 * checked and unpacked, then the render), warm (a new fetch step and renderer over the filled
 * cache, as after a restart: no request) and vendored (the same charts as directories of the fleet
 * repo). Each way runs {@code rounds} times, alternating, with a renderer of its own each time (no
 * Helm output is reused across runs; the Helm process is started once by a warm-up); the median is
 * printed. Clusters get per-cluster values in four variants, so Helm runs 4 times per chart.
 *
 * <p>{@code mvn -B -q test-compile exec:exec -Dbench=ChartFetchBenchmark -Dbench.args="100 6 3"}
 * (clusters, charts, rounds)
 */
public final class ChartFetchBenchmark {
  /** Medians of the three ways, and what they did. */
  public record Result(
      int clusters,
      int charts,
      int rounds,
      long coldMillis,
      long warmMillis,
      long vendoredMillis,
      int coldRequests,
      int warmRequests,
      int failed,
      long objects) {
    /** How much slower the warm render is than the vendored one, in percent. */
    public double warmOverVendoredPercent() {
      return vendoredMillis == 0 ? 0 : 100.0 * (warmMillis - vendoredMillis) / vendoredMillis;
    }

    @Override
    public String toString() {
      return String.format(
          "%d clusters x %d remote charts, median of %d: cold cache %d ms (%d requests), warm"
              + " cache %d ms (%d requests), vendored %d ms; warm vs vendored %+.1f %%; %d"
              + " objects per render, %d failed, %d processors",
          clusters,
          charts,
          rounds,
          coldMillis,
          coldRequests,
          warmMillis,
          warmRequests,
          vendoredMillis,
          warmOverVendoredPercent(),
          objects,
          failed,
          Runtime.getRuntime().availableProcessors());
    }
  }

  private ChartFetchBenchmark() {}

  public static Result run(int clusters, int charts, int rounds) {
    Path dir = null;
    try (ChartRepositoryServer repo = ChartRepositoryServer.start("charts")) {
      dir = Files.createTempDirectory("fleetwarden-chart-bench-");
      List<String> names = new ArrayList<>();
      for (int c = 0; c < charts; c++) {
        String name = "chart-" + c;
        names.add(name);
        repo.publish(name, "1.0." + c, chartFiles(name, "1.0." + c));
      }
      Fleet remote = FleetLoader.load(fleet(dir.resolve("remote"), names, clusters, repo.url()));
      Fleet vendored = FleetLoader.load(fleet(dir.resolve("vendored"), names, clusters, null));
      ChartAllowList allowed = ChartAllowList.parse(repo.url());

      // Starts the Helm process and warms the JIT; its renderer and cache are thrown away.
      new FleetRenderer()
          .render(vendored, List.copyOf(vendored.clusters().keySet()).subList(0, 2), null);

      long[] cold = new long[rounds];
      long[] warm = new long[rounds];
      long[] plain = new long[rounds];
      int coldRequests = 0;
      int warmRequests = 0;
      int failed = 0;
      long objects = 0;
      for (int r = 0; r < rounds; r++) {
        Path cache = dir.resolve("cache-" + r);
        int before = repo.requests().size();
        long start = System.nanoTime();
        Map<String, ClusterRender> renders =
            rendering(allowed, cache).renderAll(remote, RenderListener.NONE).all();
        cold[r] = System.nanoTime() - start;
        coldRequests = repo.requests().size() - before;
        failed += failures(renders);

        before = repo.requests().size();
        start = System.nanoTime();
        renders = rendering(allowed, cache).renderAll(remote, RenderListener.NONE).all();
        warm[r] = System.nanoTime() - start;
        warmRequests = repo.requests().size() - before;
        failed += failures(renders);
        objects = renders.get("gen-000").objects().size();

        start = System.nanoTime();
        renders = new FleetRenderer().renderAll(vendored, RenderListener.NONE);
        plain[r] = System.nanoTime() - start;
        failed += failures(renders);
      }
      return new Result(
          clusters,
          charts,
          rounds,
          median(cold),
          median(warm),
          median(plain),
          coldRequests,
          warmRequests,
          failed,
          objects);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (dev.fleetwarden.fleet.FleetValidationException e) {
      throw new IllegalStateException("the generated fleet is invalid: " + e.getMessage(), e);
    } finally {
      Scratch.deleteQuietly(dir);
    }
  }

  private static FetchAndRender rendering(ChartAllowList allowed, Path cache) {
    return new FetchAndRender(
        new ChartFetcher(
            allowed,
            new ChartSources(allowed, RepositoryCredentials.NONE, Map.of(), Duration.ofSeconds(30)),
            new ChartCache(cache)),
        new FleetRenderer());
  }

  private static int failures(Map<String, ClusterRender> renders) {
    int n = 0;
    for (ClusterRender r : renders.values()) {
      if (r.failed()) {
        if (n++ < 3) {
          System.err.println("failed: " + r.cluster() + ": " + r.error());
        }
      }
    }
    return n;
  }

  private static long median(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2] / 1_000_000;
  }

  /** A chart like a small real add-on: a Deployment, a Service and a ConfigMap from values. */
  static Map<String, String> chartFiles(String name, String version) {
    Map<String, String> files = new TreeMap<>();
    files.put("Chart.yaml", "apiVersion: v2\nname: " + name + "\nversion: " + version + "\n");
    files.put(
        "values.yaml",
        "replicas: 1\nimage: {repository: registry.example.org/"
            + name
            + ", tag: \"1.0\"}\n"
            + "port: 8080\nlogLevel: info\n");
    files.put(
        "templates/deployment.yaml",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{ .Chart.Name }}
          labels: {app: {{ .Chart.Name }}}
        spec:
          replicas: {{ .Values.replicas }}
          selector: {matchLabels: {app: {{ .Chart.Name }}}}
          template:
            metadata: {labels: {app: {{ .Chart.Name }}}}
            spec:
              containers:
                - name: main
                  image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
                  ports: [{containerPort: {{ .Values.port }}}]
                  env: [{name: LOG_LEVEL, value: {{ .Values.logLevel | quote }}}]
        """);
    files.put(
        "templates/service.yaml",
        """
        apiVersion: v1
        kind: Service
        metadata: {name: {{ .Chart.Name }}}
        spec:
          selector: {app: {{ .Chart.Name }}}
          ports: [{port: 80, targetPort: {{ .Values.port }}}]
        """);
    files.put(
        "templates/configmap.yaml",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: {{ .Chart.Name }}-config}
        data: {level: {{ .Values.logLevel | quote }}, replicas: "{{ .Values.replicas }}"}
        """);
    return files;
  }

  /**
   * A fleet of {@code clusters} workload clusters running every chart: from {@code repository}, or
   * vendored under each add-on when it is null.
   */
  static Path fleet(Path root, List<String> charts, int clusters, String repository)
      throws IOException {
    write(
        root.resolve("fleet.yaml"),
        "apiVersion: fleetwarden.dev/v1alpha1\nkind: Fleet\nmetadata: {name: bench}\n"
            + "spec: {defaults: {kubeVersion: \"1.30.0\"}}\n");
    write(
        root.resolve("environments/prod.yaml"),
        "apiVersion: fleetwarden.dev/v1alpha1\nkind: Environment\nmetadata: {name: prod}\n"
            + "spec: {}\n");
    for (int i = 0; i < charts.size(); i++) {
      String name = charts.get(i);
      String source;
      if (repository == null) {
        for (Map.Entry<String, String> f : chartFiles(name, "1.0." + i).entrySet()) {
          write(root.resolve("addons/" + name + "/chart/" + f.getKey()), f.getValue());
        }
        source = "{chart: chart}";
      } else {
        source = "{repository: " + repository + ", chart: " + name + ", version: 1.0." + i + "}";
      }
      write(
          root.resolve("addons/" + name + "/addon.yaml"),
          "apiVersion: fleetwarden.dev/v1alpha1\nkind: Addon\nmetadata: {name: "
              + name
              + "}\nspec:\n  namespace: "
              + name
              + "\n  source:\n    helm: "
              + source
              + "\n  clusterSelector: {}\n");
    }
    for (int c = 0; c < clusters; c++) {
      String cluster = String.format("gen-%03d", c);
      write(
          root.resolve("clusters/" + cluster + "/cluster.yaml"),
          "apiVersion: fleetwarden.dev/v1alpha1\nkind: Cluster\nmetadata: {name: "
              + cluster
              + "}\nspec:\n  role: "
              + (c == 0 ? "management" : "workload")
              + "\n  environment: prod\n");
      int variant = c % 4;
      if (variant != 0) {
        for (String name : charts) {
          write(
              root.resolve("clusters/" + cluster + "/values/" + name + ".yaml"),
              "replicas: " + (variant + 1) + "\n");
        }
      }
    }
    return root;
  }

  private static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  public static void main(String[] args) {
    int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int charts = args.length > 1 ? Integer.parseInt(args[1]) : 6;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    System.out.println(run(clusters, charts, rounds));
    System.exit(0);
  }
}

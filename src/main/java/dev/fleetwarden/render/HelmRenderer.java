package dev.fleetwarden.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.LocatedYaml;
import dev.fleetwarden.fleet.RepoFiles;
import dev.fleetwarden.fleet.Values;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders an add-on's Helm chart (a directory of the fleet repo, or a remote chart the fetch step
 * unpacked into the chart cache) with merged values through a {@link HelmEngine}. Rendered output
 * is cached by a hash of (chart directory content, values, Kubernetes version, release, namespace):
 * clusters with the same inputs share one Helm run. Engines that are not thread-safe are called
 * under a lock; everything around the call (hashing, parsing) stays parallel.
 */
public final class HelmRenderer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TEMPLATE_REF =
      Pattern.compile(
          "(?<![\\w/.-])([\\w.-]+/(?:[\\w.-]+/)*[\\w.-]+\\.(?:ya?ml|tpl|txt|json))(?::(\\d+))?");

  private final HelmEngine engine;
  private final int cacheSize;
  private final ReentrantLock engineLock = new ReentrantLock();
  private final Map<String, CompletableFuture<String>> cache;
  private final Map<String, Values> chartValues = new ConcurrentHashMap<>();
  private final AtomicLong engineCalls = new AtomicLong();
  private final AtomicLong cacheHits = new AtomicLong();
  private volatile Path scratch;

  public HelmRenderer(HelmEngine engine) {
    this(engine, 1024);
  }

  public HelmRenderer(HelmEngine engine, int cacheSize) {
    this.engine = engine;
    this.cacheSize = cacheSize;
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<String>> e) {
            return size() > HelmRenderer.this.cacheSize;
          }
        };
  }

  /** Number of times the engine ran (cache misses), for tests and benchmarks. */
  public long engineCalls() {
    return engineCalls.get();
  }

  /** Number of renders served from the cache. */
  public long cacheHits() {
    return cacheHits.get();
  }

  /**
   * A chart to render: directory {@code rel} under {@code root} (the fleet repo, or a chart cache
   * entry), named {@code display} in provenance and errors (its repo-relative path, or the remote
   * archive's name). Values of a remote chart's own {@code values.yaml} are never attributed to a
   * file: no pull request can edit them.
   */
  record Chart(Path root, String rel, String display, boolean inRepo) {
    static Chart ofRepo(Path repoRoot, String rel) {
      return new Chart(repoRoot, rel, rel, true);
    }

    /** A chart unpacked outside the repo, shown under {@code display}. */
    static Chart fetched(Path directory, String display) {
      return new Chart(directory.getParent(), directory.getFileName().toString(), display, false);
    }

    Path directory() {
      return root.resolve(rel);
    }
  }

  /**
   * The chart's own {@code values.yaml} as the most general values layer, or {@link Values#EMPTY}
   * when the chart has none.
   */
  Values chartDefaults(Chart chart, String addon, ContentHashes hashes) throws RenderException {
    String file = chart.rel() + "/values.yaml";
    if (!RepoFiles.exists(chart.root(), file)) {
      return Values.EMPTY;
    }
    String key = ContentHashes.sha256(chart.display(), hashes.directory(chart.directory()));
    Values cached = chartValues.get(key);
    if (cached != null) {
      return cached;
    }
    Values parsed = parseChartValues(chart, file, addon);
    if (chartValues.size() > cacheSize) {
      chartValues.clear();
    }
    chartValues.put(key, parsed);
    return parsed;
  }

  private static Values parseChartValues(Chart chart, String file, String addon)
      throws RenderException {
    String shown = chart.display() + "/values.yaml";
    try {
      LocatedYaml.Document doc = LocatedYaml.parse(shown, RepoFiles.read(chart.root(), file));
      if (!doc.root().isObject()) {
        return Values.EMPTY;
      }
      return chart.inRepo()
          ? new Values(file, doc.root(), doc.locations())
          : new Values(null, doc.root(), Map.of());
    } catch (FleetValidationException e) {
      var err = e.errors().get(0);
      throw new RenderException(addon, shown, err.line(), err.message());
    }
  }

  /** Renders a chart into objects. */
  List<RenderedDocument> render(
      Chart chart,
      ObjectNode values,
      String release,
      String namespace,
      String kubeVersion,
      ContentHashes hashes)
      throws RenderException {
    Path chartDir = chart.directory();
    String chartRel = chart.display();
    if (!Files.isRegularFile(chartDir.resolve("Chart.yaml"))) {
      throw new RenderException(
          release,
          chartRel,
          0,
          "no Chart.yaml in " + chartRel + "; point source.helm.chart at a Helm chart directory");
    }
    String valuesJson;
    try {
      valuesJson = JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("values tree cannot be written as JSON", e);
    }
    String key =
        ContentHashes.sha256(
            hashes.directory(chartDir), valuesJson, kubeVersion, release, namespace);
    String output =
        cachedOrRender(key, chartDir, chartRel, valuesJson, release, namespace, kubeVersion);
    return HelmOutput.parse(output, chartRel, release);
  }

  private String cachedOrRender(
      String key,
      Path chartDir,
      String chartRel,
      String valuesJson,
      String release,
      String namespace,
      String kubeVersion)
      throws RenderException {
    CompletableFuture<String> mine = new CompletableFuture<>();
    CompletableFuture<String> existing;
    synchronized (cache) {
      existing = cache.get(key);
      if (existing == null) {
        cache.put(key, mine);
      }
    }
    if (existing != null) {
      cacheHits.incrementAndGet();
      try {
        return existing.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RenderException(release, chartRel, 0, "interrupted while rendering the chart");
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RenderException re) {
          throw re;
        }
        throw new IllegalStateException(e.getCause());
      }
    }
    try {
      String out = runEngine(chartDir, chartRel, valuesJson, release, namespace, kubeVersion);
      mine.complete(out);
      return out;
    } catch (RenderException | RuntimeException e) {
      mine.completeExceptionally(e);
      synchronized (cache) {
        cache.remove(key, mine);
      }
      throw e;
    }
  }

  private String runEngine(
      Path chartDir,
      String chartRel,
      String valuesJson,
      String release,
      String namespace,
      String kubeVersion)
      throws RenderException {
    Path valuesFile = null;
    try {
      valuesFile = Files.createTempFile(scratch(), "values-", ".json");
      Files.writeString(valuesFile, valuesJson);
      engineCalls.incrementAndGet();
      boolean lock = !engine.threadSafe();
      if (lock) {
        engineLock.lock();
      }
      try {
        return engine.template(chartDir, valuesFile, release, namespace, kubeVersion);
      } finally {
        if (lock) {
          engineLock.unlock();
        }
      }
    } catch (HelmEngine.HelmException e) {
      throw templateError(e.getMessage(), chartRel, release, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write Helm values to a temporary file", e);
    } finally {
      if (valuesFile != null) {
        try {
          Files.deleteIfExists(valuesFile);
        } catch (IOException ignored) {
          // a leftover temp file is harmless
        }
      }
    }
  }

  /** Turns Helm's message into an error that names the template file and line in the repo. */
  static RenderException templateError(
      String helmMessage, String chartRel, String addon, Throwable cause) {
    // Helm's advice names flags of the helm CLI, which fleetwarden users do not run.
    String message =
        helmMessage == null
            ? "Helm failed"
            : helmMessage
                .replaceAll("(?s)\\s*Use --debug flag to render out invalid YAML\\.?", "")
                .trim();
    String file = chartRel;
    int line = 0;
    Matcher m = TEMPLATE_REF.matcher(message);
    if (m.find()) {
      String ref = m.group(1);
      int slash = ref.indexOf('/');
      file = chartRel + "/" + ref.substring(slash + 1);
      if (m.group(2) != null && !message.contains("YAML parse error")) {
        line = Integer.parseInt(m.group(2));
      }
    }
    return new RenderException(
        addon,
        file,
        line,
        "Helm cannot render the chart: "
            + message
            + "; fix the template or the values it uses, then run validate",
        cause);
  }

  private Path scratch() throws IOException {
    Path s = scratch;
    if (s == null) {
      synchronized (this) {
        if (scratch == null) {
          scratch = Files.createTempDirectory("fleetwarden-helm-");
          scratch.toFile().deleteOnExit();
        }
        s = scratch;
      }
    }
    return s;
  }
}

package dev.fleetwarden.bench;

import dev.fleetwarden.ExampleCharts;
import dev.fleetwarden.fleet.ChartRef;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.render.FleetRenderer;
import dev.fleetwarden.render.RenderListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Renders generated clusters × the template fleet's add-ons and prints clusters per second, wall
 * time and peak heap. A warm-up render (its own renderer, so its cache does not help the measured
 * run) loads the Helm native library and warms the JIT first.
 *
 * <p>{@code mvn -B -q test-compile exec:exec -Dbench=RenderBenchmark -Dbench.args="[clusters]
 * [template-fleet-dir]"}
 */
public final class RenderBenchmark {
  /** What one measured run did and cost. */
  public record Result(
      int clusters,
      int failed,
      long objects,
      long wallMillis,
      double clustersPerSecond,
      long peakHeapBytes,
      long helmRuns,
      long helmCacheHits) {
    @Override
    public String toString() {
      return String.format(
          "rendered %d clusters (%d failed, %d objects) in %d ms: %.1f clusters/s, peak heap %d MB,"
              + " %d Helm runs, %d Helm cache hits, %d processors",
          clusters,
          failed,
          objects,
          wallMillis,
          clustersPerSecond,
          peakHeapBytes / (1024 * 1024),
          helmRuns,
          helmCacheHits,
          Runtime.getRuntime().availableProcessors());
    }
  }

  private RenderBenchmark() {}

  public static Result run(int clusters) {
    return run(clusters, FleetGenerator.defaultTemplate());
  }

  public static Result run(int clusters, Path template) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("fleetwarden-bench-");
      List<String> names = FleetGenerator.generate(template, dir, clusters, 42L);
      Fleet fleet = FleetLoader.load(dir);
      // Remote charts (the example's) are fetched once, before: this measures rendering.
      Map<ChartRef, Path> charts = ExampleCharts.charts(fleet);

      new FleetRenderer()
          .render(fleet, names.subList(0, Math.min(8, names.size())), RenderListener.NONE, charts);

      FleetRenderer renderer = new FleetRenderer();
      System.gc();
      List<MemoryPoolMXBean> heap =
          ManagementFactory.getMemoryPoolMXBeans().stream()
              .filter(p -> p.getType() == MemoryType.HEAP)
              .toList();
      heap.forEach(MemoryPoolMXBean::resetPeakUsage);
      long start = System.nanoTime();
      Map<String, ClusterRender> renders =
          renderer.render(fleet, names, RenderListener.NONE, charts);
      long wallNanos = System.nanoTime() - start;
      long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
      int failed = (int) renders.values().stream().filter(ClusterRender::failed).count();
      renders.values().stream()
          .filter(ClusterRender::failed)
          .limit(3)
          .forEach(r -> System.err.println("failed: " + r.cluster() + ": " + r.error()));
      long objects = renders.values().stream().mapToLong(r -> r.objects().size()).sum();
      return new Result(
          clusters,
          failed,
          objects,
          wallNanos / 1_000_000,
          clusters / (wallNanos / 1e9),
          peak,
          renderer.helm().engineCalls(),
          renderer.helm().cacheHits());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (dev.fleetwarden.fleet.FleetValidationException e) {
      throw new IllegalStateException("the generated fleet is invalid: " + e.getMessage(), e);
    } finally {
      Scratch.deleteQuietly(dir);
    }
  }

  public static void main(String[] args) {
    int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    Path template = args.length > 1 ? Path.of(args[1]) : FleetGenerator.defaultTemplate();
    System.out.println(run(clusters, template));
  }
}

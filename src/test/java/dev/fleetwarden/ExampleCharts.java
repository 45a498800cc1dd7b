package dev.fleetwarden;

import dev.fleetwarden.charts.ChartCache;
import dev.fleetwarden.charts.ChartFetcher;
import dev.fleetwarden.charts.ChartSources;
import dev.fleetwarden.charts.FetchedCharts;
import dev.fleetwarden.charts.RepositoryCredentials;
import dev.fleetwarden.demo.ExampleChartRepository;
import dev.fleetwarden.fleet.ChartAllowList;
import dev.fleetwarden.fleet.ChartRef;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.reconcile.FetchAndRender;
import dev.fleetwarden.render.FleetRenderer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The example fleet's remote charts for tests that render it: its chart repository served on
 * 127.0.0.1 (once per test JVM, as the embedded defaults serve it) and a fetch step with a chart
 * cache of its own in a temporary directory.
 */
public final class ExampleCharts {
  private static ChartFetcher fetcher;

  private ExampleCharts() {}

  /** The fetch step over the example repository (started on first use). */
  public static synchronized ChartFetcher fetcher() {
    if (fetcher == null) {
      ExampleChartRepository repository = ExampleChartRepository.start();
      ChartAllowList allowed = new ChartAllowList(List.of(ExampleChartRepository.URL));
      Path cache;
      try {
        cache = Files.createTempDirectory("fleetwarden-example-charts-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      cache.toFile().deleteOnExit();
      fetcher =
          new ChartFetcher(
              allowed,
              new ChartSources(
                  allowed,
                  RepositoryCredentials.NONE,
                  Map.of(ExampleChartRepository.URL, repository.servedAt()),
                  ChartSources.DEFAULT_TIMEOUT),
              new ChartCache(cache));
      Runtime.getRuntime().addShutdownHook(new Thread(repository::close));
    }
    return fetcher;
  }

  /** Fetch then render, with a renderer of its own. */
  public static FetchAndRender rendering() {
    return new FetchAndRender(fetcher(), new FleetRenderer());
  }

  /** Fetch then render with a given renderer. */
  public static FetchAndRender rendering(FleetRenderer renderer) {
    return new FetchAndRender(fetcher(), renderer);
  }

  /** The local directories of every remote chart the fleet's clusters render. */
  public static Map<ChartRef, Path> charts(Fleet fleet) {
    FetchedCharts fetched = fetcher().fetch(fleet, fleet.clusters().keySet());
    if (!fetched.failures().isEmpty()) {
      throw new AssertionError("example charts not fetched: " + fetched.failures());
    }
    return fetched.directories();
  }
}

package dev.fleetwarden.charts;

import dev.fleetwarden.fleet.AddonSpec;
import dev.fleetwarden.fleet.ChartRef;
import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.model.RenderError;
import java.nio.file.Path;
import java.util.Map;

/**
 * What one fetch step produced: the local directory of every chart it fetched (the renderer's
 * input) and why the others could not be fetched.
 */
public record FetchedCharts(
    Map<ChartRef, Path> directories, Map<ChartRef, ChartFetchException> failures) {
  /** Nothing fetched, nothing failed (a fleet without remote charts). */
  public static final FetchedCharts NONE = new FetchedCharts(Map.of(), Map.of());

  public FetchedCharts {
    directories = Map.copyOf(directories);
    failures = Map.copyOf(failures);
  }

  /**
   * Why a cluster cannot be rendered now: the first of its add-ons whose chart was not fetched,
   * with the add-on's file and the reason; null when every chart it needs is here.
   */
  public RenderError unavailable(Fleet fleet, String cluster) {
    ClusterSpec spec = fleet.clusters().get(cluster);
    if (spec == null || failures.isEmpty()) {
      return null;
    }
    for (AddonSpec addon : fleet.addonsOf(spec)) {
      ChartRef chart = fleet.chartOf(spec, addon);
      ChartFetchException failure = chart == null ? null : failures.get(chart);
      if (failure != null) {
        return new RenderError(
            cluster,
            addon.name(),
            addon.file(),
            0,
            "cannot fetch chart " + chart + ": " + failure.getMessage());
      }
    }
    return null;
  }
}

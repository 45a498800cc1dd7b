package dev.fleetwarden.reconcile;

import dev.fleetwarden.charts.ChartFetchException;
import dev.fleetwarden.charts.ChartFetcher;
import dev.fleetwarden.charts.FetchedCharts;
import dev.fleetwarden.fleet.ChartAllowList;
import dev.fleetwarden.fleet.ChartRef;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.RenderError;
import dev.fleetwarden.render.FleetRenderer;
import dev.fleetwarden.render.RenderListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The desired state of clusters in two steps: fetch (the remote charts they render, into the chart
 * cache, the only step that reaches the network) then render (offline, from the fleet repo and the
 * cache). A cluster whose charts could not all be fetched is not rendered: it is unavailable, with
 * the reason, and its last good render stays what it was. Without a fetcher, remote charts are
 * unavailable and vendored ones render as before.
 */
public final class FetchAndRender {
  private final ChartFetcher charts;
  private final FleetRenderer renderer;

  /**
   * @param charts the fetch step (null: no remote chart can be fetched)
   */
  public FetchAndRender(ChartFetcher charts, FleetRenderer renderer) {
    this.charts = charts;
    this.renderer = renderer;
  }

  /**
   * The renders of some clusters: {@code renders} holds the clusters that were rendered (failed
   * renders included), {@code unavailable} those whose charts could not be fetched.
   */
  public record Result(
      SortedMap<String, ClusterRender> renders, SortedMap<String, RenderError> unavailable) {
    public Result {
      renders = Collections.unmodifiableSortedMap(new TreeMap<>(renders));
      unavailable = Collections.unmodifiableSortedMap(new TreeMap<>(unavailable));
    }

    /** Every cluster, an unavailable one as a failed render. */
    public SortedMap<String, ClusterRender> all() {
      SortedMap<String, ClusterRender> out = new TreeMap<>(renders);
      unavailable.forEach((c, e) -> out.put(c, ClusterRender.failed(e)));
      return Collections.unmodifiableSortedMap(out);
    }
  }

  public FleetRenderer renderer() {
    return renderer;
  }

  /** The repositories remote charts may come from (none without a fetcher). */
  public ChartAllowList allowList() {
    return charts == null ? ChartAllowList.NONE : charts.allowList();
  }

  /** The fetch step, when there is one. */
  public ChartFetcher charts() {
    return charts;
  }

  /**
   * Loads a fleet repo under this step's allow-list (a chart from elsewhere is a validation error
   * at its file and line) and lock rules.
   */
  public Fleet load(Path root) throws FleetValidationException {
    // Without a fetcher nothing is fetched at all: remote charts are unavailable at render time.
    return charts == null ? FleetLoader.load(root) : FleetLoader.load(root, allowList());
  }

  /** Fetches, then renders every cluster of the fleet. */
  public Result renderAll(Fleet fleet, RenderListener progress) {
    return render(fleet, fleet.clusters().keySet(), progress);
  }

  /** Fetches the charts of the named clusters, then renders those whose charts are all here. */
  public Result render(Fleet fleet, Collection<String> clusters, RenderListener progress) {
    FetchedCharts fetched = fetch(fleet, clusters);
    SortedMap<String, RenderError> unavailable = new TreeMap<>();
    List<String> ready = new ArrayList<>();
    for (String cluster : clusters) {
      RenderError missing = fetched.unavailable(fleet, cluster);
      if (missing == null) {
        ready.add(cluster);
      } else {
        unavailable.put(cluster, missing);
      }
    }
    SortedMap<String, ClusterRender> renders =
        renderer.render(fleet, ready, progress, fetched.directories());
    return new Result(renders, unavailable);
  }

  /** One cluster, fetched then rendered on the calling thread (an unavailable one failed). */
  public ClusterRender renderCluster(Fleet fleet, String cluster) {
    FetchedCharts fetched = fetch(fleet, List.of(cluster));
    RenderError missing = fetched.unavailable(fleet, cluster);
    return missing != null
        ? ClusterRender.failed(missing)
        : renderer.renderCluster(fleet, cluster, fetched.directories());
  }

  private FetchedCharts fetch(Fleet fleet, Collection<String> clusters) {
    if (charts != null) {
      return charts.fetch(fleet, clusters);
    }
    if (fleet.chartsOf(clusters).isEmpty()) {
      return FetchedCharts.NONE;
    }
    Map<ChartRef, ChartFetchException> failures = new HashMap<>();
    for (ChartRef chart : fleet.chartsOf(clusters)) {
      failures.put(
          chart,
          new ChartFetchException(
              chart, "remote charts are not fetched here (no chart fetcher configured)"));
    }
    return new FetchedCharts(Map.of(), failures);
  }
}

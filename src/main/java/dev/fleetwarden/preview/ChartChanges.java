package dev.fleetwarden.preview;

import dev.fleetwarden.fleet.AddonSpec;
import dev.fleetwarden.fleet.ChartRef;
import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.fleet.Fleet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The remote charts a change upgrades (or downgrades, adds, removes) on one cluster, named as a
 * reviewer reads them: {@code chart event-exporter 1.0.0 → 1.1.0 (add-on event-exporter, from
 * https://charts.example.org/platform)}. A version is a value like any other, so its effect on the
 * objects is in the object changes; this names the cause. Pure.
 */
public final class ChartChanges {
  private ChartChanges() {}

  /**
   * One sentence per add-on whose remote chart differs between the two fleets on this cluster, by
   * add-on name; empty when none does (or a side lacks the cluster).
   */
  public static List<String> of(String cluster, Fleet before, Fleet after) {
    Map<String, ChartRef> was = charts(before, cluster);
    Map<String, ChartRef> is = charts(after, cluster);
    if (was == null || is == null) {
      return List.of();
    }
    Set<String> addons = new TreeSet<>(was.keySet());
    addons.addAll(is.keySet());
    List<String> out = new ArrayList<>();
    for (String addon : addons) {
      ChartRef a = was.get(addon);
      ChartRef b = is.get(addon);
      if (Objects.equals(a, b)) {
        continue;
      }
      if (a == null) {
        out.add("chart " + b.chart() + " " + b.version() + " added" + from(addon, b));
      } else if (b == null) {
        out.add("chart " + a.chart() + " " + a.version() + " removed" + from(addon, a));
      } else if (!a.chart().equals(b.chart()) || !a.repository().equals(b.repository())) {
        out.add(
            "chart "
                + a.chart()
                + " "
                + a.version()
                + " replaced by "
                + b.chart()
                + " "
                + b.version()
                + from(addon, b));
      } else {
        out.add("chart " + a.chart() + " " + a.version() + " → " + b.version() + from(addon, b));
      }
    }
    return out;
  }

  private static String from(String addon, ChartRef chart) {
    return " (add-on " + addon + ", from " + chart.repository() + ")";
  }

  /** The remote chart of each add-on the cluster runs, or null when the fleet lacks the cluster. */
  private static Map<String, ChartRef> charts(Fleet fleet, String cluster) {
    ClusterSpec spec = fleet == null ? null : fleet.clusters().get(cluster);
    if (spec == null) {
      return null;
    }
    Map<String, ChartRef> out = new TreeMap<>();
    for (AddonSpec addon : fleet.addonsOf(spec)) {
      ChartRef chart = fleet.chartOf(spec, addon);
      if (chart != null) {
        out.put(addon.name(), chart);
      }
    }
    return out;
  }
}

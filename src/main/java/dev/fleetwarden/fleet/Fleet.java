package dev.fleetwarden.fleet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The whole fleet repo, loaded and validated: settings, clusters, add-ons and environments, each
 * keyed and sorted by name, and {@code fleet.lock} (null when the repo has none). Immutable.
 */
public record Fleet(
    Path root,
    FleetSettings settings,
    SortedMap<String, ClusterSpec> clusters,
    SortedMap<String, AddonSpec> addons,
    SortedMap<String, EnvironmentSpec> environments,
    ChartLock lock) {

  public Fleet {
    clusters = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(clusters));
    addons = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(addons));
    environments = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(environments));
  }

  public Fleet(
      Path root,
      FleetSettings settings,
      SortedMap<String, ClusterSpec> clusters,
      SortedMap<String, AddonSpec> addons,
      SortedMap<String, EnvironmentSpec> environments) {
    this(root, settings, clusters, addons, environments, null);
  }

  /**
   * The remote chart an add-on renders on a cluster: the add-on's source at the version of the most
   * specific layer that names one (the cluster's add-on entry, then the environment's {@code
   * chartVersions}, then the add-on); null when the add-on's chart is not remote.
   */
  public ChartRef chartOf(ClusterSpec cluster, AddonSpec addon) {
    if (addon.source() == null || !addon.source().remote()) {
      return null;
    }
    ChartRef chart = addon.source().chart();
    EnvironmentSpec env = environments.get(cluster.environment());
    if (env != null && env.chartVersions().containsKey(addon.name())) {
      chart = chart.withVersion(env.chartVersions().get(addon.name()));
    }
    ClusterAddon entry = cluster.addonEntry(addon.name());
    if (entry != null && entry.chartVersion() != null) {
      chart = chart.withVersion(entry.chartVersion());
    }
    return chart;
  }

  /** The remote charts the named clusters render, sorted and without duplicates. */
  public SortedSet<ChartRef> chartsOf(Collection<String> clusterNames) {
    SortedSet<ChartRef> out = new TreeSet<>(CHART_ORDER);
    for (String name : clusterNames) {
      ClusterSpec cluster = clusters.get(name);
      if (cluster == null) {
        continue;
      }
      for (AddonSpec addon : addonsOf(cluster)) {
        ChartRef chart = chartOf(cluster, addon);
        if (chart != null) {
          out.add(chart);
        }
      }
    }
    return out;
  }

  /**
   * Every remote chart the fleet names, whether a cluster renders it today or not: each remote
   * add-on at its own version and at every version an environment or cluster sets for it.
   */
  public SortedSet<ChartRef> declaredCharts() {
    SortedSet<ChartRef> out = new TreeSet<>(CHART_ORDER);
    for (AddonSpec addon : addons.values()) {
      if (addon.source() == null || !addon.source().remote()) {
        continue;
      }
      ChartRef chart = addon.source().chart();
      out.add(chart);
      for (EnvironmentSpec env : environments.values()) {
        String v = env.chartVersions().get(addon.name());
        if (v != null) {
          out.add(chart.withVersion(v));
        }
      }
      for (ClusterSpec cluster : clusters.values()) {
        ClusterAddon entry = cluster.addonEntry(addon.name());
        if (entry != null && entry.chartVersion() != null) {
          out.add(chart.withVersion(entry.chartVersion()));
        }
      }
    }
    return out;
  }

  /** Charts sorted by repository, name and version. */
  public static final Comparator<ChartRef> CHART_ORDER =
      Comparator.comparing(ChartRef::repository)
          .thenComparing(ChartRef::chart)
          .thenComparing(ChartRef::version);

  /**
   * The add-ons a cluster runs, sorted by name: those whose selector matches it plus those its
   * {@code addons} list names, minus those it disables.
   */
  public List<AddonSpec> addonsOf(ClusterSpec cluster) {
    List<AddonSpec> result = new ArrayList<>();
    for (AddonSpec addon : addons.values()) {
      ClusterAddon entry = cluster.addonEntry(addon.name());
      boolean selected = matches(addon.clusterSelector(), cluster.selectorLabels());
      boolean enabled = entry != null ? entry.enabled() : selected;
      if (enabled) {
        result.add(addon);
      }
    }
    return result;
  }

  /** The clusters that run an add-on. */
  public List<ClusterSpec> clustersRunning(String addon) {
    return clusters.values().stream()
        .filter(c -> addonsOf(c).stream().anyMatch(a -> a.name().equals(addon)))
        .toList();
  }

  /** Whether a selector matches labels; a null selector matches nothing (opt-in add-on). */
  public static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  /** Effective remediation for an add-on on a cluster: cluster, then add-on, then fleet default. */
  public Remediation remediation(ClusterSpec cluster, AddonSpec addon) {
    if (cluster.remediation() != null) {
      return cluster.remediation();
    }
    if (addon != null && addon.remediation() != null) {
      return addon.remediation();
    }
    return settings.defaultRemediation();
  }

  public String kubeVersion(ClusterSpec cluster) {
    return cluster.kubeVersion() != null ? cluster.kubeVersion() : settings.defaultKubeVersion();
  }
}

package dev.fleetwarden.fleet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The whole fleet repo, loaded and validated: settings, clusters, add-ons and environments, each
 * keyed and sorted by name. Immutable.
 */
public record Fleet(
    Path root,
    FleetSettings settings,
    SortedMap<String, ClusterSpec> clusters,
    SortedMap<String, AddonSpec> addons,
    SortedMap<String, EnvironmentSpec> environments) {

  public Fleet {
    clusters = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(clusters));
    addons = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(addons));
    environments = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(environments));
  }

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

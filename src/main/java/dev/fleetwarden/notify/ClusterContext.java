package dev.fleetwarden.notify;

import dev.fleetwarden.fleet.AddonSpec;
import dev.fleetwarden.fleet.ClusterSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What routing needs to know about a cluster: its name, environment, labels (matched by a route's
 * {@code clusterLabels}) and the owner of each add-on by add-on name.
 */
public record ClusterContext(
    String cluster,
    String environment,
    Map<String, String> labels,
    Map<String, String> addonOwners) {

  public ClusterContext {
    Objects.requireNonNull(cluster, "cluster");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    addonOwners = addonOwners == null ? Map.of() : Map.copyOf(addonOwners);
  }

  /** From the fleet model: the cluster's own labels and the owners of the given add-ons. */
  public static ClusterContext of(ClusterSpec cluster, Iterable<AddonSpec> addons) {
    Map<String, String> owners = new HashMap<>();
    for (AddonSpec addon : addons) {
      if (addon.owner() != null) {
        owners.put(addon.name(), addon.owner());
      }
    }
    return new ClusterContext(cluster.name(), cluster.environment(), cluster.labels(), owners);
  }

  /** The owner of an add-on, or null when unknown. */
  public String ownerOf(String addon) {
    return addon == null ? null : addonOwners.get(addon);
  }
}

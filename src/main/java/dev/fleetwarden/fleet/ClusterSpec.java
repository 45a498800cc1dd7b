package dev.fleetwarden.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.model.IgnoreRule;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A cluster ({@code clusters/<name>/cluster.yaml}) with its per-add-on values files ({@code
 * clusters/<name>/values/<addon>.yaml}) and patch files ({@code clusters/<name>/patches/*.yaml}).
 * {@code infrastructure} holds the inputs of the cluster's CDKTF stack, as written.
 */
public record ClusterSpec(
    String name,
    String file,
    Role role,
    String environment,
    Map<String, String> labels,
    String kubeVersion,
    Connection connection,
    JsonNode infrastructure,
    List<ClusterAddon> addons,
    Map<String, Values> valuesFiles,
    List<PatchFile> patches,
    List<IgnoreRule> ignore,
    Remediation remediation) {

  public enum Role {
    MANAGEMENT,
    WORKLOAD
  }

  public ClusterSpec {
    labels = Map.copyOf(labels);
    addons = List.copyOf(addons);
    valuesFiles = Map.copyOf(valuesFiles);
    patches = patches == null ? List.of() : List.copyOf(patches);
    ignore = ignore == null ? List.of() : List.copyOf(ignore);
  }

  /** Repo-relative directory of this cluster. */
  public String directory() {
    return "clusters/" + name;
  }

  /**
   * Labels a cluster selector is matched against: the cluster's own, plus {@code cluster}, {@code
   * environment} and {@code role}.
   */
  public Map<String, String> selectorLabels() {
    Map<String, String> all = new HashMap<>(labels);
    all.put("cluster", name);
    all.put("environment", environment);
    all.put("role", role.name().toLowerCase(java.util.Locale.ROOT));
    return all;
  }

  public ClusterAddon addonEntry(String addon) {
    return addons.stream().filter(a -> a.name().equals(addon)).findFirst().orElse(null);
  }

  public Values valuesFileFor(String addon) {
    return valuesFiles.getOrDefault(addon, Values.EMPTY);
  }

  public Map<String, Values> sortedValuesFiles() {
    return new TreeMap<>(valuesFiles);
  }
}

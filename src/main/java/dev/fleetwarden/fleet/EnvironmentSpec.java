package dev.fleetwarden.fleet;

import java.util.Map;

/**
 * An environment layer ({@code environments/<name>.yaml}): Helm values per add-on shared by every
 * cluster of the environment, labels added to those clusters, and versions of remote charts per
 * add-on ({@code chartVersions}) over the add-on's own.
 */
public record EnvironmentSpec(
    String name,
    String file,
    Map<String, String> labels,
    Map<String, Values> addonValues,
    Map<String, String> chartVersions) {
  public EnvironmentSpec {
    labels = Map.copyOf(labels);
    addonValues = Map.copyOf(addonValues);
    chartVersions = chartVersions == null ? Map.of() : Map.copyOf(chartVersions);
  }

  public EnvironmentSpec(
      String name, String file, Map<String, String> labels, Map<String, Values> addonValues) {
    this(name, file, labels, addonValues, Map.of());
  }

  public Values valuesFor(String addon) {
    return addonValues.getOrDefault(addon, Values.EMPTY);
  }
}

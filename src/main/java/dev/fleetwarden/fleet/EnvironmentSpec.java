package dev.fleetwarden.fleet;

import java.util.Map;

/**
 * An environment layer ({@code environments/<name>.yaml}): Helm values per add-on shared by every
 * cluster of the environment, and labels added to those clusters.
 */
public record EnvironmentSpec(
    String name, String file, Map<String, String> labels, Map<String, Values> addonValues) {
  public EnvironmentSpec {
    labels = Map.copyOf(labels);
    addonValues = Map.copyOf(addonValues);
  }

  public Values valuesFor(String addon) {
    return addonValues.getOrDefault(addon, Values.EMPTY);
  }
}

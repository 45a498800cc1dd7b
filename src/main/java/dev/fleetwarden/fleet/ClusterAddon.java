package dev.fleetwarden.fleet;

/**
 * An add-on entry of a cluster: enables the add-on on this cluster (or disables it with {@code
 * enabled: false}), carries inline values, the most specific layer, and may pin the version of a
 * remote chart for this cluster ({@code chartVersion}, null when not set here).
 */
public record ClusterAddon(
    String name, boolean enabled, Values inlineValues, int line, String chartVersion) {
  public ClusterAddon(String name, boolean enabled, Values inlineValues, int line) {
    this(name, enabled, inlineValues, line, null);
  }
}

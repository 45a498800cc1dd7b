package dev.fleetwarden.fleet;

/**
 * An add-on entry of a cluster: enables the add-on on this cluster (or disables it with {@code
 * enabled: false}) and carries inline values, the most specific layer.
 */
public record ClusterAddon(String name, boolean enabled, Values inlineValues, int line) {}

package dev.fleetwarden.schedule;

import java.util.Map;

/**
 * The clusters schedules can target, as the fleet currently defines them. Implemented by the wiring
 * over the loaded fleet, so this package does not depend on the fleet loader.
 */
@FunctionalInterface
public interface ClusterDirectory {
  /**
   * Every cluster name with its selector labels (its own labels plus {@code cluster}, {@code
   * environment} and {@code role}, see {@code ClusterSpec.selectorLabels()}).
   */
  Map<String, Map<String, String>> clusters();
}

package dev.fleetwarden.remediate;

import dev.fleetwarden.model.ClusterRender;
import java.nio.file.Path;

/**
 * Renders one cluster of a fleet repo directory, so that a candidate change can be checked before
 * it becomes a pull request. The directory may be a plain copy of the repo (no {@code .git}).
 */
public interface ClusterRerender {
  /**
   * The desired state of {@code cluster} as the fleet repo at {@code fleetRoot} renders it. Fleet
   * files that do not load and broken add-ons give a failed render ({@link
   * ClusterRender#failed()}), never an exception.
   */
  ClusterRender render(Path fleetRoot, String cluster);
}

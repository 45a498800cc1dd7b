package dev.fleetwarden.reconcile;

import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.RenderError;
import dev.fleetwarden.remediate.ClusterRerender;
import dev.fleetwarden.render.FleetRenderer;
import java.nio.file.Path;

/** {@link ClusterRerender} with the real loader and renderer. */
public final class FleetRendererRerender implements ClusterRerender {
  private final FleetRenderer renderer;

  public FleetRendererRerender(FleetRenderer renderer) {
    this.renderer = renderer;
  }

  @Override
  public ClusterRender render(Path fleetRoot, String cluster) {
    Fleet fleet;
    try {
      fleet = FleetLoader.load(fleetRoot);
    } catch (FleetValidationException e) {
      return ClusterRender.failed(
          new RenderError(
              cluster, null, null, 0, "the changed fleet repo does not load: " + e.getMessage()));
    }
    return renderer.renderCluster(fleet, cluster);
  }
}

package dev.fleetwarden.reconcile;

import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.RenderError;
import dev.fleetwarden.remediate.ClusterRerender;
import dev.fleetwarden.render.FleetRenderer;
import java.nio.file.Path;

/** {@link ClusterRerender} with the real loader, fetch step and renderer. */
public final class FleetRendererRerender implements ClusterRerender {
  private final FetchAndRender rendering;

  public FleetRendererRerender(FleetRenderer renderer) {
    this(new FetchAndRender(null, renderer));
  }

  public FleetRendererRerender(FetchAndRender rendering) {
    this.rendering = rendering;
  }

  @Override
  public ClusterRender render(Path fleetRoot, String cluster) {
    Fleet fleet;
    try {
      fleet = rendering.load(fleetRoot);
    } catch (FleetValidationException e) {
      return ClusterRender.failed(
          new RenderError(
              cluster, null, null, 0, "the changed fleet repo does not load: " + e.getMessage()));
    }
    return rendering.renderCluster(fleet, cluster);
  }
}

package dev.fleetwarden.render;

import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.model.ClusterRender;

/**
 * Loads and renders a fleet directory with the production renderer, in its own JVM, so that a test
 * controls the process environment Helm's native code sees (KUBECONFIG, HOME). Prints every
 * cluster's objects as YAML on stdout and each failure as {@code RENDER-ERROR <error>}; exits 0
 * when the fleet loaded, 3 when it did not.
 *
 * <p>Argument: the fleet directory.
 */
public final class RenderProbeMain {
  private RenderProbeMain() {}

  public static void main(String[] args) {
    Fleet fleet;
    try {
      fleet = FleetLoader.load(java.nio.file.Path.of(args[0]));
    } catch (FleetValidationException e) {
      System.out.println("LOAD-ERROR " + e.getMessage());
      System.exit(3);
      return;
    }
    for (ClusterRender r : new FleetRenderer().renderAll(fleet, RenderListener.NONE).values()) {
      if (r.failed()) {
        System.out.println("RENDER-ERROR " + r.error());
      } else {
        System.out.print(RenderWriter.toYaml(r.objects()));
      }
    }
    System.out.flush();
    System.exit(0);
  }
}

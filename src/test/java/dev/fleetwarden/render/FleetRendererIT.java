package dev.fleetwarden.render;

import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.model.ClusterRender;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetRendererIT {
  @TempDir Path tmp;

  @Test
  void smoke() {
    Fleet fleet = RenderFixtures.load(RenderFixtures.copy(RenderFixtures.fixtureFleet(), tmp));
    Map<String, ClusterRender> renders = new FleetRenderer().renderAll(fleet, RenderListener.NONE);
    renders.forEach(
        (c, r) -> {
          System.out.println("== " + c + " " + r.error());
          System.out.println(RenderWriter.toYaml(r.objects()));
          r.objects().forEach(o -> System.out.println(o.id() + " " + o.provenance()));
        });
  }
}

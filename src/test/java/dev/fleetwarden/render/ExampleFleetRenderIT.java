package dev.fleetwarden.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.ExampleCharts;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.ResourceId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Provenance and blast radius on the example fleet that ships with fleetwarden. */
class ExampleFleetRenderIT {
  @TempDir Path tmp;

  @BeforeAll
  static void needsKustomize() {
    Assumptions.assumeTrue(
        new KustomizeRenderer().command().isPresent(),
        "neither kustomize nor kubectl is on PATH: install one to render the Kustomize add-ons");
  }

  private static DesiredObject find(ClusterRender render, String id) {
    assertThat(render.failed()).as("%s", render.error()).isFalse();
    return render.objects().stream()
        .filter(o -> o.id().equals(ResourceId.parse(id)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("not rendered: " + id));
  }

  @Test
  void replicasSetInTheClusterValuesFilePointAtItsLine() {
    Fleet fleet = RenderFixtures.load(RenderFixtures.exampleFleet());
    ClusterRender render = ExampleCharts.rendering().renderCluster(fleet, "prod-eu-1");
    DesiredObject d = find(render, "prod-eu-1/Deployment.apps/ingress-system/ingress-controller");
    assertThat(d.manifest().at("/spec/replicas").asInt()).isEqualTo(4);
    assertThat(d.provenance().originOf("/spec/replicas").toString())
        .isEqualTo("clusters/prod-eu-1/values/ingress.yaml:2");
    assertThat(d.provenance().sourceFile())
        .isEqualTo("addons/ingress/chart/templates/deployment.yaml");
    // The same field on a staging cluster comes from the environment layer.
    ClusterRender staging = ExampleCharts.rendering().renderCluster(fleet, "staging-1");
    DesiredObject s = find(staging, "staging-1/Deployment.apps/ingress-system/ingress-controller");
    assertThat(s.provenance().originOf("/spec/replicas").file())
        .isEqualTo("environments/staging.yaml");
  }

  @Test
  void anEnvironmentLayerChangeChangesExactlyItsClusters() throws Exception {
    Path repo = RenderFixtures.copy(RenderFixtures.exampleFleet(), tmp.resolve("fleet"));
    var renderer = ExampleCharts.rendering();
    Map<String, ClusterRender> before =
        renderer.renderAll(RenderFixtures.load(repo), RenderListener.NONE).all();
    Path prod = repo.resolve("environments/prod.yaml");
    Files.writeString(prod, Files.readString(prod).replace("retention: 30d", "retention: 45d"));
    Map<String, ClusterRender> after =
        renderer.renderAll(RenderFixtures.load(repo), RenderListener.NONE).all();
    Set<String> changed = new TreeSet<>();
    for (String cluster : before.keySet()) {
      String a = RenderWriter.toYaml(before.get(cluster).objects());
      String b = RenderWriter.toYaml(after.get(cluster).objects());
      if (!a.equals(b)) {
        changed.add(cluster);
      }
    }
    assertThat(changed).containsExactly("prod-eu-1", "prod-us-1");
  }
}

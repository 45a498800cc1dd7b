package dev.fleetwarden.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.ResourceId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The renderer with in-process Helm and kustomize/kubectl from PATH, on the render fixture fleet.
 */
class FleetRendererIT {
  @TempDir Path tmp;

  @BeforeAll
  static void needsKustomize() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        new KustomizeRenderer().command().isPresent(),
        "neither kustomize nor kubectl is on PATH: install one to run the render integration tests");
  }

  private static final FleetRenderer SHARED = new FleetRenderer();

  private Fleet copyFixture(Path to) {
    return RenderFixtures.load(RenderFixtures.copy(RenderFixtures.fixtureFleet(), to));
  }

  private static DesiredObject find(ClusterRender render, String id) {
    assertThat(render.failed()).as("%s", render.error()).isFalse();
    return render.objects().stream()
        .filter(o -> o.id().equals(ResourceId.parse(id)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("not rendered: " + id));
  }

  @Test
  void aValueFromAClusterValuesFilePointsAtThatFileAndLine() {
    var render = SHARED.renderCluster(copyFixture(tmp), "prod-eu-1");
    DesiredObject d = find(render, "prod-eu-1/Deployment.apps/ingress-system/ingress-controller");
    assertThat(d.manifest().at("/spec/replicas").asInt()).isEqualTo(4);
    assertThat(d.provenance().originOf("/spec/replicas").toString())
        .isEqualTo("clusters/prod-eu-1/values/ingress.yaml:3");
    assertThat(d.provenance().originOf("/spec/replicas").valuePath())
        .isEqualTo("/controller/replicas");
    // environment layer, chart defaults and the Kubernetes version reach the template
    assertThat(
            d.provenance()
                .originOf("/spec/template/spec/containers/0/resources/limits/memory")
                .file())
        .isEqualTo("environments/prod.yaml");
    assertThat(
            d.provenance()
                .originOf("/spec/template/spec/containers/0/resources/requests/cpu")
                .file())
        .isEqualTo("addons/ingress/chart/values.yaml");
    assertThat(d.manifest().at("/spec/template/spec/containers/0/args/1").asText())
        .isEqualTo("--kube-version=v1.30.2");
    // kustomize output, patched per cluster
    DesiredObject quota = find(render, "prod-eu-1/ResourceQuota/team-payments/team-quota");
    assertThat(quota.manifest().at("/spec/hard/requests.cpu").asText()).isEqualTo("8");
    assertThat(quota.provenance().sourceFile())
        .isEqualTo("addons/team-namespaces/base/kustomization.yaml");
  }

  @Test
  void inlineClusterValuesAreTheMostSpecificLayer() {
    var render = SHARED.renderCluster(copyFixture(tmp), "staging-2");
    DesiredObject d = find(render, "staging-2/Deployment.apps/ingress-system/ingress-controller");
    assertThat(d.manifest().at("/spec/template/spec/containers/0/image").asText())
        .isEqualTo("registry.example.com/ingress/controller:1.11.3-rc1");
    assertThat(d.provenance().originOf("/spec/template/spec/containers/0/image").file())
        .isEqualTo("clusters/staging-2/cluster.yaml");
  }

  @Test
  void anEnvironmentChangeChangesExactlyThatEnvironmentsClusters() throws Exception {
    Path before = tmp.resolve("before");
    Path after = tmp.resolve("after");
    Fleet a = copyFixture(before);
    copyFixture(after);
    Path env = after.resolve("environments/staging.yaml");
    Files.writeString(env, Files.readString(env).replace("replicas: 2", "replicas: 6"));
    Fleet b = RenderFixtures.load(after);

    Map<String, ClusterRender> ra = new FleetRenderer().renderAll(a, RenderListener.NONE);
    Map<String, ClusterRender> rb = new FleetRenderer().renderAll(b, RenderListener.NONE);
    Set<String> changed = new TreeSet<>();
    for (String c : ra.keySet()) {
      if (!RenderWriter.toYaml(ra.get(c).objects())
          .equals(RenderWriter.toYaml(rb.get(c).objects()))) {
        changed.add(c);
      }
    }
    assertThat(changed).containsExactly("staging-1", "staging-2");
    assertThat(
            find(rb.get("staging-1"), "staging-1/Deployment.apps/ingress-system/ingress-controller")
                .provenance()
                .originOf("/spec/replicas")
                .toString())
        .isEqualTo("environments/staging.yaml:10");
  }

  @Test
  void rendersAreDeterministicAcrossRunsAndInstances() {
    Fleet fleet = copyFixture(tmp);
    FleetRenderer one = new FleetRenderer();
    var first = one.renderAll(fleet, RenderListener.NONE);
    long calls = one.helm().engineCalls();
    var second = one.renderAll(fleet, RenderListener.NONE);
    var third =
        new FleetRenderer(1, new HelmRenderer(new HelmJavaEngine()), new KustomizeRenderer())
            .renderAll(RenderFixtures.load(fleet.root()), RenderListener.NONE);
    for (String c : first.keySet()) {
      String y1 = RenderWriter.toYaml(first.get(c).objects());
      assertThat(RenderWriter.toYaml(second.get(c).objects())).isEqualTo(y1);
      assertThat(RenderWriter.toYaml(third.get(c).objects())).isEqualTo(y1);
      assertThat(second.get(c).objects()).isEqualTo(first.get(c).objects());
      assertThat(third.get(c).objects()).isEqualTo(first.get(c).objects());
    }
    // the second render of the same tree is served from the cache
    assertThat(one.helm().engineCalls()).isEqualTo(calls);
    assertThat(one.helm().cacheHits()).isGreaterThanOrEqualTo(first.size());
  }

  @Test
  void aBrokenTemplateFailsOnlyTheClustersRunningItAndNamesTheFile() {
    Path root = RenderFixtures.copy(RenderFixtures.fixtureFleet(), tmp);
    RenderFixtures.write(
        root.resolve("addons/broken/addon.yaml"),
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Addon
        metadata:
          name: broken
        spec:
          namespace: broken
          source:
            helm: {chart: chart}
          clusterSelector: {environment: staging}
        """);
    RenderFixtures.write(
        root.resolve("addons/broken/chart/Chart.yaml"),
        "apiVersion: v2\nname: broken\nversion: 0.1.0\n");
    RenderFixtures.write(
        root.resolve("addons/broken/chart/templates/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {{ .Values.missing.deeper }}\n");
    var renders = SHARED.renderAll(RenderFixtures.load(root), RenderListener.NONE);

    assertThat(renders.get("dev-1").failed()).isFalse();
    assertThat(renders.get("prod-eu-1").failed()).isFalse();
    ClusterRender staging = renders.get("staging-1");
    assertThat(staging.failed()).isTrue();
    assertThat(staging.error().addon()).isEqualTo("broken");
    assertThat(staging.error().file()).isEqualTo("addons/broken/chart/templates/cm.yaml");
    assertThat(staging.error().line()).isEqualTo(6);
    assertThat(staging.error().toString()).contains("addons/broken/chart/templates/cm.yaml:6");
  }
}

package dev.fleetwarden.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.ResourceId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The renderer with a fake Helm engine and a fake executable lookup: no native code, no processes.
 */
class FleetRendererTest {
  @TempDir Path tmp;

  private final FakeHelmEngine helm = new FakeHelmEngine();

  private FleetRenderer renderer(KustomizeRenderer.ExecutableLookup lookup) {
    return new FleetRenderer(
        2, new HelmRenderer(helm), new KustomizeRenderer(lookup, Duration.ofSeconds(30)));
  }

  private Fleet fleet() {
    return RenderFixtures.load(RenderFixtures.copy(RenderFixtures.fixtureFleet(), tmp));
  }

  @Test
  void missingKustomizeFailsOnlyTheClustersThatNeedItAndNamesBothTools() {
    Fleet fleet = fleet();
    var renders = renderer(name -> Optional.empty()).renderAll(fleet, RenderListener.NONE);

    // dev-1 is the management cluster and does not run the Kustomize add-on
    assertThat(renders.get("dev-1").failed()).isFalse();
    ClusterRender staging = renders.get("staging-1");
    assertThat(staging.failed()).isTrue();
    assertThat(staging.objects()).isEmpty();
    assertThat(staging.error().addon()).isEqualTo("team-namespaces");
    assertThat(staging.error().file()).isEqualTo("addons/team-namespaces/base/kustomization.yaml");
    assertThat(staging.error().message())
        .contains("kustomize")
        .contains("kubectl")
        .contains("PATH");
  }

  @Test
  void theExecutableIsLookedUpOnce() {
    List<String> asked = new CopyOnWriteArrayList<>();
    var renderer =
        renderer(
            name -> {
              asked.add(name);
              return Optional.empty();
            });
    Fleet fleet = fleet();
    renderer.renderAll(fleet, RenderListener.NONE);
    renderer.renderAll(fleet, RenderListener.NONE);
    assertThat(asked).containsExactly("kustomize", "kubectl");
  }

  @Test
  void helmValuesLayerAndTheListenerSeesEveryCluster() {
    Fleet fleet = fleet();
    List<String> events = new CopyOnWriteArrayList<>();
    var renders =
        renderer(name -> Optional.empty())
            .render(
                fleet,
                List.of("dev-1", "prod-eu-1"),
                new RenderListener() {
                  @Override
                  public void clusterStarted(String cluster) {
                    events.add("start " + cluster);
                  }

                  @Override
                  public void clusterDone(ClusterRender render, Duration elapsed) {
                    events.add("done " + render.cluster());
                  }
                });
    assertThat(events)
        .containsExactlyInAnyOrder(
            "start dev-1", "done dev-1", "start prod-eu-1", "done prod-eu-1");
    var dev = renders.get("dev-1");
    var deployment =
        dev.objects().stream()
            .filter(
                o ->
                    o.id()
                        .equals(
                            new ResourceId(
                                "dev-1",
                                "apps",
                                "Deployment",
                                "ingress-system",
                                "ingress-controller")))
            .findFirst()
            .orElseThrow();
    assertThat(deployment.manifest().at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(deployment.manifest().at("/metadata/labels/fleetwarden.dev~1addon").asText())
        .isEqualTo("ingress");
    assertThat(deployment.provenance().sourceFile())
        .isEqualTo("addons/ingress/chart/templates/deployment.yaml");
  }

  @Test
  void aHelmFailureNamesClusterAddonAndFile() {
    helm.failWith = "template: ingress/templates/deployment.yaml:3:4: boom";
    var render = renderer(name -> Optional.empty()).renderCluster(fleet(), "dev-1");
    assertThat(render.failed()).isTrue();
    assertThat(render.error().cluster()).isEqualTo("dev-1");
    assertThat(render.error().addon()).isEqualTo("ingress");
    assertThat(render.error().toString())
        .startsWith("addons/ingress/chart/templates/deployment.yaml:3: add-on ingress:");
  }

  @Test
  void anUnknownClusterIsAFailedRenderNamingTheKnownOnes() {
    var renders = renderer(name -> Optional.empty()).render(fleet(), List.of("nope"), null);
    assertThat(renders.get("nope").error().message()).contains("dev-1").contains("prod-eu-1");
  }

  @Test
  void duplicateObjectsAreRejectedNamingBothSources() {
    Path root = RenderFixtures.copy(RenderFixtures.fixtureFleet(), tmp);
    RenderFixtures.write(
        root.resolve("addons/policies/manifests/zz-dup.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ingress-controller\n  namespace: ingress-system\n");
    var render =
        renderer(name -> Optional.empty()).renderCluster(RenderFixtures.load(root), "dev-1");
    assertThat(render.failed()).isTrue();
    assertThat(render.error().message())
        .contains("Deployment.apps/ingress-system/ingress-controller")
        .contains("addons/policies/manifests/zz-dup.yaml")
        .contains(
            "addons/ingress/chart/templates/deployment.yaml".replace("deployment", "deployment"))
        .contains("add-on ingress");
  }

  @Test
  void aPatchWhoseTargetIsNotRenderedIsAnErrorNamingThePatchFileAndLine() {
    Path root = RenderFixtures.copy(RenderFixtures.fixtureFleet(), tmp);
    RenderFixtures.write(
        root.resolve("clusters/dev-1/patches/missing.yaml"),
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Patch
        metadata:
          name: missing
        spec:
          target: {kind: Deployment, namespace: ingress-system, name: not-there}
          patch:
            spec: {replicas: 9}
        """);
    var render =
        renderer(name -> Optional.empty()).renderCluster(RenderFixtures.load(root), "dev-1");
    assertThat(render.failed()).isTrue();
    assertThat(render.error().file()).isEqualTo("clusters/dev-1/patches/missing.yaml");
    assertThat(render.error().line()).isEqualTo(7);
    assertThat(render.error().message()).contains("Deployment/ingress-system/not-there");
  }

  /** A minimal CustomResourceDefinition (YAML ending with a newline). */
  static String crd(String group, String kind, String plural, String scope, String version) {
    return """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: %s.%s}
        spec:
          group: %s
          names: {kind: %s, plural: %s}
          scope: %s
          versions:
            - name: %s
              served: true
              storage: true
              schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
        """
        .formatted(plural, group, group, kind, plural, scope, version);
  }

  @Test
  void clusterScopedKindsNeverGetTheAddonNamespace() {
    Path root = RenderFixtures.copy(RenderFixtures.fixtureFleet(), tmp);
    RenderFixtures.write(
        root.resolve("addons/policies/manifests/zz-flowcontrol.yaml"),
        """
        apiVersion: flowcontrol.apiserver.k8s.io/v1
        kind: FlowSchema
        metadata: {name: fleet-controllers}
        spec:
          priorityLevelConfiguration: {name: workload-high}
          matchingPrecedence: 500
        ---
        apiVersion: flowcontrol.apiserver.k8s.io/v1
        kind: PriorityLevelConfiguration
        metadata: {name: workload-high}
        spec: {type: Limited, limited: {nominalConcurrencyShares: 40}}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: policy-reader, namespace: written-by-mistake}
        rules: [{apiGroups: [kyverno.io], resources: [clusterpolicies], verbs: [get]}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: policy-settings}
        data: {mode: enforce}
        """);

    var render =
        renderer(name -> Optional.empty()).renderCluster(RenderFixtures.load(root), "dev-1");

    assertThat(render.failed()).as("%s", render.error()).isFalse();
    assertThat(render.objects().stream().map(o -> o.id().withinCluster()))
        .contains(
            "FlowSchema.flowcontrol.apiserver.k8s.io/_/fleet-controllers",
            "PriorityLevelConfiguration.flowcontrol.apiserver.k8s.io/_/workload-high",
            "ClusterRole.rbac.authorization.k8s.io/_/policy-reader",
            "ClusterPolicy.kyverno.io/_/require-team-label",
            "ConfigMap/policy-system/policy-settings");
    assertThat(
            render.objects().stream()
                .filter(o -> o.id().isClusterScoped())
                .filter(o -> o.manifest().path("metadata").has("namespace")))
        .isEmpty();
  }

  @Test
  void anUnknownKindIsAnErrorNamingItsFileAndLine() {
    Path root = RenderFixtures.copy(RenderFixtures.fixtureFleet(), tmp);
    RenderFixtures.write(
        root.resolve("addons/policies/manifests/zz-widget.yaml"),
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: first}
        ---
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: w}
        """);

    var render =
        renderer(name -> Optional.empty()).renderCluster(RenderFixtures.load(root), "dev-1");

    assertThat(render.failed()).isTrue();
    assertThat(render.error().file()).isEqualTo("addons/policies/manifests/zz-widget.yaml");
    assertThat(render.error().line()).isEqualTo(5);
    assertThat(render.error().addon()).isEqualTo("policies");
    assertThat(render.error().message())
        .contains("unknown kind Widget (apiVersion example.com/v1)")
        .contains("Kubernetes 1.34, 1.35, 1.36")
        .contains("CustomResourceDefinition");
  }

  @Test
  void aKindTheClusterServesTakesItsScopeFromTheClustersCrd() throws Exception {
    Path root = RenderFixtures.copy(RenderFixtures.fixtureFleet(), tmp);
    RenderFixtures.write(
        root.resolve("addons/policies/manifests/zz-widget.yaml"),
        """
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: w, namespace: policy-system}
        """);
    JsonNode widgets =
        new ObjectMapper(new YAMLFactory())
            .readTree(crd("example.com", "Widget", "widgets", "Cluster", "v1"));
    List<String> asked = new CopyOnWriteArrayList<>();
    ClusterCrds served =
        cluster -> {
          asked.add(cluster);
          return List.of(widgets);
        };

    var render =
        renderer(name -> Optional.empty())
            .withClusterCrds(served)
            .renderCluster(RenderFixtures.load(root), "dev-1");

    assertThat(render.failed()).as("%s", render.error()).isFalse();
    assertThat(render.objects().stream().map(o -> o.id().withinCluster()))
        .contains("Widget.example.com/_/w");
    assertThat(asked).containsExactly("dev-1");

    var unreadable =
        renderer(name -> Optional.empty())
            .withClusterCrds(
                cluster -> {
                  throw new IllegalStateException("cluster dev-1 is unreachable");
                })
            .renderCluster(RenderFixtures.load(root), "dev-1");
    assertThat(unreadable.failed()).isTrue();
    assertThat(unreadable.error().message())
        .contains("unknown kind Widget")
        .contains("the cluster's own CRDs could not be read: cluster dev-1 is unreachable");
  }

  @Test
  void aPatchTargetNamesTheGroupWhenTwoKindsShareTheName() {
    Path root = RenderFixtures.copy(RenderFixtures.fixtureFleet(), tmp);
    RenderFixtures.write(
        root.resolve("addons/policies/manifests/zz-certs.yaml"),
        """
        apiVersion: cert-manager.io/v1
        kind: Certificate
        metadata: {name: web-tls, namespace: shop}
        spec: {secretName: web-tls}
        ---
        apiVersion: acm.services.k8s.aws/v1alpha1
        kind: Certificate
        metadata: {name: web-tls, namespace: shop}
        spec: {domainName: shop.example.org}
        ---
        """
            + crd("cert-manager.io", "Certificate", "certificates", "Namespaced", "v1")
            + "---\n"
            + crd("acm.services.k8s.aws", "Certificate", "certificates", "Namespaced", "v1alpha1"));
    String patch =
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Patch
        metadata:
          name: acm
        spec:
          target: {%skind: Certificate, namespace: shop, name: web-tls}
          patch:
            spec: {domainName: www.example.org}
        """;
    RenderFixtures.write(root.resolve("clusters/dev-1/patches/acm.yaml"), patch.formatted(""));
    var ambiguous =
        renderer(name -> Optional.empty()).renderCluster(RenderFixtures.load(root), "dev-1");
    assertThat(ambiguous.failed()).isTrue();
    assertThat(ambiguous.error().message())
        .contains("matches 2 objects of different API groups; set spec.target.group");

    RenderFixtures.write(
        root.resolve("clusters/dev-1/patches/acm.yaml"),
        patch.formatted("group: acm.services.k8s.aws, "));
    var render =
        renderer(name -> Optional.empty()).renderCluster(RenderFixtures.load(root), "dev-1");
    assertThat(render.failed()).as("%s", render.error()).isFalse();
    assertThat(
            render.objects().stream()
                .filter(o -> o.id().kind().equals("Certificate"))
                .map(o -> o.id().groupKind() + " " + o.manifest().path("spec")))
        .containsExactlyInAnyOrder(
            "Certificate.acm.services.k8s.aws {\"domainName\":\"www.example.org\"}",
            "Certificate.cert-manager.io {\"secretName\":\"web-tls\"}");
  }

  @Test
  void aPatchMergesIntoItsTargetAndOwnsThePatchedFields() {
    Path root = RenderFixtures.copy(RenderFixtures.fixtureFleet(), tmp);
    RenderFixtures.write(
        root.resolve("clusters/dev-1/patches/replicas.yaml"),
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Patch
        metadata:
          name: replicas
        spec:
          target: {kind: Deployment, namespace: ingress-system, name: ingress-controller}
          patch:
            metadata:
              labels:
                fleetwarden.dev/addon: null
                extra: "yes"
            spec:
              replicas: 5
        """);
    var render =
        renderer(name -> Optional.empty()).renderCluster(RenderFixtures.load(root), "dev-1");
    assertThat(render.failed()).as("%s", render.error()).isFalse();
    var d =
        render.objects().stream()
            .filter(o -> o.id().kind().equals("Deployment"))
            .findFirst()
            .orElseThrow();
    assertThat(d.manifest().at("/spec/replicas").asInt()).isEqualTo(5);
    assertThat(d.manifest().at("/metadata/labels/extra").asText()).isEqualTo("yes");
    // the ownership mark survives a patch that removes it
    assertThat(d.manifest().at("/metadata/labels/fleetwarden.dev~1addon").asText())
        .isEqualTo("ingress");
    assertThat(d.provenance().originOf("/spec/replicas").toString())
        .isEqualTo("clusters/dev-1/patches/replicas.yaml:13");
  }

  /** A plain-manifest Deployment with two containers and keyed lists, for keyed patches. */
  private static final String WEB =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        replicas: 2
        template:
          spec:
            containers:
              - name: web
                image: web:1.0
                imagePullPolicy: IfNotPresent
                ports:
                  - {name: http, containerPort: 8080}
                  - {name: admin, containerPort: 9090, protocol: TCP}
              - name: sidecar
                image: proxy:2.0
      """;

  private static final String KEYED =
      """
      apiVersion: fleetwarden.dev/v1alpha1
      kind: Patch
      metadata:
        name: web
      spec:
        target: {group: apps, kind: Deployment, namespace: policy-system, name: web}
        set:
      %s""";

  private Path withWeb(String setLines) {
    Path root =
        RenderFixtures.copy(
            RenderFixtures.fixtureFleet(), tmp.resolve("fleet-" + System.nanoTime()));
    RenderFixtures.write(root.resolve("addons/policies/manifests/zz-web.yaml"), WEB);
    if (setLines != null) {
      RenderFixtures.write(
          root.resolve("clusters/dev-1/patches/web.yaml"), KEYED.formatted(setLines));
    }
    return root;
  }

  private static com.fasterxml.jackson.databind.JsonNode web(ClusterRender render) {
    assertThat(render.failed()).as("%s", render.error()).isFalse();
    return render.objects().stream()
        .filter(o -> o.id().toString().equals("dev-1/Deployment.apps/policy-system/web"))
        .findFirst()
        .orElseThrow()
        .manifest();
  }

  @Test
  void aKeyedPatchSetsOnlyItsFieldsInListItemsNamedByKeyAndOwnsThem() {
    Path root =
        withWeb(
            """
                /spec/template/spec/containers/name=web/imagePullPolicy: Always
                /spec/template/spec/containers/name=web/ports/containerPort=8080,protocol=TCP/name: web
                /spec/template/spec/containers/name=sidecar/resources/limits/memory: 64Mi
                /spec/replicas: null
            """);
    Path unpatched = withWeb(null);

    var render =
        renderer(name -> Optional.empty()).renderCluster(RenderFixtures.load(root), "dev-1");
    var before =
        renderer(name -> Optional.empty()).renderCluster(RenderFixtures.load(unpatched), "dev-1");

    com.fasterxml.jackson.databind.node.ObjectNode expected =
        (com.fasterxml.jackson.databind.node.ObjectNode) web(before).deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode)
            expected.at("/spec/template/spec/containers/0"))
        .put("imagePullPolicy", "Always");
    // the key field left to the server's default (protocol: TCP) still names the port
    ((com.fasterxml.jackson.databind.node.ObjectNode)
            expected.at("/spec/template/spec/containers/0/ports/0"))
        .put("name", "web");
    ((com.fasterxml.jackson.databind.node.ObjectNode)
            expected.at("/spec/template/spec/containers/1"))
        .putObject("resources")
        .putObject("limits")
        .put("memory", "64Mi");
    ((com.fasterxml.jackson.databind.node.ObjectNode) expected.path("spec")).remove("replicas");
    assertThat(web(render)).isEqualTo(expected);
    var object =
        render.objects().stream()
            .filter(o -> o.id().name().equals("web"))
            .findFirst()
            .orElseThrow();
    assertThat(
            object
                .provenance()
                .originOf("/spec/template/spec/containers/0/imagePullPolicy")
                .toString())
        .isEqualTo("clusters/dev-1/patches/web.yaml:8");
    assertThat(
            object
                .provenance()
                .originOf("/spec/template/spec/containers/1/resources/limits/memory")
                .toString())
        .isEqualTo("clusters/dev-1/patches/web.yaml:10");
  }

  @Test
  void aKeyedPathThatNamesNoItemFailsTheRenderAtItsLineNamingTheItemsThere() {
    Path root =
        withWeb(
            """
                /spec/replicas: 3
                /spec/template/spec/containers/name=api/image: api:2
            """);

    var render =
        renderer(name -> Optional.empty()).renderCluster(RenderFixtures.load(root), "dev-1");

    assertThat(render.failed()).isTrue();
    assertThat(render.error().file()).isEqualTo("clusters/dev-1/patches/web.yaml");
    assertThat(render.error().line()).isEqualTo(9);
    assertThat(render.error().message())
        .contains("spec.set /spec/template/spec/containers/name=api/image")
        .contains("no item name=api in /spec/template/spec/containers")
        .contains("Deployment.apps/policy-system/web")
        .contains("its items: name=web, name=sidecar");
  }

  @Test
  void aKeyedPatchCannotRenameItsTargetNorStepThroughASingleValue() {
    var renamed =
        renderer(name -> Optional.empty())
            .renderCluster(RenderFixtures.load(withWeb("    /metadata/name: other\n")), "dev-1");
    assertThat(renamed.failed()).isTrue();
    assertThat(renamed.error().line()).isEqualTo(8);
    assertThat(renamed.error().message()).contains("cannot change kind, apiVersion, metadata.name");

    var scalar =
        renderer(name -> Optional.empty())
            .renderCluster(RenderFixtures.load(withWeb("    /spec/replicas/count: 3\n")), "dev-1");
    assertThat(scalar.failed()).isTrue();
    assertThat(scalar.error().message())
        .contains(
            "/spec/replicas of the rendered Deployment.apps/policy-system/web is a single value");
  }

  @Test
  void aMergePatchAndAKeyedSetInOneFileApplyInThatOrder() {
    Path root = withWeb(null);
    RenderFixtures.write(
        root.resolve("clusters/dev-1/patches/web.yaml"),
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Patch
        metadata:
          name: web
        spec:
          target: {kind: Deployment, name: web}
          patch:
            spec: {replicas: 7, paused: true}
          set:
            /spec/paused: false
        """);

    var d =
        web(renderer(name -> Optional.empty()).renderCluster(RenderFixtures.load(root), "dev-1"));

    assertThat(d.at("/spec/replicas").asInt()).isEqualTo(7);
    assertThat(d.at("/spec/paused").asBoolean()).isFalse();
    assertThat(d.at("/spec/template/spec/containers").size()).isEqualTo(2);
  }
}

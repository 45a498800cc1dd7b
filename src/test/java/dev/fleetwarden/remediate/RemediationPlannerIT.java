package dev.fleetwarden.remediate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The planner against the real renderer (in-process Helm) on the remediation fixture fleet. */
class RemediationPlannerIT {
  @TempDir Path tmp;
  Path repo;
  final RemediationPlanner planner = new RemediationPlanner(RemediateFixture.RERENDER);

  @BeforeEach
  void copyFleet() {
    repo = RemediateFixture.copy(tmp.resolve("fleet"));
  }

  private ChangeSet changeSet(ObjectDrift drift) {
    RemediationPlan plan = planner.plan(repo, drift, RemediateFixture.fingerprint(drift));
    assertThat(plan).as("%s", plan).isInstanceOf(ChangeSet.class);
    return (ChangeSet) plan;
  }

  /** The cluster's render with the change set written into a copy of the repo. */
  private ClusterRender renderWith(ChangeSet change, String cluster) {
    Path copy = RemediateFixture.copy(repo, tmp.resolve("applied-" + System.nanoTime()));
    change.files().forEach((file, content) -> RemediateFixture.write(copy, file, content));
    return RemediateFixture.render(copy, cluster);
  }

  @Test
  void aPlainManifestIsEditedInPlaceAtTheFieldsLineKeepingEveryOtherByte() {
    ObjectDrift drift =
        RemediateFixture.drift(
            repo,
            "prod-1/ConfigMap/policy-system/policy-settings",
            live -> ((ObjectNode) live.path("data")).put("mode", "audit"));
    assertThat(drift.file()).isEqualTo("addons/policies/manifests/defaults.yaml");

    ChangeSet change = changeSet(drift);

    String before = RemediateFixture.read(repo, "addons/policies/manifests/defaults.yaml");
    assertThat(change.strategy()).isEqualTo(ChangeSet.Strategy.MANIFEST_EDIT);
    assertThat(change.files())
        .containsExactly(
            Map.entry(
                "addons/policies/manifests/defaults.yaml",
                before.replace("mode: \"enforce\"   # audit", "mode: \"audit\"   # audit")));
    assertThat(change.edits())
        .containsExactly(
            new ChangeSet.Edit(
                "addons/policies/manifests/defaults.yaml", 16, "/data/mode", "enforce", "audit"));
    assertThat(change.affectedClusters()).containsExactly("dev-1", "prod-1", "prod-2");
    assertThat(change.explanation())
        .contains("shared by every cluster running add-on `policies`: dev-1, prod-1, prod-2");
  }

  @Test
  void aMultiLineManifestValueIsEditedAsTheBlockItIsWritten() {
    String file = "addons/policies/manifests/engine.yaml";
    String manifest =
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: engine
        data:
          engine.conf: |   # read at start
            workers 2
            timeout 30s
          mode: strict
        """;
    RemediateFixture.write(repo, file, manifest);
    ObjectDrift drift =
        RemediateFixture.drift(
            repo,
            "prod-1/ConfigMap/policy-system/engine",
            live ->
                ((ObjectNode) live.path("data")).put("engine.conf", "workers 4\ntimeout 30s\n"));

    ChangeSet change = changeSet(drift);

    assertThat(change.strategy()).isEqualTo(ChangeSet.Strategy.MANIFEST_EDIT);
    assertThat(change.files())
        .containsExactly(Map.entry(file, manifest.replace("workers 2", "workers 4")));
  }

  @Test
  void aDriftOfManyFieldsTakesAtMostItsRenderBudgetAndPatchesTheFieldsLeft() {
    int keys = RemediationPlanner.MAX_LINE_RENDERS + 2;
    StringBuilder manifest =
        new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: many\ndata:\n");
    for (int i = 0; i < keys; i++) {
      manifest.append("  k").append(100 + i).append(": before\n");
    }
    RemediateFixture.write(repo, "addons/policies/manifests/many.yaml", manifest.toString());
    ObjectDrift drift =
        RemediateFixture.drift(
            repo,
            "prod-1/ConfigMap/policy-system/many",
            live -> {
              for (int i = 0; i < keys; i++) {
                ((ObjectNode) live.path("data")).put("k" + (100 + i), "after");
              }
            });
    java.util.concurrent.atomic.AtomicInteger renders =
        new java.util.concurrent.atomic.AtomicInteger();
    RemediationPlanner counting =
        new RemediationPlanner(
            (root, cluster) -> {
              renders.incrementAndGet();
              return RemediateFixture.RERENDER.render(root, cluster);
            });

    RemediationPlan plan = counting.plan(repo, drift, RemediateFixture.fingerprint(drift));

    assertThat(plan).as("%s", plan).isInstanceOf(ChangeSet.class);
    ChangeSet change = (ChangeSet) plan;
    // the baseline, one per line edit within the budget, one for the whole change set
    assertThat(renders.get()).isEqualTo(1 + RemediationPlanner.MAX_LINE_RENDERS + 1);
    assertThat(change.how()).isEqualTo("manifest + patch");
    assertThat(change.adoptions())
        .filteredOn(a -> a.strategy() == ChangeSet.Strategy.PATCH_FILE)
        .extracting(ChangeSet.Adoption::path)
        .containsExactlyInAnyOrder("/data/k124", "/data/k125");
    assertThat(change.explanation())
        .contains("re-renders one drift's line edits may take are spent");
    var data =
        RemediateFixture.object(renderWith(change, "prod-1"), "prod-1/ConfigMap/policy-system/many")
            .manifest()
            .path("data");
    for (int i = 0; i < keys; i++) {
      assertThat(data.path("k" + (100 + i)).asText()).isEqualTo("after");
    }
  }

  @Test
  void aHelmValueIsEditedAtTheValuesLineThatProducedItAndVerifiedByRerender() {
    ObjectDrift drift =
        RemediateFixture.drift(
            repo,
            "prod-1/Deployment.apps/ingress-system/ingress-controller",
            live -> ((ObjectNode) live.path("spec")).put("replicas", 6));
    FieldDrift field = drift.fields().get(0);
    assertThat(field.origin().toString()).isEqualTo("clusters/prod-1/values/ingress.yaml:3");

    ChangeSet change = changeSet(drift);

    String before = RemediateFixture.read(repo, "clusters/prod-1/values/ingress.yaml");
    assertThat(change.strategy()).isEqualTo(ChangeSet.Strategy.VALUE_EDIT);
    assertThat(change.files())
        .containsExactly(
            Map.entry(
                "clusters/prod-1/values/ingress.yaml",
                before.replace("replicas: 4   # sized", "replicas: 6   # sized")));
    assertThat(change.affectedClusters()).containsExactly("prod-1");
    DesiredObject after =
        RemediateFixture.object(
            renderWith(change, "prod-1"),
            "prod-1/Deployment.apps/ingress-system/ingress-controller");
    assertThat(after.manifest().at("/spec/replicas").asInt()).isEqualTo(6);
  }

  @Test
  void anImageTagInsideALongerStringSetByASharedLayerGoesToTheClustersOwnValuesFile() {
    ObjectDrift drift =
        RemediateFixture.drift(
            repo,
            "prod-2/Deployment.apps/ingress-system/ingress-controller",
            live ->
                ((ObjectNode) live.at("/spec/template/spec/containers/0"))
                    .put("image", "registry.example.com/ingress/controller:1.11.5"));
    // the drift names the container by its key; its origin was found at the container's index
    assertThat(drift.fields().get(0).path()).startsWith("/spec/template/spec/containers/name=");
    assertThat(drift.fields().get(0).origin()).isNotNull();

    ChangeSet change = changeSet(drift);

    // the add-on's values set the tag for every cluster: the cluster's own (new) values file
    // takes it, so no other cluster's render changes
    assertThat(change.strategy()).isEqualTo(ChangeSet.Strategy.VALUE_EDIT);
    assertThat(change.files())
        .containsExactly(
            Map.entry(
                "clusters/prod-2/values/ingress.yaml",
                "controller:\n  image:\n    tag: \"1.11.5\"\n"));
    assertThat(change.affectedClusters()).containsExactly("prod-2");
    assertThat(change.explanation()).contains("read by cluster prod-2 only");
  }

  @Test
  void aValueThatAlsoFeedsAnotherFieldFallsBackToAPatchFile() {
    ObjectDrift drift =
        RemediateFixture.drift(
            repo,
            "prod-1/Deployment.apps/ingress-system/ingress-controller",
            live ->
                ((ObjectNode) live.at("/spec/template/spec/containers/0/env/0"))
                    .put("value", "debug"));
    assertThat(drift.fields().get(0).origin()).isNotNull();
    assertThat(drift.fields().get(0).path())
        .matches(".*/containers/name=[^/]+/env/name=[^/]+/value");

    ChangeSet change = changeSet(drift);

    assertThat(change.strategy()).isEqualTo(ChangeSet.Strategy.PATCH_FILE);
    assertThat(change.explanation())
        .contains("also changes /spec/template/spec/containers/0/args/0");
    DesiredObject after =
        RemediateFixture.object(
            renderWith(change, "prod-1"),
            "prod-1/Deployment.apps/ingress-system/ingress-controller");
    assertThat(after.manifest().at("/spec/template/spec/containers/0/env/0/value").asText())
        .isEqualTo("debug");
    assertThat(after.manifest().at("/spec/template/spec/containers/0/args/0").asText())
        .isEqualTo("--log-level=warn");
  }

  private static final String INGRESS = "ingress-system/ingress-controller";
  private static final String PULL_POLICY =
      "/spec/template/spec/containers/name=controller/imagePullPolicy";

  private ObjectDrift pullPolicyAlways(String cluster) {
    return RemediateFixture.drift(
        repo,
        cluster + "/Deployment.apps/" + INGRESS,
        live ->
            ((ObjectNode) live.at("/spec/template/spec/containers/0"))
                .put("imagePullPolicy", "Always"));
  }

  @Test
  void aFieldNoValueSetsBecomesAKeyedPatchOfThatFieldAloneAndTheRendererAppliesIt() {
    ObjectDrift drift = pullPolicyAlways("prod-1");
    assertThat(drift.fields().get(0).path()).isEqualTo(PULL_POLICY);
    String fp = RemediateFixture.fingerprint(drift);

    ChangeSet change = changeSet(drift);

    String file = "clusters/prod-1/patches/fleetwarden-" + fp.substring(0, 10) + ".yaml";
    assertThat(change.strategy()).isEqualTo(ChangeSet.Strategy.PATCH_FILE);
    assertThat(change.files()).containsOnlyKeys(file);
    assertThat(change.affectedClusters()).containsExactly("prod-1");
    String content = change.files().get(file);
    assertThat(content)
        .contains("kind: \"Patch\"")
        .contains(PULL_POLICY + ": \"Always\"")
        // nothing of the containers list is copied: not the other container, not the image
        .doesNotContain("metrics")
        .doesNotContain("image:")
        .doesNotContain("patch:");
    assertThat(change.adoptions())
        .containsExactly(
            new ChangeSet.Adoption(
                PULL_POLICY,
                ChangeSet.Strategy.PATCH_FILE,
                file,
                lineOf(content, PULL_POLICY),
                "/spec/set/" + dev.fleetwarden.model.JsonPointers.escape(PULL_POLICY)));
    ClusterRender before = RemediateFixture.render(repo, "prod-1");
    ClusterRender after = renderWith(change, "prod-1");
    DesiredObject patched = RemediateFixture.object(after, "prod-1/Deployment.apps/" + INGRESS);
    ObjectNode expected =
        RemediateFixture.object(before, "prod-1/Deployment.apps/" + INGRESS).manifest().deepCopy();
    ((ObjectNode) expected.at("/spec/template/spec/containers/0")).put("imagePullPolicy", "Always");
    assertThat(patched.manifest()).isEqualTo(expected);
    assertThat(((ArrayNode) patched.manifest().at("/spec/template/spec/containers"))).hasSize(2);
    assertThat(patched.provenance().originOf("/spec/template/spec/containers/0/imagePullPolicy"))
        .hasToString(file + ":" + lineOf(content, PULL_POLICY));
  }

  @Test
  void aKeyedPatchOfAFewLinesSurvivesAChartUpgradeOfTheSameContainer() {
    ChangeSet change = changeSet(pullPolicyAlways("prod-1"));
    String content = change.files().values().iterator().next();
    assertThat(content.lines().filter(l -> !l.startsWith("#")).count())
        .as(content)
        .isLessThanOrEqualTo(12);

    // the patch merged, then the chart upgraded: another field of the same container changes
    Path upgraded = RemediateFixture.copy(tmp.resolve("upgraded"));
    change.files().forEach((file, text) -> RemediateFixture.write(upgraded, file, text));
    String values = RemediateFixture.read(upgraded, "addons/ingress/chart/values.yaml");
    RemediateFixture.write(
        upgraded,
        "addons/ingress/chart/values.yaml",
        values.replace("memory: 256Mi", "memory: 384Mi"));
    String template =
        RemediateFixture.read(upgraded, "addons/ingress/chart/templates/deployment.yaml");
    RemediateFixture.write(
        upgraded,
        "addons/ingress/chart/templates/deployment.yaml",
        template.replace(
            "- --log-level={{ .Values.controller.logLevel }}",
            "- --log-level={{ .Values.controller.logLevel }}\n            - --metrics-port=10254"));

    DesiredObject after =
        RemediateFixture.object(
            RemediateFixture.render(upgraded, "prod-1"), "prod-1/Deployment.apps/" + INGRESS);

    var controller = after.manifest().at("/spec/template/spec/containers/0");
    assertThat(controller.path("name").asText()).isEqualTo("controller");
    // the adopted field stays; the chart's new values reach the rest of the container
    assertThat(controller.path("imagePullPolicy").asText()).isEqualTo("Always");
    assertThat(controller.at("/resources/limits/memory").asText()).isEqualTo("384Mi");
    assertThat(controller.path("args").toString())
        .isEqualTo("[\"--log-level=warn\",\"--metrics-port=10254\"]");
    assertThat(after.manifest().at("/spec/template/spec/containers/1/name").asText())
        .isEqualTo("metrics");
  }

  @Test
  void aValuesLineATagAndAKeyedPatchAdoptThreeFieldsOfOneObjectInOneChangeSet() {
    ObjectDrift drift =
        RemediateFixture.drift(
            repo,
            "prod-1/Deployment.apps/" + INGRESS,
            live -> {
              ((ObjectNode) live.path("spec")).put("replicas", 6);
              ObjectNode c = (ObjectNode) live.at("/spec/template/spec/containers/0");
              c.put("image", "registry.example.com/ingress/controller:1.11.3-hotfix");
              c.put("imagePullPolicy", "Always");
            });
    assertThat(drift.fields()).hasSize(3);
    String fp = RemediateFixture.fingerprint(drift);
    String patchFile = "clusters/prod-1/patches/fleetwarden-" + fp.substring(0, 10) + ".yaml";

    ChangeSet change = changeSet(drift);

    assertThat(change.strategy()).isEqualTo(ChangeSet.Strategy.MIXED);
    assertThat(change.how()).isEqualTo("value + patch");
    assertThat(change.files()).containsOnlyKeys("clusters/prod-1/values/ingress.yaml", patchFile);
    // the tag the add-on's values set for every cluster is inserted into prod-1's own file
    assertThat(change.files().get("clusters/prod-1/values/ingress.yaml"))
        .isEqualTo(
            RemediateFixture.read(repo, "clusters/prod-1/values/ingress.yaml")
                    .replace("replicas: 4   # sized", "replicas: 6   # sized")
                + "  image:\n    tag: 1.11.3-hotfix\n");
    assertThat(change.files().get(patchFile))
        .contains(PULL_POLICY)
        .doesNotContain("replicas")
        .doesNotContain("name=controller/image:");
    assertThat(change.adoptions())
        .extracting(a -> a.path() + " -> " + a.strategy() + " " + a.file() + ":" + a.line())
        .containsExactly(
            "/spec/replicas -> VALUE_EDIT clusters/prod-1/values/ingress.yaml:3",
            "/spec/template/spec/containers/name=controller/image -> VALUE_EDIT"
                + " clusters/prod-1/values/ingress.yaml:6",
            PULL_POLICY
                + " -> PATCH_FILE "
                + patchFile
                + ":"
                + lineOf(change.files().get(patchFile), PULL_POLICY));
    assertThat(change.affectedClusters()).containsExactly("prod-1");
    assertThat(change.explanation())
        .contains("read by cluster prod-1 only")
        .contains("sets only `" + PULL_POLICY + "`");
    DesiredObject after =
        RemediateFixture.object(renderWith(change, "prod-1"), "prod-1/Deployment.apps/" + INGRESS);
    assertThat(after.manifest().at("/spec/replicas").asInt()).isEqualTo(6);
    assertThat(after.manifest().at("/spec/template/spec/containers/0/image").asText())
        .isEqualTo("registry.example.com/ingress/controller:1.11.3-hotfix");
    assertThat(after.manifest().at("/spec/template/spec/containers/0/imagePullPolicy").asText())
        .isEqualTo("Always");
  }

  @Test
  void aComposedImageIsTracedByProbingEachValueItHoldsAndBecomesAOneLineTagEdit() {
    // Both images carry the same version from two values of the chart's own values file, in one
    // layer: the render cannot tell which value made the controller's image, the probes can.
    RemediateFixture.write(
        repo,
        "addons/ingress/addon.yaml",
        RemediateFixture.read(repo, "addons/ingress/addon.yaml")
            .replace("  values:\n    controller:\n      image:\n        tag: \"1.11.2\"\n", ""));
    RemediateFixture.write(
        repo,
        "addons/ingress/chart/values.yaml",
        RemediateFixture.read(repo, "addons/ingress/chart/values.yaml")
            + "metrics:\n  image:\n    repository: registry.example.com/ingress/metrics\n"
            + "    tag: \"1.10.0\"\n");
    String template = "addons/ingress/chart/templates/deployment.yaml";
    RemediateFixture.write(
        repo,
        template,
        RemediateFixture.read(repo, template)
            .replace(
                "image: registry.example.com/ingress/metrics:0.4.1",
                "image: \"{{ .Values.metrics.image.repository }}:{{ .Values.metrics.image.tag }}\""));
    ObjectDrift drift =
        RemediateFixture.drift(
            repo,
            "prod-2/Deployment.apps/" + INGRESS,
            live ->
                ((ObjectNode) live.at("/spec/template/spec/containers/0"))
                    .put("image", "registry.example.com/ingress/controller:1.10.1"));
    assertThat(drift.fields().get(0).desired().asText())
        .isEqualTo("registry.example.com/ingress/controller:1.10.0");
    assertThat(drift.fields().get(0).origin()).as("no single value was traced").isNull();

    ChangeSet change = changeSet(drift);

    // the chart's default serves every cluster: the probed value goes to prod-2's own values file
    String values = "clusters/prod-2/values/ingress.yaml";
    assertThat(change.strategy()).isEqualTo(ChangeSet.Strategy.VALUE_EDIT);
    assertThat(change.files()).containsOnlyKeys(values);
    assertThat(change.files().get(values))
        .isEqualTo("controller:\n  image:\n    tag: \"1.10.1\"\n");
    assertThat(change.edits())
        .containsExactly(
            new ChangeSet.Edit(values, 3, "/controller/image/tag", "(not set here)", "1.10.1"));
    assertThat(change.explanation())
        .contains(
            "is made of several values; this is the only one whose change re-renders it to the"
                + " live value");
    DesiredObject after =
        RemediateFixture.object(renderWith(change, "prod-2"), "prod-2/Deployment.apps/" + INGRESS);
    assertThat(after.manifest().at("/spec/template/spec/containers/1/image").asText())
        .isEqualTo("registry.example.com/ingress/metrics:1.10.0");
  }

  private static int lineOf(String content, String key) {
    List<String> lines = content.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).startsWith("#") && lines.get(i).contains(key)) {
        return i + 1;
      }
    }
    throw new AssertionError(key + " not in " + content);
  }

  private static int diffLines(String a, String b) {
    List<String> x = a.lines().toList();
    List<String> y = b.lines().toList();
    assertThat(y).hasSameSizeAs(x);
    int n = 0;
    for (int i = 0; i < x.size(); i++) {
      n += x.get(i).equals(y.get(i)) ? 0 : 1;
    }
    return n;
  }

  @Test
  void secretsTerraformAndMissingObjectsGetNoChangeSet() {
    ObjectDrift secret =
        RemediateFixture.drift(
            repo,
            "prod-1/Secret/policy-system/policy-webhook",
            live -> ((ObjectNode) live.path("stringData")).put("token", "live-secret-zq81"));
    assertThat(planner.plan(repo, secret, RemediateFixture.fingerprint(secret)))
        .isInstanceOf(AlertOnly.class)
        .asString()
        .contains("Secret values are never written")
        .doesNotContain("live-secret-zq81");

    ObjectDrift terraform =
        new ObjectDrift(
            ResourceId.terraform("prod-1", "aws_s3_bucket.logs"),
            null,
            DriftSource.TERRAFORM,
            DriftType.MODIFIED,
            null,
            List.of(new FieldDrift("/versioning", TextNode.valueOf("a"), TextNode.valueOf("b"))));
    assertThat(planner.plan(repo, terraform, "0123456789abcdef"))
        .isInstanceOf(AlertOnly.class)
        .asString()
        .contains("Terraform");

    ObjectDrift missing =
        new ObjectDrift(
            ResourceId.parse("prod-1/ConfigMap/policy-system/policy-settings"),
            "policies",
            DriftSource.KUBERNETES,
            DriftType.MISSING,
            "addons/policies/manifests/defaults.yaml",
            List.of());
    assertThat(planner.plan(repo, missing, "0123456789abcdef")).isInstanceOf(AlertOnly.class);

    // A field a person added that Git does not set: adopting it is a person's decision.
    ObjectDrift added =
        new ObjectDrift(
            ResourceId.parse("prod-1/ConfigMap/policy-system/policy-settings"),
            "policies",
            DriftSource.KUBERNETES,
            DriftType.MODIFIED,
            "addons/policies/manifests/defaults.yaml",
            List.of(
                new FieldDrift("/data/debug", null, TextNode.valueOf("true"))
                    .withManager("kubectl-edit", null)));
    assertThat(planner.plan(repo, added, "0123456789abcdef"))
        .isInstanceOf(AlertOnly.class)
        .asString()
        .contains("was set by hand");
  }

  @Test
  void aFleetThatNoLongerRendersGetsNoChangeSet() {
    ObjectDrift drift =
        RemediateFixture.drift(
            repo,
            "prod-1/Deployment.apps/ingress-system/ingress-controller",
            live -> ((ObjectNode) live.path("spec")).put("replicas", 6));
    RemediateFixture.write(
        repo, "addons/ingress/chart/templates/broken.yaml", "{{ .Values.nope.deeper.still }}\n");

    RemediationPlan plan = planner.plan(repo, drift, RemediateFixture.fingerprint(drift));

    assertThat(plan).isInstanceOf(AlertOnly.class);
    assertThat(((AlertOnly) plan).reason()).contains("does not render");
  }

  @Test
  void onTheExampleFleetAHelmReplicasDriftIsAdoptedAndReRendersToTheLiveValue() {
    Path example = Path.of("fleet-repo-example").toAbsolutePath();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.file.Files.isRegularFile(example.resolve("fleet.yaml")),
        "fleet-repo-example is missing from this checkout: run from the project root");
    Path copy = tmp.resolve("example");
    try {
      RemediationPlanner.copyTree(example, java.nio.file.Files.createDirectories(copy));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    DesiredObject candidate = null;
    for (String cluster : new java.util.TreeSet<>(listClusters(copy))) {
      ClusterRender render = RemediateFixture.RERENDER.render(copy, cluster);
      if (render.failed()) {
        continue;
      }
      candidate =
          render.objects().stream()
              .filter(o -> o.id().kind().equals("Deployment"))
              .filter(o -> o.provenance().originOf("/spec/replicas") != null)
              .findFirst()
              .orElse(null);
      if (candidate != null) {
        break;
      }
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(
        candidate != null,
        "the example fleet has no Helm Deployment whose replicas come from values");
    int desired = candidate.manifest().at("/spec/replicas").asInt();
    ObjectDrift drift =
        RemediateFixture.drift(
            copy,
            candidate.id().toString(),
            live -> ((ObjectNode) live.path("spec")).put("replicas", desired + 7));

    RemediationPlan plan = planner.plan(copy, drift, RemediateFixture.fingerprint(drift));

    assertThat(plan).as("%s", plan).isInstanceOf(ChangeSet.class);
    ChangeSet change = (ChangeSet) plan;
    Path applied = tmp.resolve("example-applied");
    try {
      RemediationPlanner.copyTree(copy, java.nio.file.Files.createDirectories(applied));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    change.files().forEach((file, content) -> RemediateFixture.write(applied, file, content));
    DesiredObject after =
        RemediateFixture.object(
            RemediateFixture.render(applied, candidate.id().cluster()), candidate.id().toString());
    assertThat(after.manifest().at("/spec/replicas").asInt()).isEqualTo(desired + 7);
  }

  @Test
  void onTheExampleFleetTheDemosHotfixBecomesTwoValuesLinesReplicasAndTheImageTag()
      throws Exception {
    Path copy = tmp.resolve("example");
    RemediationPlanner.copyTree(
        Path.of("fleet-repo-example").toAbsolutePath(),
        java.nio.file.Files.createDirectories(copy));
    ObjectDrift drift =
        RemediateFixture.drift(
            copy,
            "prod-eu-1/Deployment.apps/" + INGRESS,
            live -> {
              ((ObjectNode) live.path("spec")).put("replicas", 6);
              ((ObjectNode) live.at("/spec/template/spec/containers/0"))
                  .put("image", "registry.k8s.io/ingress-nginx/controller:v1.11.3-hotfix");
            });

    RemediationPlan plan = planner.plan(copy, drift, RemediateFixture.fingerprint(drift));

    assertThat(plan).as("%s", plan).isInstanceOf(ChangeSet.class);
    ChangeSet change = (ChangeSet) plan;
    assertThat(change.strategy()).isEqualTo(ChangeSet.Strategy.VALUE_EDIT);
    // one cluster: the tag the chart sets for all goes to prod-eu-1's own values file
    String cluster = "clusters/prod-eu-1/values/ingress.yaml";
    assertThat(change.files()).containsOnlyKeys(cluster);
    assertThat(change.files().get(cluster))
        .isEqualTo(
            RemediateFixture.read(copy, cluster).replace("replicas: 4", "replicas: 6")
                + "image:\n  tag: v1.11.3-hotfix\n");
    assertThat(change.adoptions())
        .extracting(a -> a.file() + ":" + a.line() + " " + a.pointer())
        .containsExactly(cluster + ":2 /controller/replicas", cluster + ":7 /image/tag");
  }

  private static java.util.List<String> listClusters(Path root) {
    try (var dirs = java.nio.file.Files.list(root.resolve("clusters"))) {
      return dirs.map(p -> p.getFileName().toString()).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

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
    Path copy = RemediateFixture.copy(tmp.resolve("applied-" + System.nanoTime()));
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
  void anImageTagInsideALongerStringAdoptsOnlyTheTagAndListsTheWholeBlastRadius() {
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

    String before = RemediateFixture.read(repo, "addons/ingress/addon.yaml");
    assertThat(change.strategy()).isEqualTo(ChangeSet.Strategy.VALUE_EDIT);
    assertThat(change.files())
        .containsExactly(
            Map.entry(
                "addons/ingress/addon.yaml", before.replace("tag: \"1.11.2\"", "tag: \"1.11.5\"")));
    assertThat(change.affectedClusters()).containsExactly("dev-1", "prod-1", "prod-2");
    assertThat(change.explanation()).contains("read by clusters dev-1, prod-1, prod-2");
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

  @Test
  void aFieldNoValueSetsBecomesAPatchCarryingTheWholeListAndTheRendererAppliesIt() {
    ObjectDrift drift =
        RemediateFixture.drift(
            repo,
            "prod-1/Deployment.apps/ingress-system/ingress-controller",
            live ->
                ((ObjectNode) live.at("/spec/template/spec/containers/0"))
                    .put("imagePullPolicy", "Always"));
    assertThat(drift.fields().get(0).path()).matches(".*/containers/name=[^/]+/imagePullPolicy");
    String fp = RemediateFixture.fingerprint(drift);

    ChangeSet change = changeSet(drift);

    String file = "clusters/prod-1/patches/fleetwarden-" + fp.substring(0, 10) + ".yaml";
    assertThat(change.strategy()).isEqualTo(ChangeSet.Strategy.PATCH_FILE);
    assertThat(change.files()).containsOnlyKeys(file);
    assertThat(change.affectedClusters()).containsExactly("prod-1");
    String content = change.files().get(file);
    assertThat(content).contains("kind: \"Patch\"").contains("imagePullPolicy: \"Always\"");
    // the whole containers list, both containers, travels in the patch
    assertThat(content).contains("name: \"controller\"").contains("name: \"metrics\"");
    ClusterRender before = RemediateFixture.render(repo, "prod-1");
    ClusterRender after = renderWith(change, "prod-1");
    DesiredObject patched =
        RemediateFixture.object(after, "prod-1/Deployment.apps/ingress-system/ingress-controller");
    assertThat(patched.manifest().at("/spec/template/spec/containers/0/imagePullPolicy").asText())
        .isEqualTo("Always");
    ObjectNode expected =
        RemediateFixture.object(before, "prod-1/Deployment.apps/ingress-system/ingress-controller")
            .manifest()
            .deepCopy();
    ((ObjectNode) expected.at("/spec/template/spec/containers/0")).put("imagePullPolicy", "Always");
    assertThat(patched.manifest()).isEqualTo(expected);
    assertThat(((ArrayNode) patched.manifest().at("/spec/template/spec/containers"))).hasSize(2);
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

  private static java.util.List<String> listClusters(Path root) {
    try (var dirs = java.nio.file.Files.list(root.resolve("clusters"))) {
      return dirs.map(p -> p.getFileName().toString()).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

package dev.fleetwarden.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.IgnoreRule;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.Provenance;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.ValueOrigin;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DifferTest {
  private final Differ differ = new Differ(DriftFixtures.HASHER);

  private static ObjectNode yaml(String text) throws Exception {
    return (ObjectNode) DriftFixtures.YAML.readTree(text);
  }

  private static DesiredObject desired(ObjectNode manifest, String addon) {
    return new DesiredObject(
        ResourceId.of("c", manifest),
        manifest,
        new Provenance(addon, "addons/" + addon + "/x.yaml"));
  }

  @Test
  void inSyncObjectIsNull() throws Exception {
    ObjectNode cm =
        yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: n}, data: {k: v}}");
    assertThat(differ.compare("c", desired(cm, "x"), cm.deepCopy(), List.of())).isNull();
  }

  @Test
  void resultsAreSortedAndAddonRulesOnlyApplyToTheirAddon() throws Exception {
    ObjectNode a =
        yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: b, namespace: n}, data: {k: v}}");
    ObjectNode b =
        yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: n}, data: {k: v}}");
    JsonNode liveA =
        yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: b, namespace: n}, data: {k: w}}");
    JsonNode liveB =
        yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: n}, data: {k: w}}");
    IgnoreRule ignoreData = new IgnoreRule(null, "ConfigMap", null, null, List.of("/data"), null);

    List<ObjectDrift> drifts =
        differ.diff(
            new DiffInput(
                "c",
                List.of(desired(a, "one"), desired(b, "two")),
                List.of(liveA, liveB),
                Set.of(),
                List.of(),
                Map.of("one", List.of(ignoreData))));

    assertThat(drifts).extracting(d -> d.resource().toString()).containsExactly("c/ConfigMap/n/a");
    assertThat(drifts.get(0).addon()).isEqualTo("two");
    assertThat(drifts.get(0).type()).isEqualTo(DriftType.MODIFIED);
  }

  @Test
  void ignoreMatcherHandlesWildcardsKeysAndPrefixes() throws Exception {
    ObjectNode deploy =
        yaml(
            "{spec: {template: {spec: {containers: [{name: app, image: a}, {name: proxy, image: p}]}}}}");
    ResourceId id = new ResourceId("c", "apps", "Deployment", "n", "web");
    IgnoreMatcher byKey =
        IgnoreMatcher.forObject(
            id,
            List.of(
                new IgnoreRule(
                    "apps",
                    "Deployment",
                    "n",
                    "we*",
                    List.of("/spec/template/spec/containers/name=proxy"),
                    null)));
    assertThat(byKey.ignores("/spec/template/spec/containers/1/image", null, deploy)).isTrue();
    assertThat(byKey.ignores("/spec/template/spec/containers/0/image", null, deploy)).isFalse();
    IgnoreMatcher wildcard =
        IgnoreMatcher.forObject(
            id,
            List.of(
                new IgnoreRule(
                    null,
                    null,
                    null,
                    null,
                    List.of("/spec/template/spec/containers/*/image"),
                    null)));
    assertThat(wildcard.ignores("/spec/template/spec/containers/0/image", null, deploy)).isTrue();
    assertThat(wildcard.ignores("/spec/template/spec/containers/0/args", null, deploy)).isFalse();
    IgnoreMatcher otherObject =
        IgnoreMatcher.forObject(
            id,
            List.of(new IgnoreRule(null, "Deployment", null, "api", List.of(""), List.of("hpa"))));
    assertThat(otherObject.ignores("/spec/replicas", "hpa", deploy)).isFalse();
    IgnoreMatcher manager =
        IgnoreMatcher.forObject(
            id, List.of(new IgnoreRule(null, null, null, null, null, List.of("hpa"))));
    assertThat(manager.ignores("/spec/replicas", "hpa", deploy)).isTrue();
    assertThat(manager.ignores("/spec/replicas", "kubectl", deploy)).isFalse();
  }

  @Test
  void keyedListElementsReportTheirKeyAndPositionalListsTheWholeValue() throws Exception {
    ObjectNode want =
        yaml(
            "{apiVersion: v1, kind: Pod, metadata: {name: p, namespace: n}, spec: {containers: [{name: a, image: x, command: [sh, -c]}, {name: b, image: y}]}}");
    JsonNode live =
        yaml(
            "{apiVersion: v1, kind: Pod, metadata: {name: p, namespace: n}, spec: {containers: [{name: b, image: z}, {name: a, image: x, command: [bash, -c]}]}}");

    ObjectDrift drift = differ.compare("c", desired(want, "x"), live, List.of());

    assertThat(drift.fields())
        .extracting(f -> f.path())
        .containsExactly("/spec/containers/name=a/command", "/spec/containers/name=b/image");
    assertThat(drift.fields().get(0).desired().toString()).isEqualTo("[\"sh\",\"-c\"]");
    assertThat(drift.fields().get(0).live().toString()).isEqualTo("[\"bash\",\"-c\"]");
    assertThat(drift.file()).isEqualTo("addons/x/x.yaml");
  }

  @Test
  void aListInOrderUpToOneElementIsMatchedByKeyFromThereOnWithTheFirstOfRepeatedLiveKeys()
      throws Exception {
    ObjectNode want =
        yaml(
            "{apiVersion: v1, kind: Pod, metadata: {name: p, namespace: n}, spec: {containers: [{name: a, image: x}, {name: b, image: y}, {name: c, image: z}]}}");
    // a and b in Git's order; then a second live "a" (the first one wins) and c out of place
    JsonNode live =
        yaml(
            "{apiVersion: v1, kind: Pod, metadata: {name: p, namespace: n}, spec: {containers: [{name: a, image: x}, {name: b, image: y2}, {name: a, image: other}, {name: c, image: z2}]}}");

    ObjectDrift drift = differ.compare("c", desired(want, "x"), live, List.of());

    assertThat(drift.fields())
        .extracting(f -> f.path() + " " + f.live())
        .containsExactly(
            "/spec/containers/name=b/image \"y2\"", "/spec/containers/name=c/image \"z2\"");
  }

  @Test
  void theOriginOfAKeyedFieldIsFoundAtItsIndexInTheRenderedObject() throws Exception {
    ObjectNode want =
        yaml(
            "{apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: n}, spec: {template: {spec: {containers: [{name: sidecar, image: s}, {name: web, image: 'w:1'}]}}}}");
    JsonNode live =
        yaml(
            "{apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: n}, spec: {template: {spec: {containers: [{name: web, image: 'w:2'}, {name: sidecar, image: s}]}}}}");
    ValueOrigin origin = new ValueOrigin("clusters/c/values/web.yaml", 3, "/image/tag");
    DesiredObject d =
        new DesiredObject(
            ResourceId.of("c", want),
            want,
            new Provenance(
                "x", "addons/x/x.yaml", Map.of("/spec/template/spec/containers/1/image", origin)));

    ObjectDrift drift = differ.compare("c", d, live, List.of());

    assertThat(drift.fields()).hasSize(1);
    assertThat(drift.fields().get(0).path())
        .isEqualTo("/spec/template/spec/containers/name=web/image");
    assertThat(drift.fields().get(0).origin()).isEqualTo(origin);
  }

  @Test
  void anObjectReadInTwoVersionsIsComparedInTheVersionGitDeclares() throws Exception {
    ObjectNode v2 =
        yaml(
            "{apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, metadata: {name: web, namespace: n}, spec: {maxReplicas: 5, metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}]}}");
    JsonNode liveV1 =
        yaml(
            "{apiVersion: autoscaling/v1, kind: HorizontalPodAutoscaler, metadata: {name: web, namespace: n}, spec: {maxReplicas: 5, targetCPUUtilizationPercentage: 70}}");
    JsonNode liveV2 = v2.deepCopy();

    List<ObjectDrift> drifts =
        differ.diff(DiffInput.of("c", List.of(desired(v2, "x")), List.of(liveV1, liveV2)));

    assertThat(drifts).isEmpty();
  }
}

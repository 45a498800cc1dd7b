package dev.fleetwarden.remediate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleetwarden.drift.IgnoreRules;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.fleet.FleetSettings;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.IgnoreRule;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IgnoreRulePlannerTest {
  private static final String OBJECT = "Deployment.apps/ingress-system/ingress-controller";
  private static final String MEMORY =
      "/spec/template/spec/containers/name=controller/resources/limits/memory";
  private static final List<String> HUMANS = FleetSettings.DEFAULT_HUMAN_MANAGERS;

  @TempDir Path tmp;

  private static FieldDrift field(String path, String live, String manager) {
    return new FieldDrift(
        path,
        TextNode.valueOf("256Mi"),
        TextNode.valueOf(live),
        manager,
        Instant.parse("2026-11-30T10:00:00Z"),
        null);
  }

  private static Finding finding(String id, DriftType type, FieldDrift... fields) {
    ObjectDrift d =
        new ObjectDrift(
            ResourceId.parse(id),
            "ingress",
            DriftSource.KUBERNETES,
            type,
            "addons/ingress/chart/templates/deployment.yaml",
            Arrays.asList(fields));
    return Finding.observed(d, Instant.parse("2026-11-30T10:05:00Z"), null);
  }

  private static Finding memory(String cluster, String live, String manager) {
    return finding(cluster + "/" + OBJECT, DriftType.MODIFIED, field(MEMORY, live, manager));
  }

  private static IgnoreRulePlanner planner(int min) {
    return new IgnoreRulePlanner(IgnoreRules::ignores, min);
  }

  @Test
  void onlyDriftOfEnoughClustersThatControllersWroteIsNoise() {
    List<Finding> three =
        List.of(
            memory("a", "512Mi", "vpa-recommender"),
            memory("b", "512Mi", "vpa-recommender"),
            memory("c", "512Mi", "vpa-recommender"));
    assertThat(planner(3).notNoise(three, 5, HUMANS)).isNull();
    assertThat(planner(4).notNoise(three, 5, HUMANS))
        .isEqualTo("on 3 of the 4 clusters an ignore rule needs");
    // fewer clusters run the add-on than the setting asks for: all of them are enough
    assertThat(planner(4).notNoise(three, 3, HUMANS)).isNull();
    assertThat(planner(3).notNoise(three.subList(0, 2), 2, HUMANS)).isNull();
    assertThat(planner(3).notNoise(three.subList(0, 1), 1, HUMANS)).isNotNull();

    List<Finding> human = List.of(three.get(0), three.get(1), memory("c", "512Mi", "kubectl-edit"));
    assertThat(planner(3).notNoise(human, 3, HUMANS))
        .isEqualTo("c: " + MEMORY + " was written by a person");
    List<Finding> unknown = List.of(three.get(0), three.get(1), memory("c", "512Mi", null));
    assertThat(planner(3).notNoise(unknown, 3, HUMANS))
        .isEqualTo("c: " + MEMORY + " has no known field manager");
    // the fleet's own list of human-operated managers decides
    assertThat(planner(3).notNoise(three, 3, List.of("vpa-recommender"))).contains("by a person");

    // critical drift is never proposed for ignoring: anyone can send any field manager name
    Finding critical =
        Finding.observed(
            memory("c", "512Mi", "vpa-recommender")
                .drift()
                .withRisk(
                    List.of(
                        new dev.fleetwarden.model.Risk(
                            "privileged-container", "privileged container", MEMORY))),
            Instant.EPOCH,
            null);
    assertThat(planner(3).notNoise(List.of(three.get(0), three.get(1), critical), 3, HUMANS))
        .isEqualTo("c: the drift is critical (privileged-container)");

    Finding missing = finding("c/" + OBJECT, DriftType.MISSING, field("", "x", "vpa-recommender"));
    assertThat(planner(3).notNoise(List.of(three.get(0), three.get(1), missing), 3, HUMANS))
        .isEqualTo("drift of type missing");
  }

  @Test
  void oneControllerGivesAManagerRuleSeveralGiveAPointerRule() {
    IgnoreRule byManager =
        IgnoreRulePlanner.choose(
            List.of(
                memory("a", "512Mi", "vpa-recommender"), memory("b", "512Mi", "vpa-recommender")));
    assertThat(byManager)
        .isEqualTo(
            new IgnoreRule(
                "apps",
                "Deployment",
                "ingress-system",
                "ingress-controller",
                null,
                List.of("vpa-recommender")));
    assertThat(IgnoreRulePlanner.item(byManager).toString())
        .isEqualTo(
            "{\"group\":\"apps\",\"kind\":\"Deployment\",\"namespace\":\"ingress-system\","
                + "\"name\":\"ingress-controller\",\"managers\":[\"vpa-recommender\"]}");

    String replicas = "/spec/replicas";
    IgnoreRule byPointer =
        IgnoreRulePlanner.choose(
            List.of(
                finding(
                    "a/" + OBJECT,
                    DriftType.MODIFIED,
                    field(replicas, "5", "kube-controller-manager"),
                    field(MEMORY, "512Mi", "vpa-recommender")),
                finding(
                    "b/" + OBJECT,
                    DriftType.MODIFIED,
                    field(replicas, "5", "kube-controller-manager"),
                    field(MEMORY, "512Mi", "vpa-recommender"))));
    assertThat(byPointer.managers()).isEmpty();
    assertThat(byPointer.pointers()).containsExactly(replicas, MEMORY);

    // a cluster-scoped object of the core group: no namespace, the core group spelled ""
    IgnoreRule clusterScoped =
        IgnoreRulePlanner.choose(
            List.of(
                finding(
                    "a/Namespace/_/team-a",
                    DriftType.MODIFIED,
                    field("/metadata/labels/x", "y", "namespace-labeler"))));
    assertThat(clusterScoped.group()).isEmpty();
    assertThat(clusterScoped.namespace()).isNull();
    assertThat(IgnoreRulePlanner.item(clusterScoped).toString())
        .isEqualTo(
            "{\"group\":\"\",\"kind\":\"Namespace\",\"name\":\"team-a\","
                + "\"managers\":[\"namespace-labeler\"]}");
  }

  @Test
  void theRuleLoadedFromTheEditedAddonHidesTheGroupAndNothingElse() throws Exception {
    Path root = RemediateFixture.copy(tmp.resolve("fleet"));
    Fleet fleet = FleetLoader.load(root);
    List<Finding> group =
        List.of(
            memory("prod-1", "512Mi", "vpa-recommender"),
            memory("prod-2", "512Mi", "vpa-recommender"));

    IgnoreRulePlanner.Proposal alone = planner(2).plan(root, fleet, group, group);
    assertThat(alone.proposed()).as(alone.reason()).isTrue();
    assertThat(alone.form()).isEqualTo(IgnoreRulePlanner.Form.MANAGER);
    assertThat(alone.file()).isEqualTo("addons/ingress/addon.yaml");
    assertThat(alone.content())
        .startsWith(RemediateFixture.read(root, "addons/ingress/addon.yaml"))
        .endsWith(
            "  drift:\n    ignore:\n"
                + "      # Written by vpa-recommender on 2 clusters: controller-owned, not drift"
                + " (fleetwarden drift group "
                + dev.fleetwarden.ledger.DriftGroups.fingerprintOf(group.get(0).drift())
                    .substring(0, RemediationPlanner.SHORT_FINGERPRINT)
                + ").\n"
                + "      - {group: apps, kind: Deployment, namespace: ingress-system,"
                + " name: ingress-controller, managers: [vpa-recommender]}\n");

    // dev-1 has another field of the same object written by the same controller: the manager
    // rule would hide it, the rule by path does not
    Finding otherField =
        finding(
            "dev-1/" + OBJECT, DriftType.MODIFIED, field("/spec/replicas", "5", "vpa-recommender"));
    IgnoreRulePlanner.Proposal narrowed =
        planner(2).plan(root, fleet, group, List.of(group.get(0), group.get(1), otherField));
    assertThat(narrowed.proposed()).as(narrowed.reason()).isTrue();
    assertThat(narrowed.form()).isEqualTo(IgnoreRulePlanner.Form.POINTER);
    assertThat(narrowed.rule().pointers()).containsExactly(MEMORY);
    assertThat(narrowed.content()).contains("pointers: [" + MEMORY + "]}");

    // dev-1 has the same field at another value: any rule would hide that drift too
    Finding otherValue = memory("dev-1", "1Gi", "vpa-recommender");
    IgnoreRulePlanner.Proposal refused =
        planner(2).plan(root, fleet, group, List.of(group.get(0), group.get(1), otherValue));
    assertThat(refused.proposed()).isFalse();
    assertThat(refused.reason())
        .isEqualTo(
            "the rule would also hide "
                + MEMORY
                + " of dev-1/"
                + OBJECT
                + ", which is not the same drift");
  }
}

package dev.fleetwarden.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.RiskRule;
import dev.fleetwarden.model.Severity;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Risk rules as fleet-repo data: the shipped defaults, and a fleet's overrides in fleet.yaml. */
class RiskRulesTest {
  @TempDir Path dir;

  private static final String HEAD =
      """
      apiVersion: fleetwarden.dev/v1alpha1
      kind: Fleet
      metadata:
        name: test-fleet
      spec:
        defaults:
          kubeVersion: "1.29.0"
      """;

  private FleetFixture fleetYaml(String spec) {
    return new FleetFixture(dir).write("fleet.yaml", HEAD + spec);
  }

  private static List<FleetError> errorsOf(FleetFixture f) {
    try {
      FleetLoader.load(f.root);
    } catch (FleetValidationException e) {
      return e.errors();
    }
    throw new AssertionError("expected the fleet to be invalid");
  }

  @Test
  void theDefaultsShipInTheJarAndAFleetWithoutRiskSettingsRunsThem() throws Exception {
    List<RiskRule> defaults = RiskRules.defaults();
    assertThat(defaults)
        .extracting(RiskRule::id)
        .contains("netpol-removed", "sg-ingress-open-world");
    assertThat(defaults)
        .allSatisfy(r -> assertThat(r.origin()).startsWith(RiskRules.DEFAULTS + ":"));
    Fleet fleet = FleetLoader.load(new FleetFixture(dir).root);
    assertThat(fleet.settings().riskRules()).isEqualTo(defaults);
  }

  @Test
  void aFleetDisablesReplacesAndAddsRules() throws Exception {
    Fleet fleet =
        FleetLoader.load(
            fleetYaml(
                    """
                      drift:
                        risk:
                          disable: [pod-run-as-uid-0, pod-host-path]
                          rules:
                            - id: netpol-removed
                              reason: "NetworkPolicy deleted: page the network team"
                              kinds: [NetworkPolicy.networking.k8s.io]
                              live: {absent: true}
                            - id: debug-flag
                              reason: debug logging switched on by hand
                              kinds: [ConfigMap]
                              paths: [/data/LOG_LEVEL]
                              live: {equals: debug}
                    """)
                .root);
    List<RiskRule> rules = fleet.settings().riskRules();
    assertThat(rules)
        .extracting(RiskRule::id)
        .doesNotContain("pod-run-as-uid-0", "pod-host-path")
        .contains("pod-privileged", "debug-flag");
    assertThat(rules).hasSize(RiskRules.defaults().size() - 2 + 1);
    RiskRule replaced =
        rules.stream().filter(r -> r.id().equals("netpol-removed")).findFirst().orElseThrow();
    assertThat(replaced.reason()).isEqualTo("NetworkPolicy deleted: page the network team");
    assertThat(replaced.origin()).isEqualTo("fleet.yaml:12");
    // replaced in place, so the order of the defaults stays
    assertThat(rules.indexOf(replaced))
        .isEqualTo(
            RiskRules.defaults().stream().map(RiskRule::id).toList().indexOf("netpol-removed") - 2);
    RiskRule added = rules.get(rules.size() - 1);
    assertThat(added.id()).isEqualTo("debug-flag");
    assertThat(added.appliesTo(new ResourceId("c", "", "ConfigMap", "a", "b"))).isTrue();
    assertThat(added.appliesTo(new ResourceId("c", "apps", "Deployment", "a", "b"))).isFalse();
    assertThat(added.live().test(JsonNodeFactory.instance.textNode("debug"))).isTrue();
    // no desired test given: the desired value must not pass the live one
    assertThat(added.desired().test(JsonNodeFactory.instance.textNode("debug"))).isFalse();
    assertThat(added.desired().test(JsonNodeFactory.instance.textNode("info"))).isTrue();
  }

  @Test
  void withoutDefaultsOnlyTheFleetsOwnRulesRun() throws Exception {
    Fleet fleet =
        FleetLoader.load(
            fleetYaml(
                    """
                      drift:
                        risk:
                          defaults: false
                          rules:
                            - id: open-bucket
                              reason: bucket made public
                              resourceTypes: [aws_s3_bucket_acl]
                              paths: [/acl]
                              live: {in: [public-read, public-read-write]}
                    """)
                .root);
    assertThat(fleet.settings().riskRules())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.source()).isEqualTo(DriftSource.TERRAFORM);
              assertThat(
                      r.appliesTo(
                          ResourceId.terraform("c", "module.logs.aws_s3_bucket_acl.this[0]")))
                  .isTrue();
              assertThat(r.appliesTo(ResourceId.terraform("c", "aws_s3_bucket.this"))).isFalse();
            });
  }

  @Test
  void aBadRuleIsReportedAtItsFileAndLine() {
    List<FleetError> errors =
        errorsOf(
            fleetYaml(
                """
                  drift:
                    risk:
                      disable: [no-such-rule]
                      rules:
                        - id: Bad_Id
                          reason: x
                          kinds: [Deployment]
                          paths: [spec/replicas]
                          live: {matches: ".*"}
                        - id: tf-objects
                          reason: y
                          resourceTypes: [aws_vpc]
                          liveObject: {absent: false}
                        - id: both
                          reason: z
                          kinds: [Pod]
                          resourceTypes: [aws_vpc]
                        - id: nested
                          reason: w
                          live: {not: {not: {not: {not: {not: {not: {not: {not: {not: {absent: true}}}}}}}}}}
                """));
    assertThat(errors).allSatisfy(e -> assertThat(e.file()).isEqualTo("fleet.yaml"));
    assertThat(errors)
        .anySatisfy(e -> at(e, 10, "no default risk rule 'no-such-rule'"))
        .anySatisfy(e -> at(e, 12, "must be lower-case letters"))
        .anySatisfy(e -> at(e, 14, "write it as resource ids do: Deployment.apps"))
        .anySatisfy(e -> at(e, 15, "is not a JSON pointer"))
        .anySatisfy(e -> at(e, 16, "unknown key 'matches'"))
        .anySatisfy(e -> at(e, 20, "desiredObject and liveObject test whole Kubernetes objects"))
        .anySatisfy(e -> at(e, 21, "not both"))
        .anySatisfy(e -> assertThat(e.message()).contains("predicates nest deeper than 8"));
  }

  private static void at(FleetError e, int line, String message) {
    assertThat(e.line()).isEqualTo(line);
    assertThat(e.message()).contains(message);
  }

  @Test
  void aDuplicateIdAndAnEmptyReasonAreRefused() {
    List<FleetError> errors =
        errorsOf(
            fleetYaml(
                """
                  drift:
                    risk:
                      rules:
                        - {id: same, reason: a, kinds: [Pod]}
                        - {id: same, reason: b, kinds: [Pod]}
                        - {id: quiet, kinds: [Pod]}
                        - {id: long, reason: "%s", kinds: [Pod]}
                """
                    .formatted("x".repeat(RiskRules.MAX_REASON + 1))));
    assertThat(errors)
        .anySatisfy(e -> at(e, 12, "is used twice"))
        .anySatisfy(e -> at(e, 13, "missing required key 'reason'"))
        .anySatisfy(e -> at(e, 14, "one line of at most"));
  }

  @Test
  void readingRulesIsInertAndBounded() {
    // YAML aliases (the building block of "billion laughs") are refused before any rule is read.
    assertThatThrownBy(
            () ->
                RiskRules.read(
                    "rules.yaml",
                    """
                    rules:
                      - &r {id: a, reason: a, kinds: [Pod]}
                      - *r
                    """))
        .isInstanceOf(FleetValidationException.class)
        .hasMessageContaining("YAML aliases");
    StringBuilder many = new StringBuilder("rules:\n");
    for (int i = 0; i <= RiskRules.MAX_RULES; i++) {
      many.append("  - {id: r").append(i).append(", reason: r, kinds: [Pod]}\n");
    }
    assertThatThrownBy(() -> RiskRules.read("rules.yaml", many.toString()))
        .isInstanceOf(FleetValidationException.class)
        .hasMessageContaining("more than " + RiskRules.MAX_RULES + " risk rules");
    String longList =
        "rules:\n  - {id: r, reason: r, kinds: [" + "Pod, ".repeat(RiskRules.MAX_LIST) + "Pod]}\n";
    assertThatThrownBy(() -> RiskRules.read("rules.yaml", longList))
        .isInstanceOf(FleetValidationException.class)
        .hasMessageContaining("more than " + RiskRules.MAX_LIST + " items");
  }

  @Test
  void routesMayAskForALeastSeverity() throws Exception {
    Fleet fleet =
        FleetLoader.load(
            fleetYaml(
                    """
                      notifications:
                        routes:
                          - match: {severity: critical}
                            channel: "#security"
                          - channel: "#alerts"
                    """)
                .root);
    assertThat(fleet.settings().routes().get(0).severity()).isEqualTo(Severity.CRITICAL);
    assertThat(fleet.settings().routes().get(1).severity()).isNull();
    assertThat(
            errorsOf(
                fleetYaml(
                    """
                      notifications:
                        routes:
                          - match: {severity: urgent}
                            channel: "#security"
                    """)))
        .singleElement()
        .satisfies(e -> at(e, 10, "severity must be pending, drifted, missing or critical"));
  }
}

package dev.fleetwarden.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleetwarden.fleet.RiskRules;
import dev.fleetwarden.ledger.Fingerprints;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.Risk;
import dev.fleetwarden.model.Severity;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RiskClassifierTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RiskClassifier DEFAULTS = new RiskClassifier(RiskRules.defaults());

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static ObjectDrift modified(ResourceId id, FieldDrift... fields) {
    return new ObjectDrift(
        id, "web", DriftSource.KUBERNETES, DriftType.MODIFIED, null, List.of(fields));
  }

  private static final ResourceId DEPLOYMENT =
      new ResourceId("c", "apps", "Deployment", "a", "web");

  private static final String DESIRED =
      "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','namespace':'a'},"
          + "'spec':{'template':{'spec':{'containers':[{'name':'sidecar','image':'s'},"
          + "{'name':'web','image':'w','securityContext':{'privileged':false}}]}}}}";
  private static final String LIVE = DESIRED.replace("'privileged':false", "'privileged':true");

  @Test
  void riskIsNotIdentityTheFingerprintStaysTheSame() {
    ObjectDrift drift =
        modified(
            DEPLOYMENT,
            new FieldDrift(
                "/spec/template/spec/containers/1/securityContext/privileged",
                json("false"),
                json("true")));
    ObjectDrift ranked = DEFAULTS.classify(drift, json(DESIRED), json(LIVE));
    assertThat(ranked.risk()).extracting(Risk::rule).containsExactly("pod-privileged");
    assertThat(ranked.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(drift.severity()).isEqualTo(Severity.DRIFTED);
    assertThat(Fingerprints.of(ranked)).isEqualTo(Fingerprints.of(drift));
    assertThat(ranked.fields()).isEqualTo(drift.fields());
  }

  @Test
  void keyedDriftPathsAreFollowedIntoTheObjects() {
    // The schema's path syntax: the container by its name, wherever it sits in the list.
    ObjectDrift drift =
        modified(
            DEPLOYMENT,
            new FieldDrift(
                "/spec/template/spec/containers/name=web/securityContext/privileged",
                json("false"),
                json("true")));
    assertThat(DEFAULTS.classify(drift, json(DESIRED), json(LIVE)).risk())
        .containsExactly(
            new Risk(
                "pod-privileged",
                "privileged container",
                "/spec/template/spec/containers/name=web/securityContext/privileged"));

    // A drift below the rule's path is judged on the enclosing values of both objects.
    ObjectDrift verb =
        modified(
            new ResourceId("c", "rbac.authorization.k8s.io", "ClusterRole", "_", "reader"),
            new FieldDrift("/rules/0/verbs/1", TextNode.valueOf("list"), TextNode.valueOf("*")));
    String role = "{'kind':'ClusterRole','rules':[{'resources':['pods'],'verbs':['get','%s']}]}";
    assertThat(
            DEFAULTS.classify(verb, json(role.formatted("list")), json(role.formatted("*"))).risk())
        .containsExactly(
            new Risk("rbac-wildcard-verbs", "RBAC rule grants every verb (*)", "/rules/0/verbs"));
  }

  @Test
  void terraformDriftBelowARulesPathIsNotGuessedAt() {
    // Without the resource's attributes the enclosing value is unknown: no risk, no error.
    ObjectDrift drift =
        new ObjectDrift(
            ResourceId.terraform("c", "aws_security_group.nodes"),
            null,
            DriftSource.TERRAFORM,
            DriftType.MODIFIED,
            null,
            List.of(
                new FieldDrift(
                    "/ingress/from_port=22,to_port=22,protocol=tcp/cidr_blocks/0",
                    TextNode.valueOf("10.0.0.0/8"),
                    TextNode.valueOf("0.0.0.0/0"))));
    assertThat(DEFAULTS.classify(drift, null, null).risk()).isEmpty();
  }

  @Test
  void pendingChangesAreTheFleetReposOwnAndNeverRanked() {
    ObjectDrift pending =
        new ObjectDrift(
            ResourceId.terraform("c", "aws_security_group.nodes"),
            null,
            DriftSource.TERRAFORM,
            DriftType.PENDING,
            null,
            List.of(
                new FieldDrift(
                    "/ingress/from_port=22,to_port=22,protocol=tcp",
                    json("{'cidr_blocks':['0.0.0.0/0'],'from_port':22,'to_port':22}"),
                    NullNode.instance)));
    ObjectDrift ranked = DEFAULTS.classify(pending, null, null);
    assertThat(ranked.risk()).isEmpty();
    assertThat(ranked.severity()).isEqualTo(Severity.PENDING);
  }

  @Test
  void aMissingObjectIsJudgedAsAWholeNotByWhatItHeld() {
    // A deleted privileged DaemonSet is missing, not "privileged turned off" or "runAsNonRoot
    // removed": only rules without paths look at missing objects.
    ObjectDrift missing =
        new ObjectDrift(
            new ResourceId("c", "apps", "DaemonSet", "a", "agent"),
            "agent",
            DriftSource.KUBERNETES,
            DriftType.MISSING,
            null,
            List.of());
    JsonNode desired =
        json(
            "{'kind':'DaemonSet','spec':{'template':{'spec':{'securityContext':{'runAsNonRoot':true},"
                + "'containers':[{'name':'a','securityContext':{'allowPrivilegeEscalation':false}}]}}}}");
    assertThat(DEFAULTS.classify(missing, desired, null).risk()).isEmpty();
    assertThat(DEFAULTS.classify(missing, desired, null).severity()).isEqualTo(Severity.MISSING);
  }

  @Test
  void oneRuleAtOnePathCountsOnceAndAnObjectListsAtMostTwenty() {
    // Two fields below the same position: one risk.
    ObjectDrift twoVerbs =
        modified(
            new ResourceId("c", "rbac.authorization.k8s.io", "ClusterRole", "_", "r"),
            new FieldDrift("/rules/0/verbs/1", TextNode.valueOf("list"), TextNode.valueOf("*")),
            new FieldDrift("/rules/0/verbs/2", TextNode.valueOf("watch"), TextNode.valueOf("*")));
    String role = "{'rules':[{'verbs':['get',%s]}]}";
    assertThat(
            DEFAULTS
                .classify(
                    twoVerbs,
                    json(role.formatted("'list','watch'")),
                    json(role.formatted("'*','*'")))
                .risk())
        .hasSize(1);

    List<FieldDrift> many = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      many.add(
          new FieldDrift(
              "/spec/template/spec/containers/" + i + "/securityContext/privileged",
              json("false"),
              json("true")));
    }
    ObjectDrift drift = modified(DEPLOYMENT, many.toArray(FieldDrift[]::new));
    assertThat(DEFAULTS.classify(drift, null, null).risk())
        .hasSize(RiskClassifier.MAX_RISKS_PER_OBJECT);
  }

  @Test
  void rulesThatTestWholeObjectsNeedThem() {
    // rbac-cluster-admin-subject reads the live binding's roleRef: without objects it cannot fire.
    ObjectDrift subject =
        modified(
            new ResourceId("c", "rbac.authorization.k8s.io", "ClusterRoleBinding", "_", "admins"),
            new FieldDrift("/subjects/1", NullNode.instance, json("{'kind':'User','name':'m'}")));
    assertThat(DEFAULTS.classify(subject, null, null).risk()).isEmpty();
    JsonNode binding =
        json(
            "{'roleRef':{'name':'cluster-admin'},'subjects':[{'kind':'Group','name':'g'},"
                + "{'kind':'User','name':'m'}]}");
    JsonNode desired =
        json("{'roleRef':{'name':'cluster-admin'},'subjects':[{'kind':'Group','name':'g'}]}");
    assertThat(DEFAULTS.classify(subject, desired, binding).risk())
        .extracting(Risk::rule)
        .containsExactly("rbac-cluster-admin-subject");
  }
}

package dev.fleetwarden.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.fleetwarden.fleet.RiskRules;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.Provenance;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.Risk;
import dev.fleetwarden.model.RiskRule;
import dev.fleetwarden.terraform.PlanParser;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The default risk rules as a table ({@code risk/default-rules-cases.yaml}): each case is a drift
 * computed as the service computes it, Kubernetes objects through the {@link Differ} and Terraform
 * resources through the {@link PlanParser} of a plan's {@code resource_drift}, and names exactly
 * the rules that must mark it critical. Cases with {@code managedFields} go through the Differ's
 * own search for people's live-only changes (drift type {@code added}).
 */
class DefaultRiskRulesTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CLUSTER = "c";

  record Case(String name, String about, Set<String> expect, JsonNode spec) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Case> cases() throws IOException {
    try (InputStream in =
        DefaultRiskRulesTest.class.getResourceAsStream("risk/default-rules-cases.yaml")) {
      JsonNode root = YAML.readTree(in);
      List<Case> out = new ArrayList<>();
      for (JsonNode c : root.path("cases")) {
        Set<String> expect = new TreeSet<>();
        c.path("expect").forEach(e -> expect.add(e.asText()));
        out.add(new Case(c.path("name").asText(), c.path("about").asText(), expect, c));
      }
      return out;
    }
  }

  static Stream<Case> table() throws IOException {
    return cases().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void eachCaseIsMarkedByExactlyItsRules(Case c) throws Exception {
    RiskClassifier classifier = new RiskClassifier(RiskRules.defaults());
    ObjectDrift classified = classify(classifier, c.spec());
    Set<String> fired = new TreeSet<>();
    if (classified != null) {
      classified.risk().forEach(r -> fired.add(r.rule()));
    }
    assertThat(fired).as("%s: %s", c.name(), classified).isEqualTo(c.expect());
    if (!c.expect().isEmpty()) {
      assertThat(classified.severity().label()).isEqualTo("critical");
      assertThat(classified.risk()).allSatisfy(r -> assertThat(r.reason()).isNotBlank());
    }
  }

  @Test
  void everyDefaultRuleHasACaseThatFiresItAndANearMissThatDoesNot() throws Exception {
    List<Case> cases = cases();
    for (RiskRule rule : RiskRules.defaults()) {
      assertThat(cases)
          .as("a case that fires %s", rule.id())
          .anyMatch(c -> c.about().equals(rule.id()) && c.expect().contains(rule.id()));
      assertThat(cases)
          .as("a near miss of %s", rule.id())
          .anyMatch(c -> c.about().equals(rule.id()) && !c.expect().contains(rule.id()));
    }
    Set<String> ids = new TreeSet<>();
    RiskRules.defaults().forEach(r -> ids.add(r.id()));
    assertThat(cases).allSatisfy(c -> assertThat(ids).contains(c.about()));
  }

  /** The drift of a case, classified; null when the case produces no drift at all. */
  static ObjectDrift classify(RiskClassifier classifier, JsonNode spec) throws Exception {
    if (spec.has("terraform")) {
      ObjectDrift drift = terraformDrift(spec.path("terraform"));
      return drift == null ? null : classifier.classify(drift, null, null);
    }
    JsonNode desired = object(spec.get("desired"));
    JsonNode live = object(spec.get("live"));
    // The whole cluster as the Differ sees it: the case's object, and objects on both sides that
    // make its kind one the fleet uses (an object created by hand is only looked for there).
    List<DesiredObject> desiredObjects = new ArrayList<>();
    List<JsonNode> liveObjects = new ArrayList<>();
    for (JsonNode other : spec.path("others")) {
      desiredObjects.add(desiredObject(other));
      liveObjects.add(other);
    }
    if (desired != null) {
      desiredObjects.add(desiredObject(desired));
    }
    if (live != null) {
      liveObjects.add(live);
    }
    ResourceId id = ResourceId.of(CLUSTER, desired != null ? desired : live);
    ObjectDrift drift =
        new Differ(SecretHasher.ephemeral())
            .diff(DiffInput.of(CLUSTER, desiredObjects, liveObjects)).stream()
                .filter(d -> d.resource().equals(id))
                .findFirst()
                .orElse(null);
    if (spec.has("added")) {
      // Live-only fields a person set, written as the `added` drift type reports them (desired
      // absent), for objects whose fixture carries no managedFields.
      List<FieldDrift> fields = new ArrayList<>(drift == null ? List.of() : drift.fields());
      for (JsonNode a : spec.path("added")) {
        fields.add(new FieldDrift(a.path("path").asText(), NullNode.instance, a.get("live")));
      }
      DriftType type =
          drift != null && drift.type() == DriftType.MODIFIED
              ? DriftType.MODIFIED
              : DriftType.ADDED;
      drift = new ObjectDrift(id, "addon", DriftSource.KUBERNETES, type, null, fields);
    }
    if (spec.has("type") && drift != null) {
      assertThat(drift.type().label()).isEqualTo(spec.path("type").asText());
    }
    return drift == null ? null : classifier.classify(drift, desired, live);
  }

  private static DesiredObject desiredObject(JsonNode manifest) {
    return new DesiredObject(
        ResourceId.of(CLUSTER, manifest),
        (ObjectNode) manifest,
        new Provenance("addon", "addons/addon/manifests/object.yaml"));
  }

  private static JsonNode object(JsonNode n) {
    return n == null || n.isNull() ? null : n;
  }

  /** A plan holding one resource_drift entry (deleted when {@code after} is absent), parsed. */
  private static ObjectDrift terraformDrift(JsonNode tf) throws Exception {
    String type = tf.path("type").asText();
    ObjectNode show = JSON.createObjectNode();
    show.put("format_version", "1.2");
    ObjectNode rc = ((ArrayNode) show.putArray("resource_drift")).addObject();
    rc.put("address", type + ".this");
    rc.put("mode", "managed");
    rc.put("type", type);
    rc.put("name", "this");
    ObjectNode change = rc.putObject("change");
    boolean deleted = !tf.has("after");
    change.putArray("actions").add(deleted ? "delete" : "update");
    change.set("before", tf.path("before"));
    change.set("after", deleted ? NullNode.instance : tf.path("after"));
    show.putArray("resource_changes");
    List<ObjectDrift> drifts = new PlanParser().parse(CLUSTER, show);
    assertThat(drifts).hasSizeLessThanOrEqualTo(1);
    return drifts.isEmpty() ? null : drifts.get(0);
  }

  @Test
  void theReasonAndPathOfTheDemosSecurityGroupRule() throws Exception {
    Case ssh =
        cases().stream()
            .filter(c -> c.name().startsWith("SSH opened to the world"))
            .findFirst()
            .orElseThrow();
    ObjectDrift drift = classify(new RiskClassifier(RiskRules.defaults()), ssh.spec());
    assertThat(drift.risk())
        .containsExactly(
            new Risk(
                "sg-ingress-open-world",
                "security group ingress open to the internet (0.0.0.0/0 or ::/0)",
                "/ingress/from_port=22,to_port=22,protocol=tcp/cidr_blocks"));
  }
}

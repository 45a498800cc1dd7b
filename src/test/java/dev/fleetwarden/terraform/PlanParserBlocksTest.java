package dev.fleetwarden.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Lists of blocks are compared item by item: security group rules in a real plan ({@code
 * alpha-plan-show.json}, a normal plan of a stack whose group got an SSH rule from the console),
 * with its cloud side edited into the other shapes rules take (changed in place, removed, two rules
 * on the same ports). The plan's pending half reverts the drift and must stay silent in each.
 */
class PlanParserBlocksTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SG = "aws_security_group.sg";
  private static final String HTTPS =
      "{'cidr_blocks':['10.0.0.0/16'],'description':'https','from_port':443,'ipv6_cidr_blocks':[],"
          + "'prefix_list_ids':[],'protocol':'tcp','security_groups':[],'self':false,'to_port':443}";

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  /** The real plan with the security group's rules in the cloud replaced by {@code real}. */
  private static JsonNode planWithRealIngress(String real) throws Exception {
    JsonNode plan = PlanParserTest.fixture("alpha-plan-show.json").deepCopy();
    for (String part : List.of("resource_drift", "resource_changes")) {
      for (JsonNode rc : plan.path(part)) {
        if (rc.path("address").asText().equals(SG)) {
          ObjectNode change = (ObjectNode) rc.path("change");
          // resource_drift: after is the cloud; resource_changes: before is the cloud
          String cloud = part.equals("resource_drift") ? "after" : "before";
          ((ObjectNode) change.path(cloud)).set("ingress", json(real));
          ((ObjectNode) change.path(cloud + "_sensitive")).remove("ingress");
        }
      }
    }
    return plan;
  }

  private static ObjectDrift drift(List<ObjectDrift> drifts, String address, DriftType type) {
    return drifts.stream()
        .filter(d -> d.resource().name().equals(address) && d.type() == type)
        .findFirst()
        .orElse(null);
  }

  @Test
  void aRuleWidenedInPlaceIsReportedAtItsAttribute() throws Exception {
    List<ObjectDrift> drifts =
        new PlanParser()
            .parse(
                "alpha",
                planWithRealIngress("[" + HTTPS.replace("10.0.0.0/16", "0.0.0.0/0") + "]"));
    ObjectDrift sg = drift(drifts, SG, DriftType.MODIFIED);
    assertThat(sg.fields())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.path())
                  .isEqualTo("/ingress/from_port=443,to_port=443,protocol=tcp/cidr_blocks");
              assertThat(f.desired()).isEqualTo(json("['10.0.0.0/16']"));
              assertThat(f.live()).isEqualTo(json("['0.0.0.0/0']"));
            });
    assertThat(drift(drifts, SG, DriftType.PENDING)).as("the revert is not pending").isNull();
  }

  @Test
  void aRemovedRuleIsReportedAsAWholeWithLiveAbsent() throws Exception {
    List<ObjectDrift> drifts = new PlanParser().parse("alpha", planWithRealIngress("[]"));
    FieldDrift removed = drift(drifts, SG, DriftType.MODIFIED).fields().get(0);
    assertThat(removed.path()).isEqualTo("/ingress/from_port=443,to_port=443,protocol=tcp");
    assertThat(removed.desired().path("description").asText()).isEqualTo("https");
    assertThat(removed.live().isNull()).isTrue();
    assertThat(drift(drifts, SG, DriftType.PENDING)).isNull();
  }

  @Test
  void rulesSharingPortsAreNamedByTheirContent() throws Exception {
    String world = HTTPS.replace("10.0.0.0/16", "0.0.0.0/0").replace("'https'", "'oops'");
    List<ObjectDrift> drifts =
        new PlanParser().parse("alpha", planWithRealIngress("[" + HTTPS + "," + world + "]"));
    FieldDrift added = drift(drifts, SG, DriftType.MODIFIED).fields().get(0);
    assertThat(added.path()).matches("/ingress/hash=[0-9a-f]{12}");
    assertThat(added.path()).isEqualTo("/ingress/" + PlanParser.elementName(json(world), null));
    assertThat(added.desired().isNull()).isTrue();
    assertThat(added.live().path("description").asText()).isEqualTo("oops");
    assertThat(PlanParser.resolve(json("{'ingress':[" + HTTPS + "," + world + "]}"), added.path()))
        .isEqualTo(json(world));
    assertThat(drift(drifts, SG, DriftType.PENDING)).isNull();
  }

  @Test
  void theNormalAndTheRefreshOnlyPlanStillAgree() throws Exception {
    // The normal plan and the refresh-only plan of the same drift give the same report.
    PlanParser parser = new PlanParser();
    assertThat(parser.parse("alpha", PlanParserTest.fixture("alpha-plan-show.json")))
        .isEqualTo(parser.parse("alpha", PlanParserTest.fixture("alpha-refresh-only-show.json")));
    List<ObjectDrift> dev1 =
        parser.parse("dev-1", PlanParserTest.fixture("dev1-drift-refresh-only-show.json"));
    assertThat(drift(dev1, "aws_security_group.nodes", DriftType.MODIFIED).fields())
        .extracting(FieldDrift::path)
        .containsExactly("/ingress/from_port=22,to_port=22,protocol=tcp");
  }

  @Test
  void aSingleNestedBlockKeepsItsPosition() throws Exception {
    // scaling_config is one block: /scaling_config/0/desired_size, as the remediation planner
    // reads it, even though a block of another resource could carry a name.
    JsonNode plan = PlanParserTest.fixture("dev1-drift-pending-plan-show.json");
    List<ObjectDrift> drifts = new PlanParser().parse("dev-1", plan);
    assertThat(drift(drifts, "aws_eks_node_group.general", DriftType.PENDING).fields())
        .extracting(FieldDrift::path)
        .contains("/scaling_config/0/desired_size");
    ArrayNode one = (ArrayNode) json("[{'name':'a','value':1}]");
    ArrayNode other = (ArrayNode) json("[{'name':'a','value':2}]");
    ObjectNode show = (ObjectNode) json("{'format_version':'1.2','resource_changes':[]}");
    ObjectNode rc = show.putArray("resource_drift").addObject();
    rc.put("address", "x_thing.a").put("mode", "managed").put("type", "x_thing").put("name", "a");
    ObjectNode change = rc.putObject("change");
    change.putArray("actions").add("update");
    change.putObject("before").set("block", one);
    change.putObject("after").set("block", other);
    assertThat(new PlanParser().parse("c", show).get(0).fields())
        .extracting(FieldDrift::path)
        .containsExactly("/block/0/value");
  }
}

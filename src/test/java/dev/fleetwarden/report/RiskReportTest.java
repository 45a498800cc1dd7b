package dev.fleetwarden.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleetwarden.HostileStrings;
import dev.fleetwarden.model.ClusterReport;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.FleetReport;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.PartStatus;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.Risk;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Critical drift and its reasons in the text, Markdown and JSON reports. */
class RiskReportTest {
  private static FleetReport report(String reason) {
    ObjectDrift netpol =
        new ObjectDrift(
                new ResourceId(
                    "prod-us-1",
                    "networking.k8s.io",
                    "NetworkPolicy",
                    "team-search",
                    "default-deny"),
                "network-policies",
                DriftSource.KUBERNETES,
                DriftType.MISSING,
                null,
                List.of())
            .withRisk(List.of(new Risk("netpol-removed", reason, "")));
    ObjectDrift sg =
        new ObjectDrift(
                ResourceId.terraform("prod-us-1", "aws_security_group.nodes"),
                null,
                DriftSource.TERRAFORM,
                DriftType.MODIFIED,
                null,
                List.of(
                    new FieldDrift(
                        "/ingress/from_port=22,to_port=22,protocol=tcp",
                        NullNode.instance,
                        TextNode.valueOf("rule"))))
            .withRisk(
                List.of(
                    new Risk(
                        "sg-ingress-open-world",
                        "security group ingress open to the internet (0.0.0.0/0 or ::/0)",
                        "/ingress/from_port=22,to_port=22,protocol=tcp/cidr_blocks")));
    ObjectDrift tag =
        new ObjectDrift(
            ResourceId.terraform("prod-us-1", "aws_vpc.main"),
            null,
            DriftSource.TERRAFORM,
            DriftType.MODIFIED,
            null,
            List.of(new FieldDrift("/tags/team", TextNode.valueOf("a"), TextNode.valueOf("b"))));
    return new FleetReport(
        List.of(
            ClusterReport.combine(
                "prod-us-1", PartStatus.of(true), PartStatus.of(true), List.of(netpol, sg, tag))));
  }

  @Test
  void jsonCarriesSeverityAndRiskPerObject() throws Exception {
    JsonNode json = ReportJson.MAPPER.readTree(ReportJson.format(report("NetworkPolicy deleted")));
    JsonNode cluster = json.at("/clusters/0");
    assertThat(cluster.path("severity").asText()).isEqualTo("critical");
    JsonNode netpol = cluster.at("/drifts/0");
    assertThat(netpol.path("type").asText()).isEqualTo("missing");
    assertThat(netpol.path("severity").asText()).isEqualTo("critical");
    assertThat(netpol.at("/risk/0/rule").asText()).isEqualTo("netpol-removed");
    assertThat(netpol.at("/risk/0/reason").asText()).isEqualTo("NetworkPolicy deleted");
    assertThat(netpol.at("/risk/0/path").asText()).isEmpty();
    JsonNode tag = cluster.at("/drifts/2");
    assertThat(tag.path("severity").asText()).isEqualTo("drifted");
    assertThat(tag.has("risk")).as("no empty risk list").isFalse();
    assertThat(cluster.at("/drifts/1/risk/0/path").asText())
        .isEqualTo("/ingress/from_port=22,to_port=22,protocol=tcp/cidr_blocks");
  }

  @Test
  void aStoredDriftReadsBackWithItsRisk() throws Exception {
    // The store and the outbox keep drifts as this JSON; "severity" is computed, not read.
    ObjectDrift netpol = report("r").clusters().get(0).drifts().get(0);
    String json = ReportJson.MAPPER.writeValueAsString(netpol);
    ObjectDrift back =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .disable(
                com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .readValue(json, ObjectDrift.class);
    assertThat(back).isEqualTo(netpol);
  }

  @Test
  void textMarksCriticalObjectsAndListsEachReason() {
    String text = new ReportText(false).format(report("NetworkPolicy deleted"));
    assertThat(text)
        .contains(
            "- NetworkPolicy.networking.k8s.io/team-search/default-deny  missing  [network-policies]  CRITICAL")
        .contains("      ! NetworkPolicy deleted  [netpol-removed]")
        .contains(
            "      ! security group ingress open to the internet (0.0.0.0/0 or ::/0) at"
                + " /ingress/from_port=22,to_port=22,protocol=tcp/cidr_blocks  [sg-ingress-open-world]")
        .contains("~ terraform/aws_vpc.main  modified\n");
    assertThat(text.strip().lines().reduce((a, b) -> b).orElseThrow())
        .endsWith("(2 modified, 1 missing); 2 critical");
  }

  @Test
  void markdownShowsCriticalInTheTableAndTheReasonsUnderTheObject() {
    String md = ReportMarkdown.format(report("NetworkPolicy deleted"));
    assertThat(md)
        .contains("| prod-us-1 | drifted | **critical** | 3 |")
        .contains(
            "#### `prod-us-1/NetworkPolicy.networking.k8s.io/team-search/default-deny` — missing — **critical**")
        .contains("- NetworkPolicy deleted (rule `netpol-removed`)")
        .contains(
            "at `/ingress/from_port=22,to_port=22,protocol=tcp/cidr_blocks` (rule `sg-ingress-open-world`)");
  }

  @Test
  void aReasonFromTheFleetRepoIsInertInEveryFormat() throws Exception {
    for (var hostile : HostileStrings.ALL.entrySet()) {
      FleetReport r = report(hostile.getValue());
      String text = new ReportText(false).format(r);
      assertThat(text).as(hostile.getKey()).doesNotContain("\u001b").doesNotContain("\r");
      assertThat(text.lines().filter(l -> l.startsWith("      ! ")).count())
          .as(hostile.getKey() + ": one line per reason")
          .isEqualTo(2);
      String md = ReportMarkdown.format(r);
      assertThat(md).as(hostile.getKey()).doesNotContain("<script").doesNotContain("](https://");
      JsonNode json = ReportJson.MAPPER.readTree(ReportJson.format(r));
      assertThat(json.at("/clusters/0/drifts/0/risk/0/reason").asText().length())
          .as(hostile.getKey())
          .isLessThan(1100);
    }
  }
}

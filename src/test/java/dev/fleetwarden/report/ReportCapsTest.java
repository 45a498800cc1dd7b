package dev.fleetwarden.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleetwarden.HostileStrings;
import dev.fleetwarden.model.ClusterReport;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.FleetReport;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.PartStatus;
import dev.fleetwarden.model.Reflected;
import dev.fleetwarden.model.ResourceId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every report format caps what it reflects: a 1 MB live value, key, field manager, object name and
 * cluster error shrink to their caps with their size, in text, Markdown, JSON and the tree the
 * status API serves.
 */
class ReportCapsTest {
  private static final String HUGE = HostileStrings.HUGE;

  private static FleetReport hugeReport() {
    ArrayNode bigList = JsonNodeFactory.instance.arrayNode();
    for (int i = 0; i < 1000; i++) {
      bigList.add("item-" + i);
    }
    ObjectDrift drift =
        new ObjectDrift(
            new ResourceId("prod-eu-1", "", "ConfigMap", "team-a", "cm-" + HUGE),
            "ingress",
            DriftSource.KUBERNETES,
            DriftType.MODIFIED,
            "addons/ingress/chart/templates/configmap.yaml",
            List.of(
                new FieldDrift("/data/" + HUGE, TextNode.valueOf("small"), TextNode.valueOf(HUGE))
                    .withManager(HUGE, Instant.parse("2026-11-23T07:00:00Z")),
                new FieldDrift("/data/list", TextNode.valueOf("x"), bigList),
                new FieldDrift(
                    "/data/c1",
                    TextNode.valueOf("x"),
                    TextNode.valueOf(HostileStrings.C1_AND_BIDI + HostileStrings.ESC))));
    ClusterReport drifted =
        ClusterReport.combine("prod-eu-1", PartStatus.of(true), null, List.of(drift));
    ClusterReport unknown =
        ClusterReport.combine("dev-1", PartStatus.unknown("refused: " + HUGE), null, List.of());
    return new FleetReport(List.of(drifted, unknown));
  }

  @Test
  void jsonAndTheStatusApiTreeAreCapped() throws Exception {
    FleetReport report = hugeReport();
    String json = ReportJson.format(report);
    assertThat(json.length()).isLessThan(10_000);
    for (JsonNode root :
        List.of(ReportJson.MAPPER.readTree(json), ReportJson.MAPPER.valueToTree(report))) {
      JsonNode prod = root.at("/clusters/1");
      JsonNode fields = prod.at("/drifts/0/fields");
      assertThat(fields.at("/0/live").asText())
          .hasSize(Reflected.VALUE + HostileStrings.HUGE_SUFFIX.length())
          .endsWith(HostileStrings.HUGE_SUFFIX);
      assertThat(fields.at("/0/desired").asText()).isEqualTo("small");
      assertThat(fields.at("/0/path").asText()).endsWith("… (1048582 bytes)");
      assertThat(fields.at("/0/path").asText().length()).isLessThan(Reflected.NAME + 30);
      assertThat(fields.at("/0/manager").asText().length()).isLessThan(Reflected.NAME + 30);
      assertThat(fields.at("/1/live").isTextual())
          .as("a long list becomes its capped text")
          .isTrue();
      assertThat(fields.at("/1/live").asText()).startsWith("[\"item-0\"").endsWith(" bytes)");
      assertThat(prod.at("/drifts/0/resource").asText())
          .startsWith("prod-eu-1/ConfigMap/team-a/cm-AAA")
          .endsWith("… (1048579 bytes)");
      assertThat(root.at("/clusters/0/reason").asText().length())
          .isLessThan(Reflected.MESSAGE + 30);
      assertThat(root.at("/clusters/0/kubernetes/reason").asText().length())
          .isLessThan(Reflected.MESSAGE + 30);
    }
  }

  @Test
  void jsonEscapesEveryControlCharacterSoItIsSafeOnATerminal() {
    String json = ReportJson.format(hugeReport());
    assertThat(HostileStrings.hasControl(json.replace("\n", ""))).isFalse();
    assertThat(json).contains("\\u009b31m").contains("\\u202e").contains("\\u001B[31m");
  }

  @Test
  void textAndMarkdownAreCapped() {
    FleetReport report = hugeReport();
    String text = new ReportText(false).format(report);
    String markdown = ReportMarkdown.format(report);
    for (String out : List.of(text, markdown)) {
      assertThat(out.length()).isLessThan(10_000);
      assertThat(out).contains(HostileStrings.HUGE_SUFFIX);
      assertThat(HostileStrings.hasControl(out.replace("\n", ""))).isFalse();
    }
  }
}

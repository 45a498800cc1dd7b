package dev.fleetwarden.preview;

import static dev.fleetwarden.preview.PreviewFixtures.N;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetwarden.HostileStrings;
import dev.fleetwarden.fleet.FleetError;
import dev.fleetwarden.model.CheckRun;
import dev.fleetwarden.model.ResourceId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every hostile string, as a live value, a field manager, an object name, a field path and an error
 * message from the fleet repo, through every form of a preview: the terminal gets no control
 * character and one line per item, the pull request comment no markup outside code spans and no
 * second marker, JSON capped values, the check run's annotation capped visible text.
 */
class PreviewHostileStringsTest {
  private static final String BASE = "1111111111111111111111111111111111111111";
  private static final String HEAD = "2222222222222222222222222222222222222222";

  static List<String> names() {
    return HostileStrings.names();
  }

  private static Preview hostile(String s) {
    ResourceId id = new ResourceId("prod-1", "", "ConfigMap", "shop", "cm-" + s);
    ClusterPreview c =
        new ClusterPreview(
            "prod-1",
            List.of(
                new ObjectChange(
                    id,
                    Change.MODIFIED,
                    List.of(new FieldChange("/data/" + s, N.textNode("a"), N.textNode(s))))),
            List.of(),
            List.of(
                new DriftOverwrite(
                    id, "/data/k", N.textNode("a"), N.textNode(s), s, Instant.EPOCH)),
            List.of(new DriftResolution(id, "/data/" + s)),
            null,
            s);
    return new Preview(BASE, HEAD, true, List.of(), List.of(c), 1);
  }

  @ParameterizedTest
  @MethodSource("names")
  void theTerminalGetsNoControlCharacterAndOneLinePerItem(String name) {
    String s = HostileStrings.ALL.get(name);
    String text = PreviewText.format(hostile(s));
    assertThat(HostileStrings.hasControl(text.replace("\n", ""))).as(name).isFalse();
    // headline, blank, cluster, note, object, field, header + overwrite, header + resolution
    assertThat(text.split("\n")).as(name).hasSize(10);
    if (s == HostileStrings.HUGE) {
      assertThat(text).contains(HostileStrings.HUGE_SUFFIX).hasSizeLessThan(5_000);
    }
  }

  @ParameterizedTest
  @MethodSource("names")
  void theCommentHasNoMarkupOutsideCodeSpansAndOneMarker(String name) {
    String s = HostileStrings.ALL.get(name);
    String md = PreviewMarkdown.comment(hostile(s), PreviewMarkdown.GITHUB_LIMIT, null);
    assertThat(HostileStrings.hasControl(md.replace("\n", ""))).as(name).isFalse();
    assertThat(md).startsWith(PreviewMarkdown.MARKER);
    String outsideCode = md.substring(PreviewMarkdown.MARKER.length()).replaceAll("`[^`\n]*`", "");
    assertThat(outsideCode)
        .as(name)
        .doesNotContain("<!--")
        .doesNotContain("](")
        .doesNotContain("![")
        .doesNotContain("<img")
        .doesNotContain("<script")
        .doesNotContain("<a ");
    for (int i = outsideCode.indexOf('@'); i >= 0; i = outsideCode.indexOf('@', i + 1)) {
      assertThat(outsideCode.charAt(i + 1)).as(name + ": mention broken").isEqualTo('\u200b');
    }
    for (String line : md.split("\n")) {
      if (line.startsWith("| modified |") || line.startsWith("| `ConfigMap")) {
        assertThat(line.replaceAll("\\\\.", "").chars().filter(c -> c == '`').count() % 2)
            .as(name + ": " + line)
            .isZero();
      }
    }
    assertThat(md.length()).isLessThan(20_000);
  }

  @ParameterizedTest
  @MethodSource("names")
  void jsonIsCappedAndEscaped(String name) throws Exception {
    String s = HostileStrings.ALL.get(name);
    String json = PreviewJson.format(hostile(s));
    assertThat(HostileStrings.hasControl(json.replace("\n", ""))).as(name).isFalse();
    JsonNode doc = new ObjectMapper().readTree(json);
    assertThat(doc.findValuesAsText("live")).allSatisfy(v -> assertThat(v).hasSizeLessThan(230));
    assertThat(doc.findValuesAsText("manager")).allSatisfy(v -> assertThat(v).hasSizeLessThan(330));
    assertThat(doc.at("/clusters/0/note").asText()).hasSizeLessThan(1_030);
    if (s == HostileStrings.HUGE) {
      assertThat(doc.at("/clusters/0/overwritesDrift/0/live").asText())
          .endsWith(HostileStrings.HUGE_SUFFIX);
    }
  }

  @ParameterizedTest
  @MethodSource("names")
  void checkRunAnnotationsAreCappedVisibleText(String name) {
    String s = HostileStrings.ALL.get(name);
    CheckRun run =
        PreviewCheck.of(
            Preview.invalid(BASE, HEAD, List.of(new FleetError("clusters/" + s, 3, 1, s))));
    CheckRun.Annotation a = run.annotations().get(0);
    assertThat(HostileStrings.hasControl(a.message() + a.file())).as(name).isFalse();
    assertThat(a.message().length()).isLessThan(1_100);
    assertThat(run.summary().length()).isLessThan(PreviewCheck.SUMMARY_LIMIT);
  }
}

package dev.fleetwarden.remediate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class YamlListAppendTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String P = "/spec/drift/ignore";

  private static JsonNode rule() throws Exception {
    return JSON.readTree(
        "{\"group\":\"apps\",\"kind\":\"Deployment\",\"name\":\"web\","
            + "\"managers\":[\"vpa-recommender\"]}");
  }

  private static String append(String in, String comment) throws Exception {
    return YamlListAppend.append("addon.yaml", in, 0, P, rule(), comment);
  }

  @Test
  void appendsAFlowItemAfterTheFlowItemsOfABlockListKeepingComments() throws Exception {
    String in =
        "spec:\n"
            + "  drift:\n"
            + "    ignore:\n"
            + "      # Rollout tooling stamps restart annotations.\n"
            + "      - {kind: Deployment, pointers: [/spec/template/metadata/annotations]}\n"
            + "  remediation: pull-request # why\n";
    assertThat(append(in, "Written by vpa-recommender on 3 clusters."))
        .isEqualTo(
            "spec:\n"
                + "  drift:\n"
                + "    ignore:\n"
                + "      # Rollout tooling stamps restart annotations.\n"
                + "      - {kind: Deployment, pointers: [/spec/template/metadata/annotations]}\n"
                + "      # Written by vpa-recommender on 3 clusters.\n"
                + "      - {group: apps, kind: Deployment, name: web, managers: [vpa-recommender]}\n"
                + "  remediation: pull-request # why\n");
  }

  @Test
  void appendsABlockMappingAfterBlockItemsAtTheirIndentation() throws Exception {
    String in =
        "spec:\n"
            + "    drift:\n"
            + "        ignore:\n"
            + "        -   kind: ConfigMap\n"
            + "            pointers:\n"
            + "            - /data\n"
            + "# end\n";
    assertThat(append(in, null))
        .isEqualTo(
            "spec:\n"
                + "    drift:\n"
                + "        ignore:\n"
                + "        -   kind: ConfigMap\n"
                + "            pointers:\n"
                + "            - /data\n"
                + "        -   group: apps\n"
                + "            kind: Deployment\n"
                + "            name: web\n"
                + "            managers: [vpa-recommender]\n"
                + "# end\n");
  }

  @Test
  void appendsToAFlowListBeforeItsClosingBracket() throws Exception {
    String in = "spec:\n  drift:\n    ignore: [{kind: Job, pointers: [/spec]}]  # keep\n";
    assertThat(append(in, "not written in a flow list"))
        .isEqualTo(
            "spec:\n  drift:\n    ignore: [{kind: Job, pointers: [/spec]}, {group: apps,"
                + " kind: Deployment, name: web, managers: [vpa-recommender]}]  # keep\n");
    assertThat(append("spec:\n  drift:\n    ignore: []\n", null))
        .isEqualTo(
            "spec:\n  drift:\n    ignore: [{group: apps, kind: Deployment, name: web,"
                + " managers: [vpa-recommender]}]\n");
  }

  @Test
  void createsMissingKeysAtTheEndOfTheDeepestMapping() throws Exception {
    String noIgnore = "spec:\n  drift:\n    other: 1\n  owner: team # who\n";
    assertThat(append(noIgnore, "why"))
        .isEqualTo(
            "spec:\n  drift:\n    other: 1\n    ignore:\n      # why\n"
                + "      - {group: apps, kind: Deployment, name: web, managers: [vpa-recommender]}\n"
                + "  owner: team # who\n");
    String noDrift = "# the add-on\nspec:\n   owner: team\n   values:\n      a: 1\n";
    assertThat(append(noDrift, null))
        .isEqualTo(
            "# the add-on\nspec:\n   owner: team\n   values:\n      a: 1\n"
                + "   drift:\n      ignore:\n"
                + "         - {group: apps, kind: Deployment, name: web,"
                + " managers: [vpa-recommender]}\n");
  }

  @Test
  void quotesWhatPlainFlowTextCannotHold() throws Exception {
    JsonNode item =
        JSON.readTree(
            "{\"group\":\"\",\"kind\":\"ConfigMap\",\"name\":\"a,b\","
                + "\"pointers\":[\"/data/x: y\",\"/spec/containers/name=web/image\"]}");
    String out = YamlListAppend.append("f", "spec:\n  drift:\n    ignore: []\n", 0, P, item, null);
    assertThat(out)
        .isEqualTo(
            "spec:\n  drift:\n    ignore: [{group: \"\", kind: ConfigMap, name: \"a,b\","
                + " pointers: [\"/data/x: y\", /spec/containers/name=web/image]}]\n");
  }

  @Test
  void refusesWhatItCannotAppendSafely() {
    assertThatThrownBy(() -> append("spec:\n  drift:\n    ignore: not-a-list\n", null))
        .isInstanceOf(YamlScalarEdit.NotEditableException.class)
        .hasMessageContaining("no list");
    assertThatThrownBy(() -> append("spec: {drift: {}}\n", null))
        .isInstanceOf(YamlScalarEdit.NotEditableException.class);
    assertThatThrownBy(
            () ->
                YamlListAppend.append(
                    "f", "a: []\n", 0, "/a", JSON.readTree("{\"k\":{\"deep\":1}}"), null))
        .isInstanceOf(YamlScalarEdit.NotEditableException.class)
        .hasMessageContaining("nests deeper");
  }

  @Test
  void aCommentCannotBreakOutOfItsLine() throws Exception {
    String out =
        append("spec:\n  drift:\n    ignore:\n      - {kind: Job, pointers: [/a]}\n", "a\nb: 1");
    assertThat(out).contains("      # a b: 1\n");
  }
}

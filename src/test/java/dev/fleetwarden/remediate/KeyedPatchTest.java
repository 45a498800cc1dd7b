package dev.fleetwarden.remediate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleetwarden.fleet.LocatedYaml;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ResourceId;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyedPatchTest {
  private static final String IMAGE = "/spec/template/spec/containers/name=controller/image";

  @Test
  void holdsOnlyTheDriftedFieldsByKeyedPathAndSaysOnWhichLineEachIs() throws Exception {
    KeyedPatch.Written w =
        KeyedPatch.write(
            ResourceId.parse("prod-1/Deployment.apps/ingress-system/ingress-controller"),
            "0123456789",
            List.of(
                new FieldDrift("/spec/replicas", IntNode.valueOf(2), IntNode.valueOf(5)),
                new FieldDrift(IMAGE, TextNode.valueOf("web:1"), TextNode.valueOf("web:2")),
                new FieldDrift("/metadata/annotations/note", TextNode.valueOf("x"), null)));

    assertThat(w.file()).isEqualTo("clusters/prod-1/patches/fleetwarden-0123456789.yaml");
    LocatedYaml.Document doc = LocatedYaml.parse(w.file(), w.content());
    assertThat(doc.root().at("/kind").asText()).isEqualTo("Patch");
    assertThat(doc.root().at("/spec/target").toString())
        .isEqualTo(
            "{\"group\":\"apps\",\"kind\":\"Deployment\",\"namespace\":\"ingress-system\","
                + "\"name\":\"ingress-controller\"}");
    assertThat(doc.root().has("patch")).isFalse();
    assertThat(doc.root().at("/spec/set").size()).isEqualTo(3);
    assertThat(doc.root().at("/spec/set").get(IMAGE).asText()).isEqualTo("web:2");
    assertThat(doc.root().at("/spec/set").get("/spec/replicas").asInt()).isEqualTo(5);
    // absent live: null removes the field
    assertThat(doc.root().at("/spec/set").get("/metadata/annotations/note").isNull()).isTrue();
    String[] lines = w.content().split("\n");
    assertThat(lines[w.lines().get(IMAGE) - 1]).contains(IMAGE).contains("web:2");
    assertThat(lines[w.lines().get("/spec/replicas") - 1]).contains("/spec/replicas: 5");
    assertThat(lines).hasSizeLessThanOrEqualTo(17);
  }

  @Test
  void coreKindsNameNoGroupClusterScopedOnesNoNamespaceAndPathsCannotEndTheHeaderComment()
      throws Exception {
    String hostile = "/data/a\n# injected: true\nkind: Secret";
    KeyedPatch.Written w =
        KeyedPatch.write(
            ResourceId.parse("dev-1/Namespace/_/team-a"),
            "abcdefghij",
            List.of(new FieldDrift(hostile, TextNode.valueOf("1"), TextNode.valueOf("2"))));

    LocatedYaml.Document doc = LocatedYaml.parse(w.file(), w.content());
    assertThat(doc.root().at("/spec/target").toString())
        .isEqualTo("{\"kind\":\"Namespace\",\"name\":\"team-a\"}");
    assertThat(doc.root().at("/kind").asText()).isEqualTo("Patch");
    assertThat(doc.root().at("/spec/set").get(hostile).asText()).isEqualTo("2");
    for (String line : w.content().split("\n")) {
      assertThat(line).doesNotStartWith("kind: Secret").doesNotStartWith("# injected");
    }
  }
}

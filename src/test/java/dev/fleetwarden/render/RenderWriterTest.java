package dev.fleetwarden.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.fleet.LocatedYaml;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.Provenance;
import dev.fleetwarden.model.RenderError;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.TrickyYamlStrings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

class RenderWriterTest {
  @TempDir Path tmp;

  private static DesiredObject object(String cluster, String yaml) throws Exception {
    ObjectNode m = (ObjectNode) LocatedYaml.parse("x.yaml", yaml).root();
    return new DesiredObject(ResourceId.of(cluster, m), m, new Provenance("a", "x.yaml"));
  }

  @Test
  void yamlRoundTripsTypesAndKeepsKeyOrder() throws Exception {
    DesiredObject o =
        object(
            "c",
            "kind: ConfigMap\napiVersion: v1\nmetadata: {name: n, namespace: ns}\n"
                + "data: {a: \"8\", b: \"true\", c: \"1.30\", d: \"?*\", e: \"null\", f: \"\", g: \"x: y\"}\n");
    String yaml = RenderWriter.toYaml(List.of(o, o));
    assertThat(yaml).startsWith("---\nkind: ConfigMap\napiVersion: v1\n");
    var back = LocatedYaml.parseAll("out.yaml", yaml);
    assertThat(back).hasSize(2);
    assertThat(back.get(0).root()).isEqualTo(o.manifest());
    assertThat(yaml).doesNotContain("Provenance").doesNotContain("x.yaml");
  }

  /**
   * Every string a YAML 1.1 reader would take for another type, and strings that start with or hold
   * YAML indicators, written as values and as keys and read back by SnakeYAML (a YAML 1.1 reader):
   * the same strings. Since SnakeYAML does not resolve every 1.1 form Go's yaml.v2 does ({@code y},
   * {@code 0o17}), each is also checked to be quoted in the text; other types keep their type.
   */
  @Test
  void everyStringAYaml11ReaderWouldTakeForAnotherTypeIsQuotedAndReadBackAsItself() {
    List<String> tricky = new ArrayList<>(TrickyYamlStrings.OTHER_TYPES);
    tricky.addAll(
        List.of(
            "- a",
            "-",
            "? x",
            "?",
            ": x",
            ":",
            ",x",
            "[a]",
            "{a}",
            "#c",
            "&a",
            "*a",
            "!x",
            "|",
            "> x",
            "'q",
            "\"q",
            "%x",
            "@x",
            "`x",
            " lead",
            "trail ",
            "a: b",
            "a #b",
            "ends:",
            "tab\tin",
            "two\nlines",
            "ends\n",
            "\n",
            " \nx",
            "x\n\n",
            "\u00e9t\u00e9",
            "a\u2028b",
            "ctl\u0007"));
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("apiVersion", "v1").put("kind", "ConfigMap");
    o.putObject("metadata").put("name", "tricky");
    ObjectNode data = o.putObject("data");
    ArrayNode list = o.putArray("list");
    for (int i = 0; i < tricky.size(); i++) {
      data.put(tricky.get(i), "v" + i);
      data.put("k" + i, tricky.get(i));
      list.add(tricky.get(i));
    }
    String yaml = RenderWriter.toYaml(o);
    JsonNode read = snakeYaml(yaml);
    assertThat(read.get("data")).isEqualTo(data);
    assertThat(read.get("list")).isEqualTo(list);

    ObjectNode typed = JsonNodeFactory.instance.objectNode();
    typed.put("int", 8).put("long", 1L << 40).put("double", 0.5).put("bool", true);
    typed.putNull("null");
    typed.put("big", new java.math.BigDecimal("1e3"));
    JsonNode typedBack = snakeYaml(RenderWriter.toYaml(typed));
    assertThat(typedBack.path("int").isInt()).isTrue();
    assertThat(typedBack.path("long").asLong()).isEqualTo(1L << 40);
    assertThat(typedBack.path("double").isDouble()).isTrue();
    assertThat(typedBack.path("bool").isBoolean()).isTrue();
    assertThat(typedBack.path("null").isNull()).isTrue();
    assertThat(typedBack.path("big").decimalValue()).isEqualByComparingTo("1000");
    // (the empty string is written as an explicit key, "? ''"; read back above)
    for (String s : TrickyYamlStrings.OTHER_TYPES.stream().filter(t -> !t.isEmpty()).toList()) {
      assertThat(yaml)
          .as("[%s] is quoted as a value and as a key", s)
          .doesNotContain("\n  - " + s + "\n")
          .doesNotContain(": " + s + "\n")
          .doesNotContain("\n  " + s + ": ");
    }
    // ordinary strings stay plain: the files read like the templates that made them
    for (String s : List.of("nginx", "v1.11.2", "500m", "1Gi", "12:60", "1.2.3-rc1")) {
      assertThat(RenderWriter.toYaml(JsonNodeFactory.instance.objectNode().put("k", s)))
          .isEqualTo("k: " + s + "\n");
    }
  }

  /** What a YAML 1.1 reader (SnakeYAML, safe constructor) makes of the text, as a JSON tree. */
  private static JsonNode snakeYaml(String yaml) {
    Object back = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    return new ObjectMapper().valueToTree(back);
  }

  @Test
  void jsonIsAnArrayOfTheObjects() throws Exception {
    DesiredObject o = object("c", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: n}\n");
    String json = RenderWriter.toJson(List.of(o));
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get(0))
        .isEqualTo(o.manifest());
  }

  @Test
  void fileNamesCarryTheGroupSoSameNamedKindsDoNotShareAFile() throws Exception {
    DesiredObject certManager =
        object(
            "c1",
            "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: t, namespace: n}\n");
    DesiredObject acm =
        object(
            "c1",
            "apiVersion: acm.services.k8s.aws/v1alpha1\nkind: Certificate\n"
                + "metadata: {name: t, namespace: n}\n");
    RenderWriter.writeTree(tmp, Map.of("c1", ClusterRender.ok("c1", List.of(certManager, acm))));
    assertThat(tmp.resolve("c1/Certificate.cert-manager.io-n-t.yaml")).exists();
    assertThat(tmp.resolve("c1/Certificate.acm.services.k8s.aws-n-t.yaml")).exists();
  }

  @Test
  void treeWritesOneFilePerObjectAndRemovesStaleFiles() throws Exception {
    DesiredObject a =
        object("c1", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: ns}\n");
    DesiredObject b = object("c1", "apiVersion: v1\nkind: Namespace\nmetadata: {name: ns}\n");
    RenderWriter.writeTree(tmp, Map.of("c1", ClusterRender.ok("c1", List.of(a, b))));
    assertThat(tmp.resolve("c1/ConfigMap-ns-a.yaml")).exists();
    assertThat(tmp.resolve("c1/Namespace-_-ns.yaml")).exists();

    RenderWriter.writeTree(tmp, Map.of("c1", ClusterRender.ok("c1", List.of(b))));
    assertThat(tmp.resolve("c1/ConfigMap-ns-a.yaml")).doesNotExist();
    assertThat(Files.readString(tmp.resolve("c1/Namespace-_-ns.yaml")))
        .isEqualTo("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n");

    RenderWriter.writeTree(
        tmp, Map.of("c1", ClusterRender.failed(new RenderError("c1", "x", "f.yaml", 3, "broken"))));
    assertThat(tmp.resolve("c1/Namespace-_-ns.yaml")).exists();
    assertThat(Files.readString(tmp.resolve("c1/" + RenderWriter.ERROR_FILE)))
        .contains("f.yaml:3")
        .contains("broken");
  }
}

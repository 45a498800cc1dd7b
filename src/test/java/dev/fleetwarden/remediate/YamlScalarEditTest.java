package dev.fleetwarden.remediate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleetwarden.model.TrickyYamlStrings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

class YamlScalarEditTest {
  @Test
  void keepsCommentsAndQuotingStyle() throws Exception {
    String in = "# head\na:\n  b: \"x\"  # why\n  c: 'y'\n  d: plain # note\n";
    assertThat(YamlScalarEdit.replace("f", in, 0, "/a/b", TextNode.valueOf("z")))
        .isEqualTo("# head\na:\n  b: \"z\"  # why\n  c: 'y'\n  d: plain # note\n");
    assertThat(YamlScalarEdit.replace("f", in, 0, "/a/c", TextNode.valueOf("it's")))
        .isEqualTo("# head\na:\n  b: \"x\"  # why\n  c: 'it''s'\n  d: plain # note\n");
    assertThat(YamlScalarEdit.replace("f", in, 0, "/a/d", TextNode.valueOf("other")))
        .isEqualTo("# head\na:\n  b: \"x\"  # why\n  c: 'y'\n  d: other # note\n");
  }

  @Test
  void quotesPlainTextThatWouldChangeTypeOrMeaning() throws Exception {
    String in = "a: plain\n";
    assertThat(YamlScalarEdit.replace("f", in, 0, "/a", TextNode.valueOf("true")))
        .isEqualTo("a: \"true\"\n");
    assertThat(YamlScalarEdit.replace("f", in, 0, "/a", TextNode.valueOf("a: b")))
        .isEqualTo("a: \"a: b\"\n");
    assertThat(YamlScalarEdit.replace("f", "n: 4\n", 0, "/n", IntNode.valueOf(6)))
        .isEqualTo("n: 6\n");
    // a string value stays a string when the new value is a number
    assertThat(YamlScalarEdit.replace("f", "t: \"4\"\n", 0, "/t", IntNode.valueOf(5)))
        .isEqualTo("t: \"5\"\n");
  }

  /**
   * Values files are read by Helm and manifests by kubectl, both YAML 1.1 readers: an adopted
   * string that such a reader would take for a number, boolean, null or time is quoted, in block
   * and flow context, and reads back as the same string through a YAML 1.1 parser.
   */
  @Test
  void quotesEveryStringAYaml11ReaderWouldTakeForAnotherType() throws Exception {
    for (String s : TrickyYamlStrings.OTHER_TYPES) {
      String block = YamlScalarEdit.replace("f", "a: plain # c\n", 0, "/a", TextNode.valueOf(s));
      assertThat(block).as("[%s]", s).startsWith("a: \"").endsWith("\" # c\n");
      assertThat(yaml11(block).get("a")).as("[%s]", s).isEqualTo(s);
      String flow =
          YamlScalarEdit.replace("f", "m: {a: plain, b: 1}\n", 0, "/m/a", TextNode.valueOf(s));
      assertThat(((Map<?, ?>) yaml11(flow).get("m")).get("a")).as("[%s]", s).isEqualTo(s);
    }
    for (String s : TrickyYamlStrings.STRINGS) {
      String edited = YamlScalarEdit.replace("f", "a: plain\n", 0, "/a", TextNode.valueOf(s));
      assertThat(yaml11(edited).get("a")).as("[%s]", s).isEqualTo(s);
    }
    assertThat(YamlScalarEdit.replace("f", "a: plain\n", 0, "/a", TextNode.valueOf("v1.2")))
        .isEqualTo("a: v1.2\n");
  }

  private static Map<?, ?> yaml11(String text) {
    return new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
  }

  @Test
  void editsFlowMappingsListItemsAndLaterDocuments() throws Exception {
    assertThat(
            YamlScalarEdit.replace(
                "f",
                "limits: {memory: 512Mi, cpu: 1}\n",
                0,
                "/limits/memory",
                TextNode.valueOf("1Gi")))
        .isEqualTo("limits: {memory: 1Gi, cpu: 1}\n");
    assertThat(YamlScalarEdit.replace("f", "l:\n  - a\n  - b\n", 0, "/l/1", TextNode.valueOf("c")))
        .isEqualTo("l:\n  - a\n  - c\n");
    String multi = "x: 1\n---\n# second\nx: 2\n";
    assertThat(YamlScalarEdit.replace("f", multi, 1, "/x", IntNode.valueOf(3)))
        .isEqualTo("x: 1\n---\n# second\nx: 3\n");
  }

  @Test
  void aBlockScalarIsRewrittenAsABlockAtItsIndentationKeepingTheRestOfTheFile() throws Exception {
    String conf =
        "data:\n  nginx.conf: |  # served as is\n    worker_processes 1;\n\n    events {}\n"
            + "  other: x\n";
    assertThat(
            YamlScalarEdit.replace(
                "f",
                conf,
                0,
                "/data/nginx.conf",
                TextNode.valueOf("worker_processes 2;\n\nevents {}\n")))
        .isEqualTo(conf.replace("worker_processes 1;", "worker_processes 2;"));
    // the chomping follows the new text: no final line break, strip
    assertThat(
            YamlScalarEdit.replace(
                "f", "a: |-\n  x\n  y\nb: 1\n", 0, "/a", TextNode.valueOf("x\nz\n")))
        .isEqualTo("a: |\n  x\n  z\nb: 1\n");
    assertThat(
            YamlScalarEdit.replace(
                "f", "l:\n  - |\n    one\n  - two\n", 0, "/l/0", TextNode.valueOf("uno")))
        .isEqualTo("l:\n  - |-\n    uno\n  - two\n");
    // folded stays folded for one line; line breaks need a literal block to stay as they are
    assertThat(
            YamlScalarEdit.replace(
                "f", "msg: >\n  hello world\nn: 1\n", 0, "/msg", TextNode.valueOf("bye world\n")))
        .isEqualTo("msg: >\n  bye world\nn: 1\n");
    assertThat(
            YamlScalarEdit.replace(
                "f", "msg: >\n  hello world\n", 0, "/msg", TextNode.valueOf("bye\nworld\n")))
        .isEqualTo("msg: |\n  bye\n  world\n");
    String multi = "a: |\n  text\n";
    assertThat(
            yaml11(YamlScalarEdit.replace("f", multi, 0, "/a", TextNode.valueOf("two\nlines")))
                .get("a"))
        .isEqualTo("two\nlines");
  }

  @Test
  void refusesWhatCannotBeEditedInPlace() {
    assertThatThrownBy(
            () ->
                YamlScalarEdit.replace(
                    "f", "a: |\n  text\n", 0, "/a", TextNode.valueOf("kept\n\n\n")))
        .isInstanceOf(YamlScalarEdit.NotEditableException.class);
    assertThatThrownBy(
            () ->
                YamlScalarEdit.replace(
                    "f", "a: |\n  text\n", 0, "/a", TextNode.valueOf("  leading space")))
        .isInstanceOf(YamlScalarEdit.NotEditableException.class);
    assertThatThrownBy(
            () -> YamlScalarEdit.replace("f", "a:\n  b: 1\n", 0, "/a", TextNode.valueOf("x")))
        .isInstanceOf(YamlScalarEdit.NotEditableException.class);
    assertThatThrownBy(
            () -> YamlScalarEdit.replace("f", "a: b\n", 0, "/missing", TextNode.valueOf("x")))
        .isInstanceOf(YamlScalarEdit.NotEditableException.class);
  }

  @Test
  void insertsAMissingKeyPathAtTheEndOfTheDeepestMappingKeepingEveryOtherByte() throws Exception {
    String env =
        "apiVersion: v1\nspec:\n  values:\n    ingress:\n      controller:\n"
            + "        replicas: 3   # prod sizing\n    monitoring:\n      retention: 30d\n";
    String edited =
        YamlScalarEdit.set(
            "env", env, 0, "/spec/values/ingress/image/tag", TextNode.valueOf("v1.11.3-hotfix"));
    assertThat(edited)
        .isEqualTo(
            "apiVersion: v1\nspec:\n  values:\n    ingress:\n      controller:\n"
                + "        replicas: 3   # prod sizing\n      image:\n        tag: v1.11.3-hotfix\n"
                + "    monitoring:\n      retention: 30d\n");
    // an existing scalar is replaced in place, as replace does
    assertThat(
            YamlScalarEdit.set(
                "env", env, 0, "/spec/values/ingress/controller/replicas", IntNode.valueOf(6)))
        .isEqualTo(env.replace("replicas: 3", "replicas: 6"));
  }

  @Test
  void insertedKeysFollowTheFilesIndentationAndYaml11Quoting() throws Exception {
    String four = "a:\n    b: 1\n";
    assertThat(YamlScalarEdit.set("f", four, 0, "/a/c/d", TextNode.valueOf("true")))
        .isEqualTo("a:\n    b: 1\n    c:\n        d: \"true\"\n");
    Object read =
        yaml11(YamlScalarEdit.set("f", four, 0, "/a/c", TextNode.valueOf("0o17"))).get("a");
    assertThat(read).isEqualTo(Map.of("b", 1, "c", "0o17"));
    // a key that would read as another type or holds a colon is quoted
    assertThat(YamlScalarEdit.set("f", "a: 1\n", 0, "/on", IntNode.valueOf(2)))
        .isEqualTo("a: 1\n\"on\": 2\n");
  }

  @Test
  void insertsAfterTheLastValueOfTheMappingIncludingABlockScalarAndAMissingFinalNewline()
      throws Exception {
    String in = "x:\n  script: |\n    echo one\n\n    echo two\ny: 1";
    assertThat(YamlScalarEdit.set("f", in, 0, "/x/z", IntNode.valueOf(3)))
        .isEqualTo("x:\n  script: |\n    echo one\n\n    echo two\n  z: 3\ny: 1");
    assertThat(YamlScalarEdit.set("f", in, 0, "/w", TextNode.valueOf("v")))
        .isEqualTo(in + "\nw: v\n");
  }

  @Test
  void anEmptyFileGetsThePathFromTheTopAndOnlyTheTargetDocumentChanges() throws Exception {
    assertThat(YamlScalarEdit.set("f", "", 0, "/image/tag", TextNode.valueOf("v2")))
        .isEqualTo("image:\n  tag: v2\n");
    assertThat(YamlScalarEdit.set("f", "# values\n", 0, "/r", IntNode.valueOf(6)))
        .isEqualTo("# values\nr: 6\n");
    String two = "a:\n  b: 1\n---\na:\n  b: 2\n";
    assertThat(YamlScalarEdit.set("f", two, 0, "/a/c", IntNode.valueOf(9)))
        .isEqualTo("a:\n  b: 1\n  c: 9\n---\na:\n  b: 2\n");
  }

  @Test
  void refusesToInsertThroughScalarsListsAndFlowMappings() {
    for (String[] c :
        new String[][] {
          {"a: 1\n", "/a/b"},
          {"a: [1, 2]\n", "/a/b"},
          {"a: {b: 1}\n", "/a/c"},
          {"a: {}\n", "/a/c"},
          {"- a: 1\n", "/a"},
        }) {
      assertThatThrownBy(() -> YamlScalarEdit.set("f", c[0], 0, c[1], IntNode.valueOf(1)))
          .as(c[0])
          .isInstanceOf(YamlScalarEdit.NotEditableException.class);
    }
    assertThatThrownBy(
            () ->
                YamlScalarEdit.set(
                    "f",
                    "a:\n  b: 1\n",
                    0,
                    "/a/c",
                    new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()))
        .isInstanceOf(YamlScalarEdit.NotEditableException.class);
  }
}

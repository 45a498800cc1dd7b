package dev.fleetwarden.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.fleet.LocatedYaml;
import dev.fleetwarden.fleet.Values;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValuesLayersTest {

  static Values values(String file, String yaml) throws Exception {
    LocatedYaml.Document doc = LocatedYaml.parse(file, yaml);
    return new Values(file, doc.root(), doc.locations());
  }

  @Test
  void mapsMergeKeyByKeyAndTheMostSpecificLayerWins() throws Exception {
    var merged =
        ValuesLayers.merge(
            List.of(
                values("chart/values.yaml", "a:\n  x: 1\n  y: 2\nb: keep\n"),
                values("env.yaml", "a:\n  y: 20\n  z: 30\n")));
    assertThat(merged.tree().toString())
        .isEqualTo("{\"a\":{\"x\":1,\"y\":20,\"z\":30},\"b\":\"keep\"}");
    assertThat(merged.originOf("/a/x").file()).isEqualTo("chart/values.yaml");
    assertThat(merged.originOf("/a/y").file()).isEqualTo("env.yaml");
    assertThat(merged.originOf("/a/y").line()).isEqualTo(2);
    assertThat(merged.originOf("/a/z").line()).isEqualTo(3);
    assertThat(merged.leaves().get("/a/y").layer()).isEqualTo(1);
  }

  @Test
  void listsAndScalarsReplaceWhole() throws Exception {
    var merged =
        ValuesLayers.merge(
            List.of(
                values("a.yaml", "hosts: [a, b, c]\nport: 80\nmap: {k: v}\n"),
                values("b.yaml", "hosts: [z]\nport: {nested: 1}\nmap: plain\n")));
    assertThat(merged.tree().toString())
        .isEqualTo("{\"hosts\":[\"z\"],\"port\":{\"nested\":1},\"map\":\"plain\"}");
    assertThat(merged.leaves()).containsOnlyKeys("/hosts/0", "/port/nested", "/map");
    assertThat(merged.originOf("/hosts/0").file()).isEqualTo("b.yaml");
  }

  @Test
  void explicitNullRemovesTheKeyAndTellsHelmToDropTheChartDefault() throws Exception {
    var merged =
        ValuesLayers.merge(
            List.of(
                values("chart/values.yaml", "a:\n  x: 1\n  y: 2\n"),
                values("cluster.yaml", "a:\n  x: null\n")));
    assertThat(merged.tree().toString()).isEqualTo("{\"a\":{\"y\":2}}");
    assertThat(merged.leaves()).containsOnlyKeys("/a/y");
    assertThat(merged.helmInput().toString()).isEqualTo("{\"a\":{\"y\":2,\"x\":null}}");
  }

  @Test
  void aValueSetAgainAfterANullIsNoLongerRemoved() throws Exception {
    var merged =
        ValuesLayers.merge(
            List.of(
                values("1.yaml", "a: {x: 1}\n"),
                values("2.yaml", "a: null\n"),
                values("3.yaml", "a: {y: 5}\n")));
    assertThat(merged.tree().toString()).isEqualTo("{\"a\":{\"y\":5}}");
    assertThat(merged.removed()).isEmpty();
    assertThat(merged.originOf("/a/y").file()).isEqualTo("3.yaml");
  }

  @Test
  void overridingAMapWithAScalarDropsTheOriginsBelowIt() throws Exception {
    var merged =
        ValuesLayers.merge(
            List.of(values("1.yaml", "a: {x: 1, y: 2}\nab: 3\n"), values("2.yaml", "a: off\n")));
    assertThat(merged.leaves()).containsOnlyKeys("/a", "/ab");
    assertThat(merged.originOf("/ab").file()).isEqualTo("1.yaml");
  }

  @Test
  void layersAreNotMutated() throws Exception {
    Values base = values("1.yaml", "a: {x: 1}\n");
    ValuesLayers.merge(List.of(base, values("2.yaml", "a: {y: 2}\n")));
    assertThat(base.tree().toString()).isEqualTo("{\"a\":{\"x\":1}}");
  }

  @Test
  void keysWithSlashesAreEscapedInPointers() throws Exception {
    var merged =
        ValuesLayers.merge(List.of(values("1.yaml", "annotations:\n  example.com/x: on-it\n")));
    assertThat(merged.originOf("/annotations/example.com~1x").line()).isEqualTo(2);
  }
}

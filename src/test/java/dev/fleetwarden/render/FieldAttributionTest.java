package dev.fleetwarden.render;

import static dev.fleetwarden.render.ValuesLayersTest.values;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldAttributionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  @Test
  void aUniqueValueIsAttributedToItsLeaf() throws Exception {
    var merged =
        ValuesLayers.merge(
            List.of(
                values("chart/values.yaml", "controller:\n  replicas: 2\n"),
                values("clusters/c/values/ingress.yaml", "controller:\n  replicas: 4\n")));
    var origins =
        new FieldAttribution(merged)
            .attribute(json("{\"kind\":\"Deployment\",\"spec\":{\"replicas\":4}}"));
    assertThat(origins).containsOnlyKeys("/spec/replicas");
    assertThat(origins.get("/spec/replicas").toString())
        .isEqualTo("clusters/c/values/ingress.yaml:2");
    assertThat(origins.get("/spec/replicas").valuePath()).isEqualTo("/controller/replicas");
  }

  @Test
  void amongEqualValuesTheLeafNamedLikeTheFieldWins() throws Exception {
    var merged =
        ValuesLayers.merge(
            List.of(values("v.yaml", "controller:\n  replicas: 3\n  maxSurge: 3\n")));
    var origins = new FieldAttribution(merged).attribute(json("{\"spec\":{\"replicas\":3}}"));
    assertThat(origins.get("/spec/replicas").valuePath()).isEqualTo("/controller/replicas");
  }

  @Test
  void thenTheMostSpecificLayerWinsAndATieStaysUnattributed() throws Exception {
    var merged =
        ValuesLayers.merge(List.of(values("a.yaml", "x: 7\n"), values("b.yaml", "y: 7\n")));
    var origins = new FieldAttribution(merged).attribute(json("{\"spec\":{\"count\":7}}"));
    assertThat(origins.get("/spec/count").file()).isEqualTo("b.yaml");

    var tie = ValuesLayers.merge(List.of(values("a.yaml", "x: 7\ny: 7\n")));
    assertThat(new FieldAttribution(tie).attribute(json("{\"spec\":{\"count\":7}}"))).isEmpty();
  }

  @Test
  void aTokenInsideAStringIsAttributedToTheMostSpecificLeaf() throws Exception {
    var merged =
        ValuesLayers.merge(
            List.of(
                values(
                    "chart/values.yaml",
                    "image:\n  repository: registry.example.com/app\n  tag: \"1.0.0\"\n"),
                values("cluster.yaml", "image:\n  tag: \"1.2.3\"\n")));
    var origins =
        new FieldAttribution(merged)
            .attribute(
                json(
                    "{\"spec\":{\"image\":\"registry.example.com/app:1.2.3\",\"other\":\"v1.2.3x\"}}"));
    assertThat(origins).containsOnlyKeys("/spec/image");
    assertThat(origins.get("/spec/image").valuePath()).isEqualTo("/image/tag");
  }

  @Test
  void trivialValuesAreNeverAttributed() throws Exception {
    var merged =
        ValuesLayers.merge(List.of(values("v.yaml", "a: true\nb: 0\nc: 1\nd: \"\"\ne: \"1\"\n")));
    var origins =
        new FieldAttribution(merged)
            .attribute(json("{\"spec\":{\"a\":true,\"b\":0,\"c\":1,\"d\":\"\",\"e\":\"1\"}}"));
    assertThat(origins).isEmpty();
  }

  @Test
  void tokensMustBeDelimited() {
    assertThat(FieldAttribution.containsToken("repo:1.2.3", "1.2.3")).isTrue();
    assertThat(FieldAttribution.containsToken("--log-level=warn", "warn")).isTrue();
    assertThat(FieldAttribution.containsToken("v1.2.3", "1.2.3")).isFalse();
    assertThat(FieldAttribution.containsToken("warning", "warn")).isFalse();
  }
}

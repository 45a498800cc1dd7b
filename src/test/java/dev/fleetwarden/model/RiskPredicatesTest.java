package dev.fleetwarden.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The vocabulary of risk rules: path patterns and value predicates. */
class RiskPredicatesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  @Test
  void aPatternSegmentIsAnyOneSegmentALiteralOrAlternatives() {
    PathPattern p = PathPattern.parse("/spec/containers|initContainers/*/securityContext");
    assertThat(p.size()).isEqualTo(4);
    assertThat(p.matches(1, "initContainers")).isTrue();
    assertThat(p.matches(1, "volumes")).isFalse();
    assertThat(p.matches(2, "0")).isTrue();
    assertThat(p.matches(2, "name=web")).isTrue();
    assertThat(
            PathPattern.parse("/metadata/labels/pod-security.kubernetes.io~1enforce").literals(2))
        .containsExactly("pod-security.kubernetes.io/enforce");
    assertThat(PathPattern.parse("").size()).isZero();
    assertThatThrownBy(() -> PathPattern.parse("spec")).hasMessageContaining("JSON pointer");
    assertThatThrownBy(() -> PathPattern.parse("/a||b")).hasMessageContaining("empty");
    assertThatThrownBy(() -> PathPattern.parse("/a" + "/b".repeat(PathPattern.MAX_SEGMENTS)))
        .hasMessageContaining("more than");
  }

  @Test
  void keyedSegmentsSelectListItemsAsDriftPathsNameThem() throws Exception {
    JsonNode ports =
        json(
            "[{'containerPort':80,'protocol':'UDP'},{'containerPort':8080,'protocol':'TCP','name':'http'}]");
    assertThat(PathPattern.child(ports, "containerPort=8080,protocol=TCP").path("name").asText())
        .isEqualTo("http");
    assertThat(PathPattern.child(ports, "containerPort=8080,protocol=UDP")).isNull();
    assertThat(PathPattern.child(ports, "1").path("name").asText()).isEqualTo("http");
    JsonNode mounts = json("[{'mountPath':'/etc/web','readOnly':true}]");
    // drift paths escape '/' as ~1; split() has already unescaped the segment
    assertThat(
            PathPattern.child(mounts, JsonPointers.split("/mountPath=~1etc~1web").get(0))
                .path("readOnly")
                .asBoolean())
        .isTrue();
    assertThat(PathPattern.child(mounts, "99999999999")).isNull();
  }

  @Test
  void scalarsCompareByTextAndListsPassWhenAnItemDoes() throws Exception {
    ValuePredicate star = new ValuePredicate.Equals(TextNode.valueOf("*"));
    assertThat(star.test(json("['get','*']"))).isTrue();
    assertThat(star.test(json("['get']"))).isFalse();
    assertThat(star.test(null)).isFalse();
    assertThat(new ValuePredicate.Equals(json("true")).test(TextNode.valueOf("true"))).isTrue();
    assertThat(new ValuePredicate.Equals(json("0")).test(json("0.0"))).isTrue();
    assertThat(new ValuePredicate.Equals(json("0")).test(TextNode.valueOf("0"))).isTrue();
    assertThat(new ValuePredicate.Equals(json("['a']")).test(json("['a','b']"))).isFalse();
    assertThat(new ValuePredicate.EndsWith(":*").test(json("['s3:GetObject','ec2:*']"))).isTrue();
    assertThat(new ValuePredicate.StartsWith("s3:").test(json("{'a':'s3:x'}"))).isFalse();
    assertThat(
            new ValuePredicate.In(List.of(json("'Audit'"), json("'audit'"))).test(json("'audit'")))
        .isTrue();
  }

  @Test
  void emptyMeansNothingSelectedAndAbsentMeansUnset() throws Exception {
    ValuePredicate empty = new ValuePredicate.Empty(true);
    assertThat(empty.test(null)).isTrue();
    assertThat(empty.test(json("{'matchLabels':{}}"))).isTrue();
    assertThat(empty.test(json("{'matchLabels':{'app':'web'}}"))).isFalse();
    assertThat(empty.test(json("false"))).isFalse();
    assertThat(new ValuePredicate.Absent(true).test(json("null"))).isTrue();
    assertThat(new ValuePredicate.Absent(false).test(json("[]"))).isTrue();
  }

  @Test
  void pathsAndEmbeddedJsonLookInsideAValue() throws Exception {
    ValuePredicate allowsEverything =
        new ValuePredicate.Json(
            new ValuePredicate.At(
                PathPattern.parse("/Statement/*"),
                new ValuePredicate.AllOf(
                    List.of(
                        new ValuePredicate.At(
                            PathPattern.parse("/Effect"),
                            new ValuePredicate.Equals(TextNode.valueOf("Allow"))),
                        new ValuePredicate.At(
                            PathPattern.parse("/Action"),
                            new ValuePredicate.Equals(TextNode.valueOf("*")))))));
    assertThat(
            allowsEverything.test(
                TextNode.valueOf(
                    "{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\"},"
                        + "{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"*\"]}]}")))
        .isTrue();
    assertThat(
            allowsEverything.test(
                TextNode.valueOf("{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\"}]}")))
        .isFalse();
    assertThat(allowsEverything.test(TextNode.valueOf("not json"))).isFalse();
    assertThat(allowsEverything.test(TextNode.valueOf("{\"Statement\":[]}"))).isFalse();
    // a document over the limit is not parsed at all
    String huge =
        "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\"}],\"pad\":\""
            + "x".repeat(ValuePredicate.MAX_EMBEDDED_JSON_CHARS)
            + "\"}";
    assertThat(allowsEverything.test(TextNode.valueOf(huge))).isFalse();
    // a nesting bomb is refused by the parser, not followed
    assertThat(allowsEverything.test(TextNode.valueOf("[".repeat(10_000)))).isFalse();
  }
}

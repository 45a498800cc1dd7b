package dev.fleetwarden.remediate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleetwarden.model.FieldDrift;
import java.util.List;
import org.junit.jupiter.api.Test;

class MergePatchesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void objectFieldsNestAndListsTravelWholeWithTheLiveValueInPlace() throws Exception {
    JsonNode desired =
        JSON.readTree(
            "{\"spec\":{\"replicas\":2,\"template\":{\"spec\":{\"containers\":["
                + "{\"name\":\"a\",\"image\":\"x:1\",\"env\":[{\"name\":\"L\",\"value\":\"info\"}]},"
                + "{\"name\":\"b\",\"image\":\"y:1\"}]}}}}");
    JsonNode patch =
        MergePatches.adoptLive(
            desired,
            List.of(
                new FieldDrift("/spec/replicas", IntNode.valueOf(2), IntNode.valueOf(5)),
                new FieldDrift(
                    "/spec/template/spec/containers/0/env/0/value",
                    TextNode.valueOf("info"),
                    TextNode.valueOf("debug")),
                new FieldDrift(
                    "/spec/template/spec/containers/1/image",
                    TextNode.valueOf("y:1"),
                    TextNode.valueOf("y:2"))));
    assertThat(patch)
        .isEqualTo(
            JSON.readTree(
                "{\"spec\":{\"replicas\":5,\"template\":{\"spec\":{\"containers\":["
                    + "{\"name\":\"a\",\"image\":\"x:1\",\"env\":[{\"name\":\"L\",\"value\":\"debug\"}]},"
                    + "{\"name\":\"b\",\"image\":\"y:2\"}]}}}}"));
  }

  @Test
  void keyedPathsFindTheirElementInTheDesiredList() throws Exception {
    JsonNode desired =
        JSON.readTree(
            "{\"spec\":{\"template\":{\"spec\":{\"containers\":["
                + "{\"name\":\"a\",\"image\":\"x:1\",\"volumeMounts\":[{\"name\":\"c\",\"mountPath\":\"/etc/a\"}]},"
                + "{\"name\":\"b\",\"image\":\"y:1\"}]}}}}");
    JsonNode patch =
        MergePatches.adoptLive(
            desired,
            List.of(
                new FieldDrift(
                    "/spec/template/spec/containers/name=b/image",
                    TextNode.valueOf("y:1"),
                    TextNode.valueOf("y:2")),
                new FieldDrift(
                    "/spec/template/spec/containers/name=a/volumeMounts/mountPath=~1etc~1a/readOnly",
                    null,
                    com.fasterxml.jackson.databind.node.BooleanNode.TRUE)));
    assertThat(patch)
        .isEqualTo(
            JSON.readTree(
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":["
                    + "{\"name\":\"a\",\"image\":\"x:1\",\"volumeMounts\":[{\"name\":\"c\",\"mountPath\":\"/etc/a\",\"readOnly\":true}]},"
                    + "{\"name\":\"b\",\"image\":\"y:2\"}]}}}}"));
  }

  @Test
  void aFieldAbsentLiveIsDeleted() throws Exception {
    JsonNode desired = JSON.readTree("{\"metadata\":{\"labels\":{\"a\":\"1\",\"b\":\"2\"}}}");
    JsonNode patch =
        MergePatches.adoptLive(
            desired, List.of(new FieldDrift("/metadata/labels/b", TextNode.valueOf("2"), null)));
    assertThat(patch).isEqualTo(JSON.readTree("{\"metadata\":{\"labels\":{\"b\":null}}}"));
  }
}

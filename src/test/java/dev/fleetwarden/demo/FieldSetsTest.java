package dev.fleetwarden.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FieldSetsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-03-04T10:15:30.123Z");

  private static final String DEPLOYMENT =
      """
      {"apiVersion":"apps/v1","kind":"Deployment",
       "metadata":{"name":"web","namespace":"apps","resourceVersion":"7","labels":{"app":"web"},
         "managedFields":[{"manager":"helm","operation":"Update","apiVersion":"apps/v1",
           "time":"2026-01-01T00:00:00Z","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{}}}]},
       "spec":{"replicas":3,"template":{"spec":{"containers":[
         {"name":"app","image":"app:1","ports":[{"containerPort":80}]},
         {"name":"side","image":"side:1"}],
         "tolerations":[{"key":"a"}]}}},
       "status":{"replicas":3}}
      """;

  private static ObjectNode json(String text) throws Exception {
    return (ObjectNode) JSON.readTree(text);
  }

  @Test
  void anEditIsRecordedAsTheFieldsItChanged() throws Exception {
    ObjectNode before = json(DEPLOYMENT);
    ObjectNode after = before.deepCopy();
    ((ObjectNode) after.get("spec")).put("replicas", 6);
    ((ObjectNode) after.at("/spec/template/spec/containers/0")).put("image", "app:2");
    ((ObjectNode) after.at("/metadata/labels")).put("tier", "front");
    ((ObjectNode) after.at("/spec/template/spec")).putArray("tolerations").addObject();
    ((ObjectNode) after.get("status")).put("replicas", 6); // status is not the client's

    ObjectNode out = FieldSets.record(before, after, "kubectl-edit", NOW);

    JsonNode managed = out.at("/metadata/managedFields");
    assertThat(managed).hasSize(2);
    assertThat(managed.get(0).path("manager").asText()).isEqualTo("helm");
    JsonNode entry = managed.get(1);
    assertThat(entry.path("manager").asText()).isEqualTo("kubectl-edit");
    assertThat(entry.path("operation").asText()).isEqualTo("Update");
    assertThat(entry.path("apiVersion").asText()).isEqualTo("apps/v1");
    assertThat(entry.path("time").asText()).isEqualTo("2026-03-04T10:15:30Z");
    assertThat(entry.path("fieldsV1"))
        .isEqualTo(
            json(
                """
                {"f:metadata":{"f:labels":{"f:tier":{}}},
                 "f:spec":{"f:replicas":{},"f:template":{"f:spec":{
                   "f:containers":{"k:{\\"name\\":\\"app\\"}":{"f:image":{}}},
                   "f:tolerations":{}}}}}
                """));
  }

  @Test
  void theSameManagerWritingAgainGainsFieldsInOneEntry() throws Exception {
    ObjectNode v1 = json(DEPLOYMENT);
    ObjectNode v2 = v1.deepCopy();
    ((ObjectNode) v2.get("spec")).put("replicas", 4);
    v2 = FieldSets.record(v1, v2, "kubectl-patch", NOW);
    ObjectNode v3 = v2.deepCopy();
    ((ObjectNode) v3.at("/spec/template/spec/containers/1")).put("image", "side:2");

    ObjectNode out = FieldSets.record(v2, v3, "kubectl-patch", NOW.plusSeconds(60));

    JsonNode managed = out.at("/metadata/managedFields");
    assertThat(managed).hasSize(2);
    assertThat(managed.get(1).path("time").asText()).isEqualTo("2026-03-04T10:16:30Z");
    assertThat(managed.get(1).at("/fieldsV1/f:spec/f:replicas").isObject()).isTrue();
    assertThat(
            managed
                .get(1)
                .at("/fieldsV1/f:spec/f:template/f:spec/f:containers")
                .has("k:{\"name\":\"side\"}"))
        .isTrue();
  }

  @Test
  void aCreateOwnsEveryFieldAndANewKeyedElementItself() throws Exception {
    ObjectNode created =
        FieldSets.record(
            null,
            json(
                """
                {"apiVersion":"v1","kind":"ConfigMap",
                 "metadata":{"name":"c","namespace":"n","annotations":{"a":"b"}},"data":{"k":"v"}}
                """),
            "kubectl-create",
            NOW);
    assertThat(created.at("/metadata/managedFields/0/fieldsV1"))
        .isEqualTo(
            json("{\"f:metadata\":{\"f:annotations\":{\"f:a\":{}}},\"f:data\":{\"f:k\":{}}}"));

    ObjectNode before = json(DEPLOYMENT);
    ObjectNode after = before.deepCopy();
    ((com.fasterxml.jackson.databind.node.ArrayNode) after.at("/spec/template/spec/containers"))
        .addObject()
        .put("name", "new")
        .put("image", "new:1");
    JsonNode fields =
        FieldSets.record(before, after, "kubectl-edit", NOW)
            .at("/metadata/managedFields/1/fieldsV1/f:spec/f:template/f:spec/f:containers");
    assertThat(fields)
        .isEqualTo(
            json("{\"k:{\\\"name\\\":\\\"new\\\"}\":{\".\":{},\"f:name\":{},\"f:image\":{}}}"));
  }

  @Test
  void nothingChangedRecordsNothing() throws Exception {
    ObjectNode same = json(DEPLOYMENT);
    assertThat(FieldSets.record(same, same.deepCopy(), "kubectl-edit", NOW)).isEqualTo(same);
  }
}

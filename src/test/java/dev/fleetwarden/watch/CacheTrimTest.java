package dev.fleetwarden.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CacheTrimTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode live() throws Exception {
    return (ObjectNode)
        JSON.readTree(
            """
            {"apiVersion":"apps/v1","kind":"Deployment",
             "metadata":{"name":"web","namespace":"shop","resourceVersion":"7",
               "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"},
               "managedFields":[
                 {"manager":"kubectl-client-side-apply","operation":"Update","apiVersion":"apps/v1",
                  "time":"2026-11-30T10:00:00Z","fieldsType":"FieldsV1",
                  "fieldsV1":{"f:spec":{"f:replicas":{}},"f:status":{"f:replicas":{}}}},
                 {"manager":"kube-controller-manager","operation":"Update","apiVersion":"apps/v1",
                  "time":"2026-12-01T09:00:00Z","fieldsType":"FieldsV1","subresource":"status",
                  "fieldsV1":{"f:status":{"f:readyReplicas":{}}}},
                 {"manager":"kubectl","operation":"Update","subresource":"scale",
                  "time":"2026-12-01T08:00:00Z","fieldsV1":{"f:spec":{"f:replicas":{}}}}]},
             "spec":{"replicas":6},
             "status":{"replicas":6,"readyReplicas":6}}
            """);
  }

  @Test
  void keepsWhatTheDiffAndAttributionReadAndDropsTheRest() throws Exception {
    ObjectNode o = CacheTrim.trim(live(), false);

    assertThat(o.has("status")).isFalse();
    assertThat(o.at("/spec/replicas").asInt()).isEqualTo(6);
    assertThat(
            o.at("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration")
                .asText())
        .isEqualTo("{}");
    assertThat(o.at("/metadata/managedFields")).hasSize(2);
    ObjectNode apply = (ObjectNode) o.at("/metadata/managedFields/0");
    assertThat(apply.fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("manager", "time", "fieldsV1");
    assertThat(apply.at("/fieldsV1").has("f:status")).isFalse();
    assertThat(apply.at("/fieldsV1/f:spec/f:replicas").isObject()).isTrue();
    assertThat(o.at("/metadata/managedFields/1/subresource").asText()).isEqualTo("scale");
    assertThat(JSON.writeValueAsBytes(o).length).isLessThan(JSON.writeValueAsBytes(live()).length);
  }

  @Test
  void anObjectWhoseDesiredStateSetsAStatusIsKeptWhole() throws Exception {
    assertThat(CacheTrim.trim(live(), true)).isEqualTo(live());
  }

  @Test
  void theLastWriteIsTheNewestManagedFieldsTime() throws Exception {
    assertThat(CacheTrim.lastWrite(live())).isEqualTo(Instant.parse("2026-12-01T09:00:00Z"));
    assertThat(CacheTrim.lastWrite(JSON.createObjectNode())).isNull();
  }
}

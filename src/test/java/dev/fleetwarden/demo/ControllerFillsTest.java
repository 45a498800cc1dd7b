package dev.fleetwarden.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControllerFillsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-03-04T10:15:30Z");

  private static ObjectNode json(String text) throws Exception {
    return (ObjectNode) JSON.readTree(text);
  }

  @Test
  void aServiceGetsAStableClusterIpAndNodePortsThatAnUpdateLeavingThemOutKeeps() throws Exception {
    ObjectNode desired =
        json(
            """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","namespace":"apps"},
             "spec":{"type":"LoadBalancer","ports":[{"name":"http","port":80},{"port":443}]}}
            """);
    ObjectNode created = ControllerFills.allocate(null, desired);
    String ip = created.at("/spec/clusterIP").asText();
    assertThat(ip).matches("10\\.(9[6-9]|10[0-9]|11[01])\\.\\d+\\.\\d+");
    assertThat(created.at("/spec/clusterIPs/0").asText()).isEqualTo(ip);
    int http = created.at("/spec/ports/0/nodePort").asInt();
    assertThat(http).isBetween(30000, 32767);
    assertThat(created.at("/spec/ports/1/nodePort").asInt()).isBetween(30000, 32767);
    assertThat(ControllerFills.allocate(null, desired)).isEqualTo(created);
    assertThat(desired.at("/spec/clusterIP").isMissingNode()).as("input untouched").isTrue();

    // a GitOps sync replaces the Service with what Git holds: the allocated values stay
    ObjectNode someoneElse = created.deepCopy();
    ((ObjectNode) someoneElse.get("spec")).put("clusterIP", "10.100.0.7").putArray("clusterIPs");
    ((ObjectNode) someoneElse.at("/spec/ports/0")).put("nodePort", 31000);
    ObjectNode updated = ControllerFills.allocate(someoneElse, desired);
    assertThat(updated.at("/spec/clusterIP").asText()).isEqualTo("10.100.0.7");
    assertThat(updated.at("/spec/ports/0/nodePort").asInt()).isEqualTo(31000);
  }

  @Test
  void headlessAndExternalNameServicesGetNoAddress() throws Exception {
    ObjectNode headless =
        ControllerFills.allocate(
            null,
            json(
                """
                {"kind":"Service","metadata":{"name":"db","namespace":"a"},
                 "spec":{"clusterIP":"None","ports":[{"port":5432}]}}
                """));
    assertThat(headless.at("/spec/clusterIP").asText()).isEqualTo("None");
    assertThat(headless.at("/spec/clusterIPs/0").asText()).isEqualTo("None");
    assertThat(headless.at("/spec/ports/0/nodePort").isMissingNode()).isTrue();
    ObjectNode external =
        json(
            """
            {"kind":"Service","metadata":{"name":"x","namespace":"a"},
             "spec":{"type":"ExternalName","externalName":"example.org"}}
            """);
    assertThat(ControllerFills.allocate(null, external)).isEqualTo(external);
  }

  @Test
  void theCaInjectorFillsEveryWebhookOfAnAnnotatedConfigurationAndIsNamedAsItsManager()
      throws Exception {
    ObjectNode vwc =
        json(
            """
            {"apiVersion":"admissionregistration.k8s.io/v1","kind":"ValidatingWebhookConfiguration",
             "metadata":{"name":"cm","annotations":
               {"cert-manager.io/inject-ca-from-secret":"cert-manager/cert-manager-webhook-ca"}},
             "webhooks":[{"name":"a.example.org","clientConfig":{"service":{"name":"w"}}},
                         {"name":"b.example.org","clientConfig":{"url":"https://b"}}]}
            """);
    ObjectNode injected = ControllerFills.injectCa(vwc, NOW);
    assertThat(injected.at("/webhooks/0/clientConfig/caBundle").asText())
        .isEqualTo(ControllerFills.CA_BUNDLE);
    assertThat(injected.at("/webhooks/1/clientConfig/caBundle").asText())
        .isEqualTo(ControllerFills.CA_BUNDLE);
    JsonNode entry = injected.at("/metadata/managedFields/0");
    assertThat(entry.path("manager").asText()).isEqualTo("cainjector");
    assertThat(entry.path("fieldsV1"))
        .isEqualTo(
            json(
                """
                {"f:webhooks":{
                  "k:{\\"name\\":\\"a.example.org\\"}":{"f:clientConfig":{"f:caBundle":{}}},
                  "k:{\\"name\\":\\"b.example.org\\"}":{"f:clientConfig":{"f:caBundle":{}}}}}
                """));
    // injected again: nothing changes, no second entry
    assertThat(ControllerFills.injectCa(injected, NOW.plusSeconds(60))).isEqualTo(injected);

    ObjectNode plain = vwc.deepCopy();
    ((ObjectNode) plain.get("metadata")).remove("annotations");
    assertThat(ControllerFills.injectCa(plain, NOW)).isEqualTo(plain);
  }

  @Test
  void anAggregatedClusterRoleHoldsTheRulesOfTheRolesItsSelectorsMatch() throws Exception {
    ObjectNode view =
        json(
            """
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole",
             "metadata":{"name":"view"},
             "aggregationRule":{"clusterRoleSelectors":[
               {"matchLabels":{"aggregate-to-view":"true"}},
               {"matchExpressions":[{"key":"tier","operator":"In","values":["read"]}]}]}}
            """);
    ObjectNode b =
        json(
            """
            {"kind":"ClusterRole","metadata":{"name":"b","labels":{"aggregate-to-view":"true"}},
             "rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]}
            """);
    ObjectNode a =
        json(
            """
            {"kind":"ClusterRole","metadata":{"name":"a","labels":{"tier":"read"}},
             "rules":[{"apiGroups":[""],"resources":["services"],"verbs":["get"]},
                      {"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]}
            """);
    ObjectNode other =
        json(
            """
            {"kind":"ClusterRole","metadata":{"name":"c","labels":{"aggregate-to-view":"false"}},
             "rules":[{"apiGroups":["*"],"resources":["*"],"verbs":["*"]}]}
            """);

    List<ObjectNode> changed = ControllerFills.aggregate(List.of(view, b, a, other), NOW);

    assertThat(changed).hasSize(1);
    ObjectNode filled = changed.get(0);
    assertThat(filled.path("rules"))
        .isEqualTo(
            JSON.readTree(
                """
                [{"apiGroups":[""],"resources":["services"],"verbs":["get"]},
                 {"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]
                """));
    assertThat(filled.at("/metadata/managedFields/0/manager").asText())
        .isEqualTo("clusterrole-aggregation-controller");
    assertThat(filled.at("/metadata/managedFields/0/fieldsV1")).isEqualTo(json("{\"f:rules\":{}}"));
    assertThat(ControllerFills.aggregate(List.of(filled, b, a, other), NOW)).isEmpty();
  }
}

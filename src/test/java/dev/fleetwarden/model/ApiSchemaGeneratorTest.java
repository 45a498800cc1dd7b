package dev.fleetwarden.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The generator of the vendored {@code kubernetes-api.json}, on two small OpenAPI v2 documents
 * shaped like Kubernetes' own (paths with {@code x-kubernetes-group-version-kind}, definitions with
 * list extensions).
 */
class ApiSchemaGeneratorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode spec(String flowSchemaVersion, boolean webhooksKeyed) throws Exception {
    String webhooks =
        webhooksKeyed
            ? "\"x-kubernetes-list-type\":\"map\",\"x-kubernetes-list-map-keys\":[\"name\"],"
            : "\"x-kubernetes-patch-merge-key\":\"name\",\"x-kubernetes-patch-strategy\":\"merge\",";
    return JSON.readTree(
        ("{'paths':{"
                + "'/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/{name}':{'get':{"
                + "'x-kubernetes-action':'get','x-kubernetes-group-version-kind':{'group':'admissionregistration.k8s.io','version':'v1','kind':'ValidatingWebhookConfiguration'},"
                + "'responses':{'200':{'schema':{'$ref':'#/definitions/vwc'}}}}},"
                + "'/apis/flowcontrol.apiserver.k8s.io/VERSION/flowschemas/{name}':{'get':{"
                + "'x-kubernetes-action':'get','x-kubernetes-group-version-kind':{'group':'flowcontrol.apiserver.k8s.io','version':'VERSION','kind':'FlowSchema'},"
                + "'responses':{'200':{'schema':{'$ref':'#/definitions/fs'}}}}},"
                + "'/api/v1/namespaces/{namespace}/pods/{name}':{'get':{"
                + "'x-kubernetes-action':'get','x-kubernetes-group-version-kind':{'group':'','version':'v1','kind':'Pod'},"
                + "'responses':{'200':{'schema':{'$ref':'#/definitions/io.k8s.api.core.v1.Pod'}}}}},"
                + "'/api/v1/namespaces/{namespace}/pods/{name}/status':{'get':{"
                + "'x-kubernetes-action':'get','x-kubernetes-group-version-kind':{'group':'','version':'v1','kind':'Pod'}}}},"
                + "'definitions':{"
                + "'vwc':{'properties':{'webhooks':{'type':'array',WEBHOOKS'items':{'$ref':'#/definitions/wh'}}}},"
                + "'wh':{'properties':{'name':{'type':'string'},'rules':{'type':'array','x-kubernetes-list-type':'atomic','items':{'$ref':'#/definitions/rule'}}}},"
                + "'rule':{'properties':{'apiGroups':{'type':'array','items':{'type':'string'}}}},"
                + "'fs':{'properties':{'spec':{'$ref':'#/definitions/fsspec'}}},"
                + "'fsspec':{'properties':{'rules':{'type':'array','x-kubernetes-list-type':'atomic','items':{'$ref':'#/definitions/rule'}}}},"
                + "'io.k8s.api.core.v1.Pod':{'properties':{'spec':{'allOf':[{'$ref':'#/definitions/podspec'}]}}},"
                + "'podspec':{'properties':{'containers':{'type':'array','x-kubernetes-list-type':'map','x-kubernetes-list-map-keys':['name'],'items':{'$ref':'#/definitions/c'}},"
                + "'tolerations':{'type':'array','x-kubernetes-list-type':'atomic','items':{'$ref':'#/definitions/t'}},"
                + "'nodeSelector':{'type':'object','additionalProperties':{'type':'string'}}}},"
                + "'c':{'properties':{'ports':{'type':'array','x-kubernetes-list-type':'map','x-kubernetes-list-map-keys':['containerPort','protocol'],'items':{'$ref':'#/definitions/io.k8s.api.core.v1.ContainerPort'}}}},"
                + "'io.k8s.api.core.v1.ContainerPort':{'properties':{'containerPort':{'type':'integer'},'protocol':{'type':'string'}}},"
                + "'t':{'properties':{'key':{'type':'string'}}}}}")
            .replace("WEBHOOKS", webhooks)
            .replace("VERSION", flowSchemaVersion)
            .replace('\'', '"'));
  }

  @Test
  void keepsKindsScopesVersionsAndOnlyTheBranchesLeadingToKeyedLists() throws Exception {
    Map<String, JsonNode> specs = new LinkedHashMap<>();
    specs.put("1.0", spec("v1beta3", false));
    specs.put("1.1", spec("v1", true));

    JsonNode out = JSON.readTree(ApiSchemaGenerator.generate(specs));

    assertThat(out.path("kubernetes").toString()).isEqualTo("[\"1.0\",\"1.1\"]");
    JsonNode flow = out.path("kinds").path("flowcontrol.apiserver.k8s.io/FlowSchema");
    assertThat(flow.path("namespaced").asBoolean(true)).isFalse();
    assertThat(flow.path("plural").asText()).isEqualTo("flowschemas");
    assertThat(flow.path("versions").path("v1beta3").path("kubernetes").toString())
        .isEqualTo("[\"1.0\"]");
    assertThat(flow.path("versions").path("v1").path("kubernetes").toString())
        .isEqualTo("[\"1.1\"]");
    // nothing keyed below a FlowSchema: no schema kept
    assertThat(flow.path("versions").path("v1").has("type")).isFalse();
    JsonNode pod = out.path("kinds").path("Pod");
    assertThat(pod.path("namespaced").asBoolean()).isTrue();
    assertThat(pod.path("versions").path("v1").path("type").asText())
        .isEqualTo("io.k8s.api.core.v1.Pod");
    JsonNode types = out.path("types");
    assertThat(types.path("podspec").path("containers").path("keys").toString())
        .isEqualTo("[\"name\"]");
    assertThat(types.path("podspec").has("tolerations")).isFalse();
    assertThat(types.path("c").path("ports").path("defaults").path("protocol").asText())
        .isEqualTo("TCP");
    // the later release wins: webhooks keyed by list-map-keys, not only by patch-merge-key
    assertThat(types.path("vwc").path("webhooks").path("keys").toString()).isEqualTo("[\"name\"]");
    assertThat(types.has("rule")).isFalse();
  }

  @Test
  void aPatchMergeKeyAloneKeysANonAtomicList() throws Exception {
    JsonNode out = JSON.readTree(ApiSchemaGenerator.generate(Map.of("1.0", spec("v1", false))));
    assertThat(out.path("types").path("vwc").path("webhooks").path("keys").toString())
        .isEqualTo("[\"name\"]");
  }
}

package dev.fleetwarden.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiDiscoveryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode crd() throws Exception {
    return JSON.readTree(
        """
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
         "metadata":{"name":"certificates.cert-manager.io"},
         "spec":{"group":"cert-manager.io","scope":"Namespaced",
           "names":{"kind":"Certificate","plural":"certificates","singular":"certificate",
                    "shortNames":["cert","certs"],"categories":["cert-manager"]},
           "versions":[
             {"name":"v1","served":true,"storage":true,"subresources":{"status":{}}},
             {"name":"v1alpha2","served":false,"storage":false}]}}
        """);
  }

  @Test
  void deploymentsAreFoundByShortNameWithScaleAndStatusSubresources() {
    ObjectNode apps = ApiDiscovery.resourceList("apps", "v1", List.of()).orElseThrow();

    assertThat(apps.path("groupVersion").asText()).isEqualTo("apps/v1");
    JsonNode deployments = byName(apps, "deployments");
    assertThat(deployments.path("kind").asText()).isEqualTo("Deployment");
    assertThat(deployments.path("singularName").asText()).isEqualTo("deployment");
    assertThat(deployments.path("namespaced").asBoolean()).isTrue();
    assertThat(texts(deployments.path("shortNames"))).containsExactly("deploy");
    assertThat(texts(deployments.path("verbs"))).contains("get", "list", "patch", "delete");
    JsonNode scale = byName(apps, "deployments/scale");
    assertThat(scale.path("group").asText()).isEqualTo("autoscaling");
    assertThat(scale.path("version").asText()).isEqualTo("v1");
    assertThat(scale.path("kind").asText()).isEqualTo("Scale");
    assertThat(texts(scale.path("verbs"))).containsExactly("get", "patch", "update");
    assertThat(byName(apps, "deployments/status").path("kind").asText()).isEqualTo("Deployment");
    assertThat(byName(apps, "daemonsets/scale")).isNull();
  }

  @Test
  void coreGroupListsTheKindsAFleetRuns() {
    ObjectNode core = ApiDiscovery.resourceList("", "v1", List.of()).orElseThrow();

    assertThat(core.path("groupVersion").asText()).isEqualTo("v1");
    assertThat(names(core))
        .contains("configmaps", "secrets", "services", "serviceaccounts", "namespaces");
    assertThat(byName(core, "namespaces").path("namespaced").asBoolean()).isFalse();
    assertThat(texts(byName(core, "configmaps").path("shortNames"))).containsExactly("cm");
  }

  @Test
  void customResourcesAreServedPerServedVersionOfTheirCrd() throws Exception {
    List<JsonNode> crds = List.of(crd());

    JsonNode list = ApiDiscovery.resourceList("cert-manager.io", "v1", crds).orElseThrow();
    JsonNode certificates = byName(list, "certificates");
    assertThat(certificates.path("kind").asText()).isEqualTo("Certificate");
    assertThat(texts(certificates.path("shortNames"))).containsExactly("cert", "certs");
    assertThat(texts(certificates.path("categories"))).containsExactly("cert-manager");
    assertThat(byName(list, "certificates/status")).isNotNull();
    assertThat(ApiDiscovery.resourceList("cert-manager.io", "v1alpha2", crds)).isEmpty();
    assertThat(ApiDiscovery.resourceList("cert-manager.io", "v1", List.of())).isEmpty();

    JsonNode groups = ApiDiscovery.groupList(crds).path("groups");
    List<String> groupNames = new ArrayList<>();
    groups.forEach(g -> groupNames.add(g.path("name").asText()));
    assertThat(groupNames)
        .contains("apps", "rbac.authorization.k8s.io", "networking.k8s.io", "cert-manager.io");
    assertThat(groupNames).doesNotContain("");
  }

  @Test
  void autoscalingPrefersV2() {
    JsonNode group = ApiDiscovery.group("autoscaling", List.of()).orElseThrow();

    assertThat(group.path("preferredVersion").path("groupVersion").asText())
        .isEqualTo("autoscaling/v2");
    assertThat(group.path("versions")).hasSize(2);
    assertThat(ApiDiscovery.group("example.com", List.of())).isEmpty();
  }

  @Test
  void openApiDeclaresServerSideFieldValidationForEveryKind() throws Exception {
    List<JsonNode> crds = List.of(crd());
    JsonNode root = ApiDiscovery.openApiRoot(crds).path("paths");
    assertThat(root.has("api/v1")).isTrue();
    assertThat(root.path("apis/apps/v1").path("serverRelativeURL").asText())
        .startsWith("/openapi/v3/apis/apps/v1?hash=");
    assertThat(root.has("apis/cert-manager.io/v1")).isTrue();

    JsonNode apps = ApiDiscovery.openApiGroupVersion("apps", "v1", crds).orElseThrow();
    JsonNode patch =
        apps.path("paths").path("/apis/apps/v1/namespaces/{namespace}/deployments/{name}");
    assertThat(patch.path("patch").path("x-kubernetes-group-version-kind").path("kind").asText())
        .isEqualTo("Deployment");
    List<String> params = new ArrayList<>();
    patch.path("patch").path("parameters").forEach(p -> params.add(p.path("name").asText()));
    assertThat(params).contains("fieldValidation");
    // No request body: kubectl computes strategic merge patches from its compiled-in types.
    assertThat(patch.path("patch").has("requestBody")).isFalse();
    JsonNode core = ApiDiscovery.openApiGroupVersion("", "v1", crds).orElseThrow();
    assertThat(core.path("paths").has("/api/v1/namespaces/{name}")).isTrue();
  }

  @Test
  void versionIsAKubernetesVersion() {
    ObjectNode v = ApiDiscovery.version();
    assertThat(v.path("major").asText()).isEqualTo("1");
    assertThat(v.path("gitVersion").asText()).matches("v1\\.\\d+\\.\\d+");
  }

  private static JsonNode byName(JsonNode list, String name) {
    for (JsonNode r : list.path("resources")) {
      if (r.path("name").asText().equals(name)) {
        return r;
      }
    }
    return null;
  }

  private static List<String> names(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.path("resources").forEach(r -> out.add(r.path("name").asText()));
    return out;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}

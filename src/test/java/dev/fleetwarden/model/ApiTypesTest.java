package dev.fleetwarden.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Kinds, scopes, versions and list keys from the vendored API and from CRDs. */
class ApiTypesTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void theVendoredApiIsOfTheThreeNewestReleasesAndKnowsScopes() {
    ApiTypes api = ApiTypes.builtIn();
    assertThat(api.releases()).containsExactly("1.34", "1.35", "1.36");
    assertThat(api.namespaced("flowcontrol.apiserver.k8s.io", "FlowSchema")).isFalse();
    assertThat(api.namespaced("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"))
        .isFalse();
    assertThat(api.namespaced("rbac.authorization.k8s.io", "ClusterRole")).isFalse();
    assertThat(api.namespaced("storage.k8s.io", "StorageClass")).isFalse();
    assertThat(api.namespaced("", "Namespace")).isFalse();
    assertThat(api.namespaced("apps", "Deployment")).isTrue();
    assertThat(api.namespaced("", "ConfigMap")).isTrue();
    assertThat(api.namespaced("kyverno.io", "ClusterPolicy")).isNull();
    assertThat(api.type("autoscaling", "HorizontalPodAutoscaler").versions())
        .containsKeys("v1", "v2");
    assertThat(api.type("apps", "Deployment").plural()).isEqualTo("deployments");
  }

  @Test
  void aVersionNoVendoredReleaseServesUsesTheKindsMostStableSchema() {
    SchemaNode v2beta2 =
        ApiTypes.builtIn().schema("autoscaling/v2beta2", "HorizontalPodAutoscaler");
    assertThat(v2beta2)
        .isSameAs(ApiTypes.builtIn().schema("autoscaling/v2", "HorizontalPodAutoscaler"));
    assertThat(ApiTypes.builtIn().schema("apps/v1beta1", "Deployment"))
        .isSameAs(ApiTypes.builtIn().schema("apps/v1", "Deployment"));
  }

  @Test
  void aCrdDefinesScopeVersionsAndTheKeysOfItsSchema() throws Exception {
    JsonNode crd =
        YAML.readTree(
            """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: gateways.example.com}
            spec:
              group: example.com
              scope: Cluster
              names: {kind: Gateway, plural: gateways}
              versions:
                - name: v1
                  served: true
                  storage: true
                  schema:
                    openAPIV3Schema:
                      type: object
                      properties:
                        spec:
                          type: object
                          properties:
                            listeners:
                              type: array
                              x-kubernetes-list-type: map
                              x-kubernetes-list-map-keys: [name, port]
                              items:
                                type: object
                                properties:
                                  name: {type: string}
                                  port: {type: integer, default: 443}
                                  hostnames: {type: array, x-kubernetes-list-type: set, items: {type: string}}
                            addresses: {type: array, items: {type: string}}
                - name: v1alpha1
                  served: false
            """);
    ApiTypes types = ApiTypes.builtIn().withCrds(List.of(crd));

    ApiTypes.Type t = types.type("example.com", "Gateway");
    assertThat(t.namespaced()).isFalse();
    assertThat(t.plural()).isEqualTo("gateways");
    assertThat(t.versions()).containsOnlyKeys("v1");
    assertThat(t.definedBy()).isEqualTo("CustomResourceDefinition gateways.example.com");
    SchemaNode listeners =
        types.schema("example.com/v1", "Gateway").field("spec").field("listeners");
    assertThat(listeners.listKey())
        .isEqualTo(new ListKey(List.of("name", "port"), java.util.Map.of("port", "443")));
    assertThat(listeners.items().field("hostnames").isSet()).isTrue();
    assertThat(types.schema("example.com/v1", "Gateway").field("spec").field("addresses")).isNull();
    // metadata of a custom resource is keyed as every object's
    assertThat(
            types.schema("example.com/v1", "Gateway").field("metadata").field("finalizers").isSet())
        .isTrue();
    assertThat(ApiTypes.builtIn().type("example.com", "Gateway")).as("builtIn unchanged").isNull();
    assertThat(types.isBuiltIn("example.com", "Gateway")).isFalse();
    assertThat(types.isBuiltIn("apps", "Deployment")).isTrue();
  }

  @Test
  void otherObjectsThanCrdsAreIgnored() throws Exception {
    JsonNode cm = YAML.readTree("{apiVersion: v1, kind: ConfigMap, metadata: {name: x}}");
    assertThat(ApiTypes.builtIn().withCrds(List.of(cm))).isSameAs(ApiTypes.builtIn());
  }
}

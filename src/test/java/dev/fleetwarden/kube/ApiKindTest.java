package dev.fleetwarden.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetwarden.model.ApiTypes;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiKindTest {
  @Test
  void builtInKindsTakePluralAndScopeFromTheModel() {
    ApiKind np = ApiKind.of("networking.k8s.io/v1", "NetworkPolicy");
    assertThat(np.plural()).isEqualTo("networkpolicies");
    assertThat(np.namespaced()).isTrue();
    assertThat(np.group()).isEqualTo("networking.k8s.io");

    ApiKind ns = ApiKind.of("v1", "Namespace");
    assertThat(ns.namespaced()).isFalse();
    assertThat(ns.apiVersion()).isEqualTo("v1");
    assertThat(ns.resourceName()).isEqualTo("namespaces");

    assertThat(ApiKind.of("v1", "Endpoints").plural()).isEqualTo("endpoints");
    assertThat(ApiKind.of("networking.k8s.io/v1", "IngressClass").namespaced()).isFalse();
  }

  @Test
  void builtInKindsFabric8DoesNotModelComeFromTheVendoredApi() {
    ApiKind flow = ApiKind.of("flowcontrol.apiserver.k8s.io/v1", "FlowSchema");
    assertThat(flow.namespaced()).isFalse();
    assertThat(flow.plural()).isEqualTo("flowschemas");
  }

  @Test
  void customKindsTakePluralAndScopeFromTheirCrdElseFromTheCaller() throws Exception {
    JsonNode crd =
        new ObjectMapper()
            .readTree(
                "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"CustomResourceDefinition\","
                    + "\"metadata\":{\"name\":\"clusterpolicies.kyverno.io\"},\"spec\":{\"group\":\"kyverno.io\","
                    + "\"scope\":\"Cluster\",\"names\":{\"kind\":\"ClusterPolicy\",\"plural\":\"clusterpolicies\"},"
                    + "\"versions\":[{\"name\":\"v1\",\"served\":true}]}}");
    ApiTypes types = ApiTypes.builtIn().withCrds(List.of(crd));
    ApiKind policy = ApiKind.of("kyverno.io/v1", "ClusterPolicy", types, true);
    assertThat(policy.plural()).isEqualTo("clusterpolicies");
    assertThat(policy.namespaced()).isFalse();
    assertThat(policy.resourceName()).isEqualTo("clusterpolicies.kyverno.io");
    assertThat(policy).hasToString("ClusterPolicy (kyverno.io/v1)");

    ApiKind cert = ApiKind.of("cert-manager.io/v1", "Certificate", types, true);
    assertThat(cert.plural()).isEqualTo("certificates");
    assertThat(cert.namespaced()).isTrue();
    assertThat(ApiKind.of("cert-manager.io/v1", "ClusterIssuer", types, false).namespaced())
        .isFalse();
  }

  @Test
  void missingApiVersionIsRejected() {
    assertThatThrownBy(() -> ApiKind.of("", "ConfigMap"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("apiVersion");
  }
}

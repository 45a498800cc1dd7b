package dev.fleetwarden.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  void customKindsArePluralizedAndScopedFromKnownKinds() {
    ApiKind policy = ApiKind.of("kyverno.io/v1", "ClusterPolicy");
    assertThat(policy.plural()).isEqualTo("clusterpolicies");
    assertThat(policy.namespaced()).isFalse();
    assertThat(policy.resourceName()).isEqualTo("clusterpolicies.kyverno.io");
    assertThat(policy).hasToString("ClusterPolicy (kyverno.io/v1)");

    ApiKind cert = ApiKind.of("cert-manager.io/v1", "Certificate");
    assertThat(cert.plural()).isEqualTo("certificates");
    assertThat(cert.namespaced()).isTrue();
  }

  @Test
  void missingApiVersionIsRejected() {
    assertThatThrownBy(() -> ApiKind.of("", "ConfigMap"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("apiVersion");
  }
}

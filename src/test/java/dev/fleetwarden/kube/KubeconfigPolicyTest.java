package dev.fleetwarden.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubeconfigPolicyTest {
  @Test
  void theDefaultAllowsNothing() {
    KubeconfigPolicy p = KubeconfigPolicy.DEFAULT;
    assertThat(p.allowExecPlugins()).isFalse();
    assertThat(p.listsSecret("fleet-system", "prod-us-1-kubeconfig")).isFalse();
    assertThat(p.selectorCovers("fleet-system")).isFalse();
    assertThat(KubeSettings.DEFAULTS.kubeconfigPolicy()).isEqualTo(p);
  }

  @Test
  void namesAreReadInTheNamespaceUnlessQualified() {
    KubeconfigPolicy p =
        KubeconfigPolicy.fromSettings(false, "fleet-system", " a-kubeconfig, capi/b ,", "");
    assertThat(p.secrets()).containsExactlyInAnyOrder("fleet-system/a-kubeconfig", "capi/b");
    assertThat(p.listsSecret("fleet-system", "a-kubeconfig")).isTrue();
    assertThat(p.listsSecret("capi", "b")).isTrue();
    assertThat(p.listsSecret("fleet-system", "b")).isFalse();
    assertThat(p.listsSecret("default", "a-kubeconfig")).isFalse();
  }

  @Test
  void aYamlListFromTheConfigFileIsAccepted() {
    KubeconfigPolicy p = KubeconfigPolicy.fromSettings(true, "ns", "[\"x\",\"y\"]", null);
    assertThat(p.secrets()).containsExactlyInAnyOrder("ns/x", "ns/y");
    assertThat(p.allowExecPlugins()).isTrue();
  }

  @Test
  void aSelectorCoversOnlyItsNamespace() {
    KubeconfigPolicy p =
        KubeconfigPolicy.fromSettings(
            false, "fleet-system", "", "fleetwarden.dev/kubeconfig=true, tier==prod");
    assertThat(p.selector())
        .isEqualTo(Map.of("fleetwarden.dev/kubeconfig", "true", "tier", "prod"));
    assertThat(p.selectorCovers("fleet-system")).isTrue();
    assertThat(p.selectorCovers("default")).isFalse();
  }

  @Test
  void malformedValuesNameTheKeyToFix() {
    assertThatThrownBy(() -> KubeconfigPolicy.fromSettings(false, "", "a", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kube.kubeconfigSecrets.namespace");
    assertThatThrownBy(() -> KubeconfigPolicy.fromSettings(false, "", "", "a=b"))
        .hasMessageContaining("kube.kubeconfigSecrets.namespace");
    assertThatThrownBy(() -> KubeconfigPolicy.fromSettings(false, "ns", "", "a in (b)"))
        .hasMessageContaining("kube.kubeconfigSecrets.selector");
    assertThatThrownBy(() -> KubeconfigPolicy.fromSettings(false, "ns", "a/b/c", ""))
        .hasMessageContaining("kube.kubeconfigSecrets.names");
    assertThatThrownBy(() -> KubeconfigPolicy.DEFAULT.allowingSecrets(List.of("Bad Name/x")))
        .hasMessageContaining("namespace/name");
  }
}

package dev.fleetwarden.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.model.ApiTypes;
import dev.fleetwarden.model.Kinds;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The vendored Kubernetes API's built-in kinds agree with Fabric8's model of the Kubernetes API
 * wherever Fabric8 models them (it lags the newest releases' alpha APIs).
 */
class BuiltInGroupsTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final List<String> VERSIONS =
      List.of("v1", "v2", "v1beta1", "v1beta2", "v1beta3", "v1alpha1");

  private static boolean modelled(String group, String kind) {
    for (String version : VERSIONS) {
      String apiVersion = group.isEmpty() ? version : group + "/" + version;
      if (SERIALIZATION.getRegisteredKubernetesResource(apiVersion, kind) != null) {
        return true;
      }
    }
    return false;
  }

  /** Whether the kind is served in a GA version ({@code v1}, {@code v2}) by a vendored release. */
  private static boolean generallyAvailable(String group, String kind) {
    ApiTypes.Type t = ApiTypes.builtIn().type(group, kind);
    return t != null && t.versions().keySet().stream().anyMatch(v -> v.matches("v\\d+"));
  }

  @Test
  void everyBuiltInKindIsServedInItsGroup() {
    assertThat(Kinds.builtInGroups()).isNotEmpty();
    assertThat(Kinds.builtInGroups())
        .containsEntry("Deployment", "apps")
        .containsEntry("FlowSchema", "flowcontrol.apiserver.k8s.io")
        .containsEntry("ValidatingWebhookConfiguration", "admissionregistration.k8s.io");
    Kinds.builtInGroups()
        .forEach(
            (kind, group) -> {
              if (generallyAvailable(group, kind)) {
                assertThat(modelled(group, kind)).as(kind + " in group " + group).isTrue();
              }
            });
    for (String core : List.of("ConfigMap", "Secret", "Service", "Namespace", "Pod")) {
      assertThat(Kinds.builtInGroup(core)).isEmpty();
      assertThat(modelled("", core)).as(core).isTrue();
    }
  }

  @Test
  void kindsOfSeveralGroupsAndCustomKindsHaveNoGroup() {
    assertThat(modelled("", "Event")).isTrue();
    assertThat(modelled("events.k8s.io", "Event")).isTrue();
    assertThat(Kinds.builtInGroup("Event")).isNull();
    assertThat(Kinds.builtInGroup("Certificate")).isNull();
    assertThat(Kinds.builtInGroup("ClusterPolicy")).isNull();
  }
}

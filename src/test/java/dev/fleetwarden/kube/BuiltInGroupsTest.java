package dev.fleetwarden.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.model.Kinds;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** fleetwarden's table of built-in kinds agrees with Fabric8's model of the Kubernetes API. */
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

  @Test
  void everyBuiltInKindIsServedInItsGroup() {
    assertThat(Kinds.builtInGroups()).isNotEmpty();
    Kinds.builtInGroups()
        .forEach(
            (kind, group) ->
                assertThat(modelled(group, kind)).as(kind + " in group " + group).isTrue());
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

package dev.fleetwarden.kube;

import static dev.fleetwarden.kube.TestObjects.clusterPolicy;
import static dev.fleetwarden.kube.TestObjects.configMap;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.model.ClusterStatus;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.ResourceId;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import org.junit.jupiter.api.Test;

class LiveStateTest {
  @Test
  void unknownStateHasNoObjectsAndJudgesNothing() {
    LiveState s = LiveState.unknown("c1", "connection refused");
    assertThat(s.isKnown()).isFalse();
    assertThat(s.objects()).isEmpty();
    assertThat(s.judgeable(List.of(configMap("c1", "a", "b", "c")))).isEmpty();
    assertThat(s.unknownStatus().status()).isEqualTo(ClusterStatus.UNKNOWN);
    assertThat(s.unknownStatus().reason()).isEqualTo("connection refused");
  }

  @Test
  void knownStateIndexesObjectsAndDropsUnservedKindsFromJudgement() {
    DesiredObject cm = configMap("c1", "ns", "cm", "v");
    DesiredObject policy = clusterPolicy("c1", "p");
    ObjectNode live = cm.manifest().deepCopy();
    ApiKind kyverno = ApiKind.of("kyverno.io/v1", "ClusterPolicy");
    LiveState s =
        LiveState.known(
            "c1",
            List.of(live, live.deepCopy()),
            List.of(new LiveFinding(kyverno, null, "not served")),
            Set.of(kyverno));

    assertThat(s.objects()).hasSize(1);
    assertThat(s.get(new ResourceId("other", "", "ConfigMap", "ns", "cm"))).isEqualTo(live);
    assertThat(s.isServed("kyverno.io/v1", "ClusterPolicy")).isFalse();
    assertThat(s.isServed("v1", "ConfigMap")).isTrue();
    assertThat(s.judgeable(List.of(cm, policy))).containsExactly(cm);
    assertThat(s.unknownStatus()).isNull();
  }

  @Test
  void unservedKindsAreKeyedByGroupAndKindLikeIds() {
    ApiKind oldDeployments = ApiKind.of("apps/v1beta1", "Deployment");
    ApiKind acm = ApiKind.of("acm.services.k8s.aws/v1alpha1", "Certificate");
    LiveState s = LiveState.known("c1", List.of(), List.of(), Set.of(oldDeployments, acm));

    assertThat(s.unservedGroupKinds())
        .containsExactly("Certificate.acm.services.k8s.aws", "Deployment.apps");
    assertThat(s.isServed("apps/v1", "Deployment"))
        .as("the version is not part of the key")
        .isFalse();
    assertThat(s.isServed("cert-manager.io/v1", "Certificate")).isTrue();
    assertThat(s.isServed("acm.services.k8s.aws/v1", "Certificate")).isFalse();
  }

  @Test
  void planListsEachKindOncePerNamespace() {
    SortedMap<ApiKind, SortedSet<String>> plan =
        Fabric8LiveStateReader.plan(
            List.of(
                configMap("c", "a", "x", "1"),
                configMap("c", "a", "y", "1"),
                configMap("c", "b", "z", "1"),
                clusterPolicy("c", "p")),
            List.of(ApiKind.of("apps/v1", "Deployment")));
    assertThat(plan.get(ApiKind.of("v1", "ConfigMap"))).containsExactly("a", "b");
    assertThat(plan.get(ApiKind.of("kyverno.io/v1", "ClusterPolicy"))).isEmpty();
    assertThat(plan.get(ApiKind.of("apps/v1", "Deployment"))).isEmpty();
    assertThat(plan).hasSize(3);
  }

  @Test
  void settingsRejectNonsense() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> KubeSettings.DEFAULTS.withReadParallelism(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(KubeSettings.DEFAULTS.readParallelism()).isEqualTo(4);
  }
}

package dev.fleetwarden.kube;

import static dev.fleetwarden.kube.TestObjects.clusterRole;
import static dev.fleetwarden.kube.TestObjects.configMap;
import static dev.fleetwarden.kube.TestObjects.deployment;
import static dev.fleetwarden.kube.TestObjects.namespace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.model.ResourceId;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchTargetTest {

  @Test
  void oneWatchPerKindAndNamespacePlusTheOwnershipLabelPerNamespacedKind() {
    var plan =
        WatchTarget.plan(
            List.of(
                namespace("c", "team-a"),
                configMap("c", "team-a", "settings", "x"),
                configMap("c", "team-b", "settings", "y"),
                deployment("c", "team-a", "web"),
                clusterRole("c", "reader")));

    assertThat(plan)
        .extracting(WatchTarget::describe)
        .containsExactlyInAnyOrder(
            "namespaces",
            "configmaps in namespace team-a",
            "configmaps in namespace team-b",
            "configmaps labelled fleetwarden.dev/addon",
            "deployments.apps in namespace team-a",
            "deployments.apps labelled fleetwarden.dev/addon",
            "clusterroles.rbac.authorization.k8s.io");
  }

  @Test
  void aWatchCoversTheObjectsOfItsKindAndNamespace() {
    WatchTarget cms = new WatchTarget(ApiKind.of("v1", "ConfigMap"), "team-a", false);
    WatchTarget owned = new WatchTarget(ApiKind.of("v1", "ConfigMap"), null, true);
    ResourceId inA = new ResourceId("c", "", "ConfigMap", "team-a", "x");
    ResourceId inB = new ResourceId("c", "", "ConfigMap", "team-b", "x");
    ResourceId secret = new ResourceId("c", "", "Secret", "team-a", "x");

    assertThat(cms.covers(inA)).isTrue();
    assertThat(cms.covers(inB)).isFalse();
    assertThat(cms.covers(secret)).isFalse();
    assertThat(owned.covers(inB)).isTrue();
  }
}

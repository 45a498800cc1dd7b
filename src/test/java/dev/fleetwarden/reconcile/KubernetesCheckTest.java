package dev.fleetwarden.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.fleetwarden.drift.SecretHasher;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.ClusterStatus;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.PartVerdict;
import dev.fleetwarden.model.Provenance;
import dev.fleetwarden.model.ResourceId;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Kinds the cluster does not serve are named as ids name them, and judged by group. */
class KubernetesCheckTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Fleet FLEET =
      new Fleet(null, null, new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
  private final KubernetesCheck check = new KubernetesCheck(new SecretHasher(new byte[32]));

  private static ObjectNode yaml(String text) throws Exception {
    return (ObjectNode) YAML.readTree(text);
  }

  private static DesiredObject desired(ObjectNode manifest) {
    return new DesiredObject(
        ResourceId.of("c", manifest), manifest, new Provenance("policies", "policies.yaml"));
  }

  @Test
  void objectsOfAnUnservedGroupKindAreNeitherMissingNorOrphans() throws Exception {
    DesiredObject policy =
        desired(
            yaml(
                "{apiVersion: kyverno.io/v1, kind: ClusterPolicy, metadata: {name: p, labels:"
                    + " {fleetwarden.dev/addon: policies}}}"));
    // a Deployment desired at a version the cluster no longer serves, live through apps/v1
    DesiredObject oldDeployment =
        desired(
            yaml(
                "{apiVersion: apps/v1beta1, kind: Deployment, metadata: {name: web, namespace: n,"
                    + " labels: {fleetwarden.dev/addon: policies}}, spec: {replicas: 2}}"));
    ObjectNode liveDeployment =
        yaml(
            "{apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: n, labels:"
                + " {fleetwarden.dev/addon: policies}}, spec: {replicas: 3}}");
    DesiredObject cm =
        desired(yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: s, namespace: n}}"));

    PartVerdict verdict =
        check.check(
            FLEET,
            ClusterRender.ok("c", List.of(policy, oldDeployment, cm)),
            new Observation(
                List.of(liveDeployment, cm.manifest()),
                Set.of("ClusterPolicy.kyverno.io", "Deployment.apps"),
                null),
            Set.of());

    assertThat(verdict.drifts()).isEmpty();
    assertThat(verdict.status().status()).isEqualTo(ClusterStatus.IN_SYNC);
    assertThat(verdict.status().reason())
        .isEqualTo(
            "not served by the cluster (CRD absent?): ClusterPolicy.kyverno.io, Deployment.apps");
  }

  @Test
  void anUnservedKindOfOneGroupLeavesTheSameKindOfAnotherGroupJudged() throws Exception {
    DesiredObject certManager =
        desired(
            yaml(
                "{apiVersion: cert-manager.io/v1, kind: Certificate, metadata: {name: tls,"
                    + " namespace: n}, spec: {secretName: tls}}"));
    DesiredObject acm =
        desired(
            yaml(
                "{apiVersion: acm.services.k8s.aws/v1alpha1, kind: Certificate, metadata: {name:"
                    + " tls, namespace: n}, spec: {domainName: a.example.org}}"));

    PartVerdict verdict =
        check.check(
            FLEET,
            ClusterRender.ok("c", List.of(certManager, acm)),
            new Observation(List.of(), Set.of("Certificate.acm.services.k8s.aws"), null),
            Set.of());

    assertThat(verdict.drifts())
        .extracting(d -> d.resource().toString() + " " + d.type().label())
        .containsExactly("c/Certificate.cert-manager.io/n/tls missing");
  }
}

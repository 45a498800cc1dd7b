package dev.fleetwarden.demo;

import static dev.fleetwarden.kube.TestObjects.desired;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.model.DesiredObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An embedded cluster fills in what a real cluster's allocators and controllers would, whoever
 * writes the object (a GitOps sync through Fabric8 or kubectl): Service addresses kept across
 * syncs, injected webhook CA bundles, aggregated ClusterRole rules that follow their component
 * roles.
 */
class ControllerFillsIT {
  @TempDir Path tmp;

  private static final DesiredObject SERVICE =
      desired(
          "c",
          "ingress",
          """
          apiVersion: v1
          kind: Service
          metadata: {name: ingress, namespace: ingress-system}
          spec:
            type: LoadBalancer
            selector: {app: ingress}
            ports: [{name: http, port: 80, targetPort: http}]
          """);
  private static final DesiredObject WEBHOOK =
      desired(
          "c",
          "cert-manager",
          """
          apiVersion: admissionregistration.k8s.io/v1
          kind: ValidatingWebhookConfiguration
          metadata:
            name: cert-manager-webhook
            annotations: {cert-manager.io/inject-ca-from-secret: cert-manager/ca}
          webhooks:
            - name: webhook.cert-manager.io
              admissionReviewVersions: [v1]
              sideEffects: None
              failurePolicy: Fail
              clientConfig: {service: {name: cert-manager-webhook, namespace: cert-manager}}
          """);
  private static final DesiredObject VIEW =
      desired(
          "c",
          "monitoring",
          """
          apiVersion: rbac.authorization.k8s.io/v1
          kind: ClusterRole
          metadata: {name: monitoring-view}
          aggregationRule:
            clusterRoleSelectors: [{matchLabels: {aggregate-to-monitoring-view: "true"}}]
          """);

  private static DesiredObject component(String verb) {
    return desired(
        "c",
        "monitoring",
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: monitoring-view-config
          labels: {aggregate-to-monitoring-view: "true"}
        rules: [{apiGroups: [""], resources: [configmaps], verbs: [%s]}]
        """
            .formatted(verb));
  }

  @Test
  void whatControllersFillIsThereAfterEverySync() throws Exception {
    try (EmbeddedFleet fleet = EmbeddedFleet.start(tmp.resolve("kubeconfig"), "c")) {
      fleet.apply("c", List.of(SERVICE, WEBHOOK, VIEW, component("get")));

      ObjectNode service = fleet.get("c", "v1", "Service", "ingress-system", "ingress");
      String ip = service.at("/spec/clusterIP").asText();
      int nodePort = service.at("/spec/ports/0/nodePort").asInt();
      assertThat(ip).startsWith("10.");
      assertThat(nodePort).isBetween(30000, 32767);
      ObjectNode webhook =
          fleet.get(
              "c",
              "admissionregistration.k8s.io/v1",
              "ValidatingWebhookConfiguration",
              null,
              "cert-manager-webhook");
      assertThat(webhook.at("/webhooks/0/clientConfig/caBundle").asText())
          .isEqualTo(ControllerFills.CA_BUNDLE);
      assertThat(webhook.at("/metadata/managedFields/0/manager").asText()).isEqualTo("cainjector");
      assertThat(rulesOf(fleet).at("/0/verbs/0").asText()).isEqualTo("get");

      // a sync replaces every object with what Git holds, which leaves all of that out
      fleet.apply("c", List.of(SERVICE, WEBHOOK, VIEW, component("watch")));

      service = fleet.get("c", "v1", "Service", "ingress-system", "ingress");
      assertThat(service.at("/spec/clusterIP").asText()).isEqualTo(ip);
      assertThat(service.at("/spec/ports/0/nodePort").asInt()).isEqualTo(nodePort);
      webhook =
          fleet.get(
              "c",
              "admissionregistration.k8s.io/v1",
              "ValidatingWebhookConfiguration",
              null,
              "cert-manager-webhook");
      assertThat(webhook.at("/webhooks/0/clientConfig/caBundle").asText())
          .isEqualTo(ControllerFills.CA_BUNDLE);
      assertThat(rulesOf(fleet).at("/0/verbs/0").asText())
          .as("the aggregated role follows its component")
          .isEqualTo("watch");

      fleet.delete(
          "c", "rbac.authorization.k8s.io/v1", "ClusterRole", null, "monitoring-view-config");
      assertThat(rulesOf(fleet)).isEmpty();
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode rulesOf(EmbeddedFleet fleet) {
    return fleet
        .get("c", "rbac.authorization.k8s.io/v1", "ClusterRole", null, "monitoring-view")
        .path("rules");
  }
}

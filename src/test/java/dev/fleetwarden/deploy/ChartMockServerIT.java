package dev.fleetwarden.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.deploy.DeployFiles.ValueSet;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rendered chart applied to a Fabric8 mock API server in CRUD mode, as {@code helm install}
 * would, then read back: every object is accepted and stored as rendered, and the references
 * between objects (service account, roles, config map, claim, Secrets) resolve on the server.
 */
class ChartMockServerIT {
  static final Set<String> CLUSTER_SCOPED =
      Set.of("ClusterRole", "ClusterRoleBinding", "Namespace");

  KubernetesMockServer server;
  KubernetesClient client;

  @BeforeEach
  void start() throws Exception {
    server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesMixedDispatcher(new HashMap<>()),
            false);
    server.init(InetAddress.getByName("127.0.0.1"), 0);
    client = server.createClient();
    for (String ns : List.of(DeployFiles.NAMESPACE, "fleet-system")) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.destroy();
    }
  }

  /** Custom resources the chart or deploy/ ships (the mock has no discovery for them). */
  static ResourceDefinitionContext crdContext(JsonNode o) {
    String kind = o.path("kind").asText();
    String[] gv = o.path("apiVersion").asText().split("/");
    return new ResourceDefinitionContext.Builder()
        .withGroup(gv[0])
        .withVersion(gv[1])
        .withKind(kind)
        .withPlural(kind.toLowerCase() + "s")
        .withNamespaced(true)
        .build();
  }

  static boolean isCustom(JsonNode o) {
    return o.path("apiVersion").asText().startsWith("monitoring.coreos.com/");
  }

  /** Creates the object and returns what the server stores, as a tree. */
  JsonNode apply(ObjectNode rendered) {
    String ns =
        CLUSTER_SCOPED.contains(rendered.path("kind").asText()) ? null : DeployFiles.NAMESPACE;
    if (isCustom(rendered)) {
      GenericKubernetesResource g =
          Serialization.unmarshal(rendered.toString(), GenericKubernetesResource.class);
      var op = client.genericKubernetesResources(crdContext(rendered)).inNamespace(ns);
      op.resource(g).create();
      return Serialization.jsonMapper().valueToTree(op.withName(g.getMetadata().getName()).get());
    }
    HasMetadata typed = Serialization.unmarshal(rendered.toString());
    assertThat(typed)
        .as(DeployFiles.id(rendered) + " is a known API type")
        .isNotInstanceOf(GenericKubernetesResource.class);
    var resource = ns == null ? client.resource(typed) : client.resource(typed).inNamespace(ns);
    resource.create();
    HasMetadata back = resource.get();
    assertThat(back).as(DeployFiles.id(rendered) + " stored").isNotNull();
    return Serialization.jsonMapper().valueToTree(back);
  }

  /** The rendered object as the typed model writes it (quantities, int-or-string normalized). */
  static JsonNode normalized(ObjectNode rendered) {
    if (isCustom(rendered)) {
      return rendered;
    }
    return Serialization.jsonMapper().valueToTree(Serialization.unmarshal(rendered.toString()));
  }

  @ParameterizedTest
  @EnumSource(ValueSet.class)
  void everyRenderedObjectIsStoredAsRenderedAndItsReferencesResolve(ValueSet set) {
    List<ObjectNode> objects = DeployFiles.render(set);
    for (ObjectNode o : objects) {
      JsonNode stored = apply(o);
      JsonNode expected = normalized(o);
      for (String field : List.of("spec", "data", "rules", "roleRef", "subjects")) {
        if (expected.has(field)) {
          assertThat(stored.get(field))
              .as(DeployFiles.id(o) + " " + field)
              .isEqualTo(expected.get(field));
        }
      }
      assertThat(stored.path("metadata").path("labels"))
          .isEqualTo(expected.path("metadata").path("labels"));
      assertThat(stored.path("metadata").path("uid").asText()).isNotEmpty();
    }

    String ns = DeployFiles.NAMESPACE;
    Deployment d = client.apps().deployments().inNamespace(ns).list().getItems().get(0);
    var pod = d.getSpec().getTemplate().getSpec();
    assertThat(client.serviceAccounts().inNamespace(ns).withName(pod.getServiceAccountName()).get())
        .isNotNull();

    // the platform labels select the workload on the server
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(ns)
                .withLabel("platform.myorg.io/team", "platform")
                .withLabel("platform.myorg.io/cost-center", "cc-platform")
                .list()
                .getItems())
        .hasSize(1);
    // the service, PDB and NetworkPolicy select the pods the Deployment creates
    Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
    assertThat(podLabels)
        .containsAllEntriesOf(
            client.services().inNamespace(ns).list().getItems().get(0).getSpec().getSelector());
    assertThat(podLabels)
        .containsAllEntriesOf(
            client
                .policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace(ns)
                .list()
                .getItems()
                .get(0)
                .getSpec()
                .getSelector()
                .getMatchLabels());
    assertThat(podLabels)
        .containsAllEntriesOf(
            client
                .network()
                .v1()
                .networkPolicies()
                .inNamespace(ns)
                .list()
                .getItems()
                .get(0)
                .getSpec()
                .getPodSelector()
                .getMatchLabels());

    // bindings name roles that exist, with read verbs only
    for (ClusterRoleBinding b : client.rbac().clusterRoleBindings().list().getItems()) {
      var role = client.rbac().clusterRoles().withName(b.getRoleRef().getName()).get();
      assertThat(role).as(b.getMetadata().getName()).isNotNull();
      assertReadOnly(role.getRules());
      assertThat(b.getSubjects().get(0).getName()).isEqualTo(pod.getServiceAccountName());
    }
    for (RoleBinding b : client.rbac().roleBindings().inAnyNamespace().list().getItems()) {
      var role =
          client
              .rbac()
              .roles()
              .inNamespace(b.getMetadata().getNamespace())
              .withName(b.getRoleRef().getName())
              .get();
      assertThat(role).as(b.getMetadata().getName()).isNotNull();
      assertReadOnly(role.getRules());
    }

    // volumes: the config map holds every mapped key, the claim exists
    var configMaps = client.configMaps().inNamespace(ns);
    for (Volume v : pod.getVolumes()) {
      if (v.getConfigMap() != null) {
        var cm = configMaps.withName(v.getConfigMap().getName()).get();
        assertThat(cm).isNotNull();
        v.getConfigMap().getItems().forEach(i -> assertThat(cm.getData()).containsKey(i.getKey()));
      }
      if (v.getPersistentVolumeClaim() != null) {
        assertThat(
                client
                    .persistentVolumeClaims()
                    .inNamespace(ns)
                    .withName(v.getPersistentVolumeClaim().getClaimName())
                    .get())
            .isNotNull();
      }
    }

    // the platform team creates the referenced Secrets; the chart created none of them
    assertThat(client.secrets().inNamespace(ns).list().getItems()).isEmpty();
    List<String> missing = new ArrayList<>();
    for (Volume v : pod.getVolumes()) {
      if (v.getSecret() != null) {
        String name = v.getSecret().getSecretName();
        if (client.secrets().inNamespace(ns).withName(name).get() == null) {
          var b = new SecretBuilder().withNewMetadata().withName(name).endMetadata();
          v.getSecret()
              .getItems()
              .forEach(
                  i ->
                      b.addToData(
                          i.getKey(),
                          java.util.Base64.getEncoder()
                              .encodeToString("set-by-the-platform-team".getBytes())));
          client.secrets().inNamespace(ns).resource(b.build()).create();
          missing.add(name);
        }
        var secret = client.secrets().inNamespace(ns).withName(name).get();
        v.getSecret().getItems().forEach(i -> assertThat(secret.getData()).containsKey(i.getKey()));
      }
    }
    assertThat(missing)
        .as("Secrets the operator must create")
        .contains("fleetwarden-slack", "fleetwarden-github", "fleetwarden-webhook");
    if (set == ValueSet.CLUSTERED) {
      assertThat(missing).contains("fleetwarden-database");
      var sm =
          client
              .genericKubernetesResources(crdContext(DeployFiles.single(objects, "ServiceMonitor")))
              .inNamespace(ns)
              .list()
              .getItems();
      assertThat(sm).hasSize(1);
    }
  }

  static void assertReadOnly(List<PolicyRule> rules) {
    for (PolicyRule r : rules) {
      assertThat(r.getVerbs()).isSubsetOf("get", "list", "watch");
    }
  }

  @Test
  void thePrometheusRuleIsAcceptedAsAMonitoringResource() {
    for (ObjectNode o :
        DeployFiles.readYamlFile(DeployFiles.deployDir().resolve("prometheus-rule.yaml"))) {
      JsonNode stored = apply(o);
      assertThat(stored.path("spec")).isEqualTo(o.path("spec"));
    }
    var rules =
        client
            .genericKubernetesResources(
                crdContext(
                    DeployFiles.readYamlFile(
                            DeployFiles.deployDir().resolve("prometheus-rule.yaml"))
                        .get(0)))
            .inNamespace(DeployFiles.NAMESPACE)
            .withLabel("app.kubernetes.io/name", "fleetwarden")
            .list()
            .getItems();
    assertThat(rules).hasSize(1);
  }
}

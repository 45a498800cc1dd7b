package dev.fleetwarden.kube;

import static dev.fleetwarden.kube.TestObjects.clusterPolicy;
import static dev.fleetwarden.kube.TestObjects.clusterRole;
import static dev.fleetwarden.kube.TestObjects.configMap;
import static dev.fleetwarden.kube.TestObjects.deployment;
import static dev.fleetwarden.kube.TestObjects.namespace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.demo.EmbeddedFleet;
import dev.fleetwarden.demo.FaultyFleet;
import dev.fleetwarden.fleet.Connection;
import dev.fleetwarden.model.ApiTypes;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.ResourceId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three embedded clusters read through the generated kubeconfig, with faults switched on. */
class LiveStateReaderIT {
  private static final List<String> CLUSTERS = List.of("alpha", "beta", "gamma");

  @TempDir Path dir;
  private EmbeddedFleet fleet;
  private ClusterClients clients;
  private Fabric8LiveStateReader reader;

  @BeforeEach
  void start() {
    fleet = FaultyFleet.start(dir.resolve("kubeconfig"), CLUSTERS.toArray(String[]::new));
    Map<String, Connection> connections = new LinkedHashMap<>();
    CLUSTERS.forEach(c -> connections.put(c, Connection.context(c)));
    KubeSettings settings =
        KubeSettings.DEFAULTS
            .withConnectTimeout(Duration.ofSeconds(2))
            .withRequestTimeout(Duration.ofSeconds(2))
            .withRetries(1, Duration.ofMillis(100));
    clients = new ClusterClients(connections, null, fleet.kubeconfigPath(), settings);
    reader = new Fabric8LiveStateReader(clients);
  }

  @AfterEach
  void stop() {
    clients.close();
    fleet.close();
  }

  private static List<DesiredObject> desiredOf(String cluster) {
    return List.of(
        namespace(cluster, "team-a"),
        configMap(cluster, "team-a", "settings", cluster + "-a"),
        configMap(cluster, "team-b", "settings", cluster + "-b"),
        deployment(cluster, "team-a", "web"),
        clusterRole(cluster, "reader"));
  }

  @Test
  void readsWhatWasAppliedOnEveryClusterThroughTheKubeconfig() {
    Map<String, List<DesiredObject>> desired = new LinkedHashMap<>();
    for (String c : CLUSTERS) {
      desired.put(c, desiredOf(c));
      EmbeddedFleet.ApplyResult result = fleet.apply(c, desiredOf(c));
      // team-b is created implicitly before its ConfigMap.
      assertThat(result.created()).isEqualTo(6);
    }

    Map<String, LiveState> states = reader.readAll(desired);

    assertThat(states).containsOnlyKeys(CLUSTERS);
    for (String c : CLUSTERS) {
      LiveState s = states.get(c);
      assertThat(s.isKnown()).as(s.toString()).isTrue();
      for (DesiredObject d : desired.get(c)) {
        assertThat(s.get(d.id())).as("%s read back", d.id()).isNotNull();
      }
      ObjectNode cm = s.get(new ResourceId(c, "", "ConfigMap", "team-b", "settings"));
      assertThat(cm.path("data").path("key").asText()).isEqualTo(c + "-b");
      assertThat(cm.path("apiVersion").asText()).isEqualTo("v1");
      assertThat(cm.path("metadata").path("uid").asText()).isNotEmpty();
      ObjectNode role =
          s.get(new ResourceId(c, "rbac.authorization.k8s.io", "ClusterRole", null, "reader"));
      assertThat(role.path("rules").get(0).path("verbs").toString()).contains("list");
      assertThat(s.findings()).isEmpty();
    }
  }

  @Test
  void listsPerKindAndNamespaceNotPerObject() {
    List<DesiredObject> many = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      many.add(configMap("alpha", i % 2 == 0 ? "ns-even" : "ns-odd", "cm-" + i, "v" + i));
    }
    fleet.apply("alpha", many);
    int before = fleet.requestCount("alpha");

    LiveState s = reader.read("alpha", many);

    assertThat(s.ids()).hasSize(40);
    // two namespaces + one labelled cluster-wide list for orphans
    assertThat(fleet.requestCount("alpha") - before).isEqualTo(3);
  }

  @Test
  void findsObjectsCarryingTheOwnershipLabelOutsideTheDesiredState() {
    fleet.apply("alpha", List.of(configMap("alpha", "team-a", "kept", "1")));
    fleet.apply("alpha", List.of(configMap("alpha", "legacy", "forgotten", "2")));
    fleet.apply(
        "alpha",
        List.of(
            TestObjects.desired(
                "alpha",
                null,
                """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: unrelated, namespace: legacy}
                data: {x: y}
                """)));

    LiveState s = reader.read("alpha", List.of(configMap("alpha", "team-a", "kept", "1")));

    assertThat(s.ids())
        .containsExactly(
            new ResourceId("alpha", "", "ConfigMap", "legacy", "forgotten"),
            new ResourceId("alpha", "", "ConfigMap", "team-a", "kept"));
  }

  @Test
  void stoppedClusterIsUnknownQuicklyWhileOthersAreRead() {
    Map<String, List<DesiredObject>> desired = new LinkedHashMap<>();
    for (String c : CLUSTERS) {
      fleet.apply(c, desiredOf(c));
      desired.put(c, desiredOf(c));
    }
    fleet.stop("beta");

    long start = System.nanoTime();
    Map<String, LiveState> states = reader.readAll(desired);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(took).isLessThan(Duration.ofSeconds(10));
    assertThat(states.get("beta").isKnown()).isFalse();
    assertThat(states.get("beta").unknownReason()).contains("beta").containsIgnoringCase("refused");
    assertThat(states.get("beta").objects()).isEmpty();
    assertThat(states.get("beta").judgeable(desired.get("beta"))).isEmpty();
    assertThat(states.get("alpha").isKnown()).isTrue();
    for (DesiredObject d : desired.get("gamma")) {
      assertThat(states.get("gamma").get(d.id())).isNotNull();
    }
  }

  @Test
  void forbiddenAndUnauthorizedMakeTheClusterUnknown() {
    fleet.apply("alpha", desiredOf("alpha"));
    FaultyFleet.failRequests(fleet, "alpha", 403);
    LiveState forbidden = reader.read("alpha", desiredOf("alpha"));
    assertThat(forbidden.isKnown()).isFalse();
    assertThat(forbidden.unknownReason()).contains("403").contains("alpha");

    FaultyFleet.failRequests(fleet, "alpha", 401);
    assertThat(reader.read("alpha", desiredOf("alpha")).unknownReason()).contains("401");

    FaultyFleet.failRequests(fleet, "alpha", 0);
    assertThat(reader.read("alpha", desiredOf("alpha")).isKnown()).isTrue();
  }

  @Test
  void slowClusterTimesOutAsUnknown() {
    fleet.apply("gamma", desiredOf("gamma"));
    FaultyFleet.delayResponses(fleet, "gamma", Duration.ofSeconds(5));

    long start = System.nanoTime();
    LiveState s = reader.read("gamma", desiredOf("gamma"));

    assertThat(s.isKnown()).isFalse();
    assertThat(s.unknownReason()).containsIgnoringCase("timed out");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
  }

  @Test
  void customKindWithoutObjectsIsEmptyButWithoutCrdIsAFinding() {
    DesiredObject policyAlpha = clusterPolicy("alpha", "require-team-label");
    DesiredObject policyBeta = clusterPolicy("beta", "require-team-label");
    // alpha has the CRD (applied with another policy), but not the desired object
    fleet.apply("alpha", List.of(clusterPolicy("alpha", "something-else")));
    fleet.delete("alpha", "kyverno.io/v1", "ClusterPolicy", null, "something-else");
    fleet.apply("beta", List.of(configMap("beta", "team-a", "settings", "x")));

    LiveState alpha = reader.read("alpha", List.of(policyAlpha));
    LiveState beta =
        reader.read("beta", List.of(policyBeta, configMap("beta", "team-a", "settings", "x")));

    assertThat(alpha.isKnown()).isTrue();
    assertThat(alpha.findings()).isEmpty();
    assertThat(alpha.get(policyAlpha.id())).isNull();
    assertThat(alpha.judgeable(List.of(policyAlpha))).containsExactly(policyAlpha);

    assertThat(beta.isKnown()).isTrue();
    assertThat(beta.findings())
        .extracting(LiveFinding::message)
        .containsExactly(
            "kind ClusterPolicy (kyverno.io/v1) is not served by the cluster: CRD absent; its"
                + " desired objects are not checked");
    assertThat(beta.isServed("kyverno.io/v1", "ClusterPolicy")).isFalse();
    assertThat(beta.judgeable(List.of(policyBeta))).isEmpty();
    assertThat(beta.ids())
        .containsExactly(new ResourceId("beta", "", "ConfigMap", "team-a", "settings"));
  }

  @Test
  void aCustomResourcesCrdIsReadForItsScopeAndKeys() {
    DesiredObject gateway =
        TestObjects.desired(
            "alpha",
            "gateways",
            """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: public, namespace: edge, labels: {fleetwarden.dev/addon: gateways}}
            spec:
              gatewayClassName: envoy
              listeners: [{name: http, port: 80, protocol: HTTP}]
            """);
    DesiredObject crd =
        TestObjects.desired(
            "alpha",
            "gateways",
            """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: gateways.gateway.networking.k8s.io}
            spec:
              group: gateway.networking.k8s.io
              scope: Namespaced
              names: {kind: Gateway, plural: gateways}
              versions:
                - name: v1
                  served: true
                  storage: true
                  schema:
                    openAPIV3Schema:
                      type: object
                      properties:
                        spec:
                          type: object
                          properties:
                            listeners:
                              type: array
                              x-kubernetes-list-type: map
                              x-kubernetes-list-map-keys: [name]
                              items: {type: object, x-kubernetes-preserve-unknown-fields: true}
            """);
    // the CRD was installed outside the fleet: the desired state holds only the Gateway
    fleet.apply("alpha", List.of(crd, gateway));

    LiveState s = reader.read("alpha", List.of(gateway));

    assertThat(s.isKnown()).as(s.toString()).isTrue();
    assertThat(s.get(gateway.id())).isNotNull();
    assertThat(s.crds())
        .extracting(c -> c.path("metadata").path("name").asText())
        .containsExactly("gateways.gateway.networking.k8s.io");
    ApiTypes types = ApiTypes.builtIn().withCrds(s.crds());
    assertThat(
            types
                .schema("gateway.networking.k8s.io/v1", "Gateway")
                .field("spec")
                .field("listeners")
                .listKey()
                .fields())
        .containsExactly("name");
    assertThat(reader.crds("alpha"))
        .extracting(c -> c.path("metadata").path("name").asText())
        .contains("gateways.gateway.networking.k8s.io");
  }

  @Test
  void aRefusedCrdReadLeavesTheClusterKnown() {
    DesiredObject policy = clusterPolicy("alpha", "require-team-label");
    fleet.apply("alpha", List.of(policy));
    FaultyFleet.failRequests(
        fleet, "alpha", 403, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions");

    LiveState s = reader.read("alpha", List.of(policy));

    assertThat(s.isKnown()).as(s.toString()).isTrue();
    assertThat(s.crds()).isEmpty();
    assertThat(s.get(policy.id())).as("listed with the scope it was rendered with").isNotNull();
    assertThatThrownBy(() -> reader.crds("alpha"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("403")
        .hasMessageContaining("alpha");
  }

  @Test
  void extraOrphanKindsAreScannedByLabel() {
    fleet.apply("alpha", List.of(deployment("alpha", "old", "retired")));

    LiveState s =
        reader.read(
            "alpha",
            List.of(configMap("alpha", "team-a", "x", "1")),
            List.of(ApiKind.of("apps/v1", "Deployment")));

    assertThat(s.ids()).contains(new ResourceId("alpha", "apps", "Deployment", "old", "retired"));
  }

  @Test
  void unknownClusterNameIsUnknownNotACrash() {
    LiveState s = reader.read("nowhere", List.of(configMap("nowhere", "a", "b", "c")));
    assertThat(s.isKnown()).isFalse();
    assertThat(s.unknownReason()).contains("nowhere");
  }
}

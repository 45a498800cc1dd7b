package dev.fleetwarden.kube;

import static dev.fleetwarden.kube.TestObjects.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetwarden.demo.EmbeddedFleet;
import dev.fleetwarden.fleet.Connection;
import dev.fleetwarden.model.ResourceId;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connecting to clusters: kubeconfig contexts, kubeconfig Secrets in the management cluster. */
class ClusterClientsIT {
  private static final String MARKER = "tok-3f9a1c7e-not-for-logs";

  @TempDir Path dir;
  private EmbeddedFleet fleet;

  @BeforeEach
  void start() {
    fleet =
        EmbeddedFleet.builder(dir.resolve("kube/config"))
            .cluster("mgmt")
            .cluster("w1")
            .cluster("w2", "w2-admin")
            .kubeconfigSecret("mgmt", "w1", "fleet-system", null, null)
            .start();
  }

  @AfterEach
  void stop() {
    fleet.close();
  }

  /** The allow-list these tests use: every Secret they name. */
  private static final KubeSettings ALLOWED =
      KubeSettings.DEFAULTS.withKubeconfigPolicy(
          KubeconfigPolicy.DEFAULT.allowingSecrets(
              List.of("fleet-system/w1-kubeconfig", "fleet-system/nope", "fleet-system/broken")));

  /** Vert.x instances running: each has one blocked-thread checker. */
  private static int vertxInstances() {
    return (int)
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().equals("vertx-blocked-thread-checker"))
            .count();
  }

  private static Connection secret(String ns, String name, String key) {
    return new Connection(Connection.Type.KUBECONFIG_SECRET, null, ns, name, key);
  }

  @Test
  void workloadClusterIsReachedThroughItsSecretInTheManagementCluster() {
    fleet.apply("w1", List.of(configMap("w1", "apps", "settings", "from-w1")));
    Map<String, Connection> connections =
        Map.of(
            "mgmt", Connection.context("mgmt"),
            "w1", secret("fleet-system", "w1-kubeconfig", "value"),
            "w2", Connection.context("w2-admin"));
    int vertxBefore = vertxInstances();
    try (ClusterClients clients =
        new ClusterClients(connections, "mgmt", fleet.kubeconfigPath(), ALLOWED)) {
      KubernetesClient w1 = clients.client("w1");
      assertThat(w1.getConfiguration().getMasterUrl()).startsWith(fleet.serverUrl("w1"));
      assertThat(clients.client("w2").getConfiguration().getMasterUrl())
          .startsWith(fleet.serverUrl("w2"));
      assertThat(clients.client("w1")).isSameAs(w1);
      // One Jackson mapper and one Vert.x instance for the fleet, not one per cluster.
      assertThat(clients.client("w2").getKubernetesSerialization())
          .isSameAs(w1.getKubernetesSerialization());
      assertThat(vertxInstances())
          .as("three clients, one Vert.x")
          .isLessThanOrEqualTo(vertxBefore + 1);

      LiveState s =
          new Fabric8LiveStateReader(clients)
              .read("w1", List.of(configMap("w1", "apps", "settings", "from-w1")));
      assertThat(s.get(new ResourceId("w1", "", "ConfigMap", "apps", "settings")).path("data"))
          .hasToString("{\"key\":\"from-w1\"}");
    }
  }

  @Test
  void missingSecretOrKeyIsAClearErrorAndUnknownState() {
    Map<String, Connection> connections =
        Map.of(
            "mgmt", Connection.context("mgmt"),
            "w1", secret("fleet-system", "nope", "value"),
            "w2", secret("fleet-system", "w1-kubeconfig", "other-key"));
    try (ClusterClients clients =
        new ClusterClients(connections, "mgmt", fleet.kubeconfigPath(), ALLOWED)) {
      assertThatThrownBy(() -> clients.client("w1"))
          .isInstanceOf(KubeAccessException.class)
          .hasMessageContaining("Secret fleet-system/nope")
          .hasMessageContaining("management cluster mgmt");
      assertThatThrownBy(() -> clients.client("w2"))
          .isInstanceOf(KubeAccessException.class)
          .hasMessageContaining("no key 'other-key'");
      LiveState s = new Fabric8LiveStateReader(clients).read("w1", List.of());
      assertThat(s.isKnown()).isFalse();
      assertThat(s.unknownReason()).contains("fleet-system/nope");
    }
  }

  @Test
  void brokenKubeconfigInASecretNeverLeaksItsContents() {
    String garbage = "apiVersion: v1\nusers: [{name: x, user: {token: " + MARKER + "}\n  : : [";
    fleet
        .client("mgmt")
        .secrets()
        .inNamespace("fleet-system")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("broken")
                .withNamespace("fleet-system")
                .endMetadata()
                .addToData(
                    "value",
                    Base64.getEncoder().encodeToString(garbage.getBytes(StandardCharsets.UTF_8)))
                .build())
        .create();
    Map<String, Connection> connections =
        Map.of("mgmt", Connection.context("mgmt"), "w1", secret("fleet-system", "broken", "value"));
    try (ClusterClients clients =
        new ClusterClients(connections, "mgmt", fleet.kubeconfigPath(), ALLOWED)) {
      Throwable thrown = catchAll(() -> clients.client("w1"));
      assertThat(thrown).isInstanceOf(KubeAccessException.class);
      for (Throwable t = thrown; t != null; t = t.getCause()) {
        assertThat(String.valueOf(t.getMessage())).doesNotContain(MARKER);
      }
      assertThat(thrown.getMessage()).contains("fleet-system/broken").contains("valid kubeconfig");
    }
  }

  @Test
  void anUnreachableManagementClusterIsNamedAsTheReasonOfTheClustersItHoldsSecretsFor() {
    Map<String, Connection> connections =
        Map.of(
            "mgmt", Connection.context("no-such-context"),
            "w1", secret("fleet-system", "w1-kubeconfig", "value"));
    try (ClusterClients clients =
        new ClusterClients(connections, "mgmt", fleet.kubeconfigPath(), ALLOWED)) {
      assertThatThrownBy(() -> clients.client("w1"))
          .isInstanceOf(KubeAccessException.class)
          .hasMessageStartingWith(
              "its kubeconfig is Secret fleet-system/w1-kubeconfig on management cluster mgmt,"
                  + " which cannot be reached: ")
          .hasMessageContaining("context 'no-such-context'");
    }
  }

  @Test
  void unknownContextNamesTheKubeconfig() {
    Map<String, Connection> connections = Map.of("w3", Connection.context("w3"));
    try (ClusterClients clients =
        new ClusterClients(connections, null, fleet.kubeconfigPath(), KubeSettings.DEFAULTS)) {
      assertThatThrownBy(() -> clients.client("w3"))
          .isInstanceOf(KubeAccessException.class)
          .hasMessageContaining("context 'w3'")
          .hasMessageContaining(fleet.kubeconfigPath().toString());
    }
  }

  @Test
  void timeoutsAndRateLimitReachTheClientConfig() throws Exception {
    KubeSettings settings =
        KubeSettings.DEFAULTS
            .withConnectTimeout(Duration.ofMillis(1500))
            .withRequestTimeout(Duration.ofSeconds(7))
            .withRateLimit(5, 3)
            .withRetries(2, Duration.ofMillis(50));
    try (ClusterClients clients =
        new ClusterClients(
            Map.of("mgmt", Connection.context("mgmt")), null, fleet.kubeconfigPath(), settings)) {
      Config config = clients.client("mgmt").getConfiguration();
      assertThat(config.getConnectionTimeout()).isEqualTo(1500);
      assertThat(config.getRequestTimeout()).isEqualTo(7000);
      assertThat(config.getMaxConcurrentRequests()).isEqualTo(5);
      assertThat(config.getMaxConcurrentRequestsPerHost()).isEqualTo(3);
      assertThat(config.getRequestRetryBackoffLimit()).isEqualTo(2);
      assertThat(config.getRequestRetryBackoffInterval()).isEqualTo(50);
      assertThat(clients.client("mgmt").getHttpClient().getClass().getName()).contains("vertx");
    }
    assertThat(Files.readString(fleet.kubeconfigPath()))
        .contains("name: w2-admin")
        .contains(fleet.serverUrl("w2"));
  }

  @Test
  void closedClientsRefuseNewWork() {
    ClusterClients clients =
        new ClusterClients(
            Map.of("mgmt", Connection.context("mgmt")),
            null,
            fleet.kubeconfigPath(),
            KubeSettings.DEFAULTS);
    clients.client("mgmt");
    clients.close();
    assertThatThrownBy(() -> clients.client("mgmt")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void inClusterOutsideAPodSaysSo() {
    Assumptions.assumeTrue(
        System.getenv("KUBERNETES_SERVICE_HOST") == null,
        "this test checks the error outside a pod, but KUBERNETES_SERVICE_HOST is set");
    try (ClusterClients clients =
        new ClusterClients(
            Map.of("self", new Connection(Connection.Type.IN_CLUSTER, null, null, null, null)),
            null,
            null,
            KubeSettings.DEFAULTS)) {
      assertThatThrownBy(() -> clients.client("self"))
          .isInstanceOf(KubeAccessException.class)
          .hasMessageContaining("KUBERNETES_SERVICE_HOST");
    }
  }

  private static Throwable catchAll(Runnable r) {
    try {
      r.run();
      return null;
    } catch (Throwable t) {
      return t;
    }
  }
}

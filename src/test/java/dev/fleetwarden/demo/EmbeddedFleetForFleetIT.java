package dev.fleetwarden.demo;

import static dev.fleetwarden.kube.TestObjects.configMap;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.kube.ClusterClients;
import dev.fleetwarden.kube.Fabric8LiveStateReader;
import dev.fleetwarden.kube.KubeSettings;
import dev.fleetwarden.kube.KubeconfigPolicy;
import dev.fleetwarden.kube.LiveState;
import dev.fleetwarden.model.ResourceId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fleet repo's clusters started as embedded clusters and reached as the repo says. */
class EmbeddedFleetForFleetIT {
  @TempDir Path repo;
  @TempDir Path work;

  @Test
  void managementHoldsTheKubeconfigSecretsOfSecretConnectedClusters() throws Exception {
    write("fleet.yaml", "kind: Fleet\nmetadata: {name: tiny}\nspec: {}\n");
    write("environments/dev.yaml", "kind: Environment\nmetadata: {name: dev}\nspec: {}\n");
    write(
        "clusters/mgmt/cluster.yaml",
        "kind: Cluster\nmetadata: {name: mgmt}\nspec: {role: management, environment: dev}\n");
    write(
        "clusters/w1/cluster.yaml",
        """
        kind: Cluster
        metadata: {name: w1}
        spec:
          role: workload
          environment: dev
          connection:
            type: kubeconfig-secret
            secretRef: {namespace: fleet-system}
        """);
    write(
        "clusters/w2/cluster.yaml",
        """
        kind: Cluster
        metadata: {name: w2}
        spec:
          role: workload
          environment: dev
          connection: {type: kubeconfig-context, context: w2-ctx}
        """);
    Fleet fleet = FleetLoader.load(repo);

    try (EmbeddedFleet embedded = EmbeddedFleet.forFleet(fleet, work.resolve("kubeconfig"));
        ClusterClients clients =
            ClusterClients.forFleet(
                fleet,
                embedded.kubeconfigPath(),
                KubeSettings.DEFAULTS.withKubeconfigPolicy(
                    KubeconfigPolicy.DEFAULT.allowingSecrets(embedded.kubeconfigSecrets())))) {
      assertThat(embedded.clusters()).containsExactly("mgmt", "w1", "w2");
      assertThat(embedded.kubeconfigSecrets()).containsExactly("fleet-system/w1-kubeconfig");
      assertThat(
              embedded
                  .client("mgmt")
                  .secrets()
                  .inNamespace("fleet-system")
                  .withName("w1-kubeconfig")
                  .get()
                  .getData())
          .containsKey("value");
      embedded.apply("w1", List.of(configMap("w1", "apps", "one", "1")));
      embedded.apply("w2", List.of(configMap("w2", "apps", "two", "2")));

      Map<String, LiveState> states =
          new Fabric8LiveStateReader(clients)
              .readAll(
                  Map.of(
                      "w1", List.of(configMap("w1", "apps", "one", "1")),
                      "w2", List.of(configMap("w2", "apps", "two", "2"))));

      assertThat(states.get("w1").get(new ResourceId("w1", "", "ConfigMap", "apps", "one")))
          .isNotNull();
      assertThat(states.get("w2").get(new ResourceId("w2", "", "ConfigMap", "apps", "two")))
          .isNotNull();
      assertThat(clients.client("w1").getConfiguration().getMasterUrl())
          .startsWith(embedded.serverUrl("w1"));
    }
  }

  private void write(String path, String text) throws Exception {
    Path p = repo.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, "apiVersion: " + FleetLoader.API_VERSION + "\n" + text);
  }
}

package dev.fleetwarden.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A chart version is a value like any other for the blast radius of a commit. */
class ChartVersionImpactTest {
  @TempDir java.nio.file.Path dir;

  private Fleet load(String name, String clusterVersion, String envVersion, String lockDigit)
      throws Exception {
    FleetFixture f =
        new FleetFixture(dir.resolve(name))
            .write(
                "addons/exporter/addon.yaml",
                """
                apiVersion: fleetwarden.dev/v1alpha1
                kind: Addon
                metadata:
                  name: exporter
                spec:
                  namespace: monitoring
                  source:
                    helm: {repository: https://charts.example.org/p, chart: exporter, version: 1.0.0}
                  clusterSelector: {role: workload}
                """)
            .write(
                "environments/prod.yaml",
                """
                apiVersion: fleetwarden.dev/v1alpha1
                kind: Environment
                metadata:
                  name: prod
                spec:
                  chartVersions: {exporter: %s}
                """
                    .formatted(envVersion))
            .write(
                "clusters/prod-1/cluster.yaml",
                """
                apiVersion: fleetwarden.dev/v1alpha1
                kind: Cluster
                metadata:
                  name: prod-1
                spec:
                  role: workload
                  environment: prod
                  addons:
                    - {name: exporter, chartVersion: %s}
                """
                    .formatted(clusterVersion))
            .write(
                "clusters/prod-2/cluster.yaml",
                """
                apiVersion: fleetwarden.dev/v1alpha1
                kind: Cluster
                metadata:
                  name: prod-2
                spec:
                  role: workload
                  environment: prod
                """)
            .write(
                "fleet.lock",
                "apiVersion: fleetwarden.dev/v1alpha1\nkind: ChartLock\ncharts: []\n# "
                    + lockDigit
                    + "\n");
    return FleetLoader.load(f.root);
  }

  @Test
  void aClusterVersionChangeAffectsThatCluster() throws Exception {
    Fleet before = load("a", "1.2.0", "1.1.0", "0");
    Fleet after = load("b", "1.3.0", "1.1.0", "0");
    ChangeImpact.Impact impact =
        ChangeImpact.analyze(before, after, List.of("clusters/prod-1/cluster.yaml"));
    assertThat(impact.kubernetes()).containsExactly("prod-1");
  }

  @Test
  void anEnvironmentVersionChangeAffectsItsClusters() throws Exception {
    Fleet before = load("a", "1.2.0", "1.1.0", "0");
    Fleet after = load("b", "1.2.0", "1.4.0", "0");
    assertThat(ChangeImpact.analyze(before, after, List.of("environments/prod.yaml")).kubernetes())
        .containsExactly("mgmt", "prod-1", "prod-2");
  }

  @Test
  void aLockChangeAffectsTheClustersRunningRemoteCharts() throws Exception {
    Fleet before = load("a", "1.2.0", "1.1.0", "0");
    Fleet after = load("b", "1.2.0", "1.1.0", "1");
    assertThat(ChangeImpact.analyze(before, after, List.of("fleet.lock")).kubernetes())
        .containsExactly("prod-1", "prod-2");
  }
}

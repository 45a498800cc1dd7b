package dev.fleetwarden.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blast radius of fleet changes, on fleets loaded from small repos written here: a management
 * cluster and three workload clusters in two environments, three add-ons (one selected by role, one
 * by environment, one whose manifests live outside its add-on directory).
 */
class ChangeImpactTest {
  @TempDir Path tmp;
  Map<String, String> files;

  @BeforeEach
  void baseFleet() {
    files = new TreeMap<>();
    files.put(
        "fleet.yaml",
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Fleet
        metadata: {name: test}
        spec:
          defaults: {kubeVersion: "1.30.0"}
        """);
    files.put("environments/dev.yaml", env("dev"));
    files.put("environments/prod.yaml", env("prod"));
    files.put("clusters/mgmt/cluster.yaml", cluster("mgmt", "management", "prod", "", ""));
    files.put("clusters/dev-1/cluster.yaml", cluster("dev-1", "workload", "dev", "", ""));
    files.put(
        "clusters/prod-1/cluster.yaml",
        cluster(
            "prod-1",
            "workload",
            "prod",
            """
              infrastructure:
                region: eu-west-1
                vpcCidr: 10.20.0.0/16
            """,
            """
              addons:
                - name: web
                  values: {replicas: 4}
            """));
    files.put("clusters/prod-2/cluster.yaml", cluster("prod-2", "workload", "prod", "", ""));
    files.put("clusters/dev-1/values/web.yaml", "replicas: 1\n");
    files.put("addons/web/addon.yaml", addon("web", "{role: workload}", "manifests"));
    files.put("addons/web/manifests/cm.yaml", configMap("web"));
    files.put("addons/guard/addon.yaml", addon("guard", "{environment: prod}", "manifests"));
    files.put("addons/guard/manifests/cm.yaml", configMap("guard"));
    files.put(
        "addons/shared/addon.yaml", addon("shared", "{cluster: dev-1}", "../../shared/manifests"));
    files.put("shared/manifests/cm.yaml", configMap("shared"));
    files.put("README.md", "# fleet\n");
    files.put("schedules/scan.yaml", "every: 5m\n");
    files.put("cdktf/main.java", "class Main {}\n");
  }

  @Test
  void firstLoadAffectsEveryCluster() throws Exception {
    Fleet after = load("after");
    ChangeImpact.Impact impact = ChangeImpact.analyze(null, after, List.of());
    assertThat(impact.affected()).containsExactly("dev-1", "mgmt", "prod-1", "prod-2");
    assertThat(impact.kubernetes()).containsExactly("dev-1", "mgmt", "prod-1", "prod-2");
    assertThat(impact.terraform()).as("only prod-1 has infrastructure").containsExactly("prod-1");
    assertThat(ChangeImpact.affectedClusters(null, after, List.of("README.md")))
        .containsExactly("dev-1", "mgmt", "prod-1", "prod-2");
  }

  @Test
  void fleetSettingsAffectEveryCluster() throws Exception {
    Fleet before = load("before");
    assertThat(ChangeImpact.affectedClusters(before, before, List.of("fleet.yaml")))
        .containsExactly("dev-1", "mgmt", "prod-1", "prod-2");
  }

  @Test
  void anAddonChangeAffectsTheClustersThatRunItBeforeOrAfter() throws Exception {
    Fleet before = load("before");
    assertThat(
            ChangeImpact.affectedClusters(before, before, List.of("addons/web/manifests/cm.yaml")))
        .containsExactly("dev-1", "prod-1", "prod-2");
    assertThat(ChangeImpact.affectedClusters(before, before, List.of("addons/guard/addon.yaml")))
        .containsExactly("mgmt", "prod-1", "prod-2");

    // web moves from every workload cluster to the prod environment: old and new runners
    files.put("addons/web/addon.yaml", addon("web", "{environment: prod}", "manifests"));
    Fleet after = load("after");
    assertThat(ChangeImpact.affectedClusters(before, after, List.of("addons/web/addon.yaml")))
        .containsExactly("dev-1", "mgmt", "prod-1", "prod-2");
  }

  @Test
  void aChangeInAnAddonSourceOutsideItsDirectoryAffectsItsClusters() throws Exception {
    Fleet before = load("before");
    assertThat(ChangeImpact.affectedClusters(before, before, List.of("shared/manifests/cm.yaml")))
        .containsExactly("dev-1");
    assertThat(ChangeImpact.affectedClusters(before, before, List.of("shared/other/x.yaml")))
        .isEmpty();
  }

  @Test
  void anEnvironmentChangeAffectsItsClustersBeforeOrAfter() throws Exception {
    Fleet before = load("before");
    assertThat(ChangeImpact.affectedClusters(before, before, List.of("environments/prod.yaml")))
        .containsExactly("mgmt", "prod-1", "prod-2");
    assertThat(ChangeImpact.affectedClusters(before, before, List.of("environments/dev.yaml")))
        .containsExactly("dev-1");

    // dev-1 joins prod: a change of prod.yaml now reaches it too
    files.put("clusters/dev-1/cluster.yaml", cluster("dev-1", "workload", "prod", "", ""));
    Fleet after = load("after");
    assertThat(ChangeImpact.affectedClusters(before, after, List.of("environments/prod.yaml")))
        .containsExactly("dev-1", "mgmt", "prod-1", "prod-2");
  }

  @Test
  void aClusterFileChangeAffectsThatClusterOnly() throws Exception {
    Fleet before = load("before");
    ChangeImpact.Impact impact =
        ChangeImpact.analyze(before, before, List.of("clusters/dev-1/values/web.yaml"));
    assertThat(impact.affected()).containsExactly("dev-1");
    assertThat(impact.kubernetes()).containsExactly("dev-1");
    assertThat(impact.terraform()).isEmpty();
  }

  @Test
  void anInfrastructureChangeTouchesTerraformOnlyAndAValueChangeKubernetesOnly() throws Exception {
    Fleet before = load("before");
    files.put(
        "clusters/prod-1/cluster.yaml",
        cluster(
            "prod-1",
            "workload",
            "prod",
            """
              infrastructure:
                region: eu-west-1
                vpcCidr: 10.30.0.0/16
                extra: [a, b]
            """,
            """
              addons:
                - name: web
                  values: {replicas: 4}
            """));
    Fleet infra = load("infra");
    ChangeImpact.Impact impact =
        ChangeImpact.analyze(before, infra, List.of("clusters/prod-1/cluster.yaml"));
    assertThat(impact.affected()).containsExactly("prod-1");
    assertThat(impact.terraform()).containsExactly("prod-1");
    assertThat(impact.kubernetes()).as("values only moved down a line").isEmpty();

    files.put(
        "clusters/prod-1/cluster.yaml",
        cluster(
            "prod-1",
            "workload",
            "prod",
            """
              infrastructure:
                region: eu-west-1
                vpcCidr: 10.20.0.0/16
            """,
            """
              addons:
                - name: web
                  values: {replicas: 5}
            """));
    Fleet values = load("values");
    impact = ChangeImpact.analyze(before, values, List.of("clusters/prod-1/cluster.yaml"));
    assertThat(impact.kubernetes()).containsExactly("prod-1");
    assertThat(impact.terraform()).isEmpty();
  }

  @Test
  void addedAndRemovedClustersAreAffected() throws Exception {
    Fleet before = load("before");
    files.put(
        "clusters/prod-3/cluster.yaml",
        cluster("prod-3", "workload", "prod", "  infrastructure: {region: us-east-1}\n", ""));
    files.remove("clusters/prod-2/cluster.yaml");
    Fleet after = load("after");
    ChangeImpact.Impact impact =
        ChangeImpact.analyze(
            before, after, List.of("clusters/prod-3/cluster.yaml", "clusters/prod-2/cluster.yaml"));
    assertThat(impact.affected()).containsExactly("prod-2", "prod-3");
    assertThat(impact.kubernetes()).containsExactly("prod-2", "prod-3");
    assertThat(impact.terraform()).containsExactly("prod-3");
    assertThat(ChangeImpact.affectedClusters(before, after, List.of()))
        .as("even when the paths are not given")
        .containsExactly("prod-2", "prod-3");
  }

  @Test
  void otherPathsAffectNothing() throws Exception {
    Fleet before = load("before");
    ChangeImpact.Impact impact =
        ChangeImpact.analyze(
            before,
            before,
            List.of(
                "README.md",
                "schedules/scan.yaml",
                "cdktf/main.java",
                "clusters/README.md",
                "addons/README.md"));
    assertThat(impact.affected()).isEmpty();
    assertThat(impact.terraformCodeChanged()).isTrue();
    assertThat(ChangeImpact.analyze(before, before, List.of("README.md")).terraformCodeChanged())
        .isFalse();
  }

  // ------------------------------------------------------------------ fixture

  private Fleet load(String name) throws IOException, FleetValidationException {
    Path root = tmp.resolve(name);
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path p = root.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue());
    }
    return FleetLoader.load(root);
  }

  private static String env(String name) {
    return """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Environment
        metadata: {name: %s}
        spec:
          labels: {}
        """
        .formatted(name);
  }

  private static String cluster(String name, String role, String env, String infra, String addons) {
    return """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Cluster
        metadata: {name: %s}
        spec:
          role: %s
          environment: %s
        """
            .formatted(name, role, env)
        + infra
        + addons;
  }

  private static String addon(String name, String selector, String manifests) {
    return """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Addon
        metadata: {name: %s}
        spec:
          namespace: %s
          source:
            manifests: {path: "%s"}
          clusterSelector: %s
        """
        .formatted(name, name, manifests, selector);
  }

  private static String configMap(String name) {
    return """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: %s}
        data: {a: b}
        """
        .formatted(name);
  }
}

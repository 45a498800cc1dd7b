package dev.fleetwarden.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetLoaderTest {
  @TempDir Path dir;

  private List<FleetError> errorsOf(FleetFixture f) {
    try {
      FleetLoader.load(f.root);
    } catch (FleetValidationException e) {
      return e.errors();
    }
    throw new AssertionError("expected the fleet to be invalid");
  }

  @Test
  void loadsAValidFleetWithLayersAndLines() throws Exception {
    Fleet fleet = FleetLoader.load(new FleetFixture(dir).root);
    assertThat(fleet.clusters()).containsOnlyKeys("mgmt", "prod-1");
    ClusterSpec prod = fleet.clusters().get("prod-1");
    assertThat(prod.labels()).containsEntry("tier", "critical").containsEntry("region", "eu");
    assertThat(fleet.addonsOf(prod)).extracting(AddonSpec::name).containsExactly("web");
    assertThat(fleet.addonsOf(fleet.clusters().get("mgmt"))).isEmpty();
    Values inline = prod.addonEntry("web").inlineValues();
    assertThat(inline.file()).isEqualTo("clusters/prod-1/cluster.yaml");
    assertThat(inline.tree().at("/image/tag").asText()).isEqualTo("1.2.3");
    assertThat(inline.lineOf("/image/tag")).isEqualTo(13);
    Values env = fleet.environments().get("prod").valuesFor("web");
    assertThat(env.lineOf("/replicas")).isEqualTo(9);
    assertThat(fleet.kubeVersion(prod)).isEqualTo("1.29.0");
    assertThat(fleet.remediation(prod, fleet.addons().get("web"))).isEqualTo(Remediation.ALERT);
  }

  @Test
  void humanOperatedManagersDefaultToTheKubectlClientsAndFleetYamlReplacesThem() throws Exception {
    Fleet defaults = FleetLoader.load(new FleetFixture(dir).root);
    assertThat(defaults.settings().humanManagers())
        .contains("kubectl-edit", "kubectl-patch", "kubectl-client-side-apply", "kubectl-scale");

    FleetFixture f =
        new FleetFixture(dir)
            .write(
                "fleet.yaml",
                """
                apiVersion: fleetwarden.dev/v1alpha1
                kind: Fleet
                metadata:
                  name: f
                spec:
                  drift:
                    humanManagers: [ops-console, kubectl-edit]
                """);
    assertThat(FleetLoader.load(f.root).settings().humanManagers())
        .containsExactly("ops-console", "kubectl-edit");

    f.write(
        "fleet.yaml",
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Fleet
        metadata:
          name: f
        spec:
          drift:
            humanManager: [ops-console]
        """);
    assertThat(errorsOf(f))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.file()).isEqualTo("fleet.yaml");
              assertThat(e.line()).isEqualTo(7);
              assertThat(e.message()).contains("unknown key 'humanManager'");
            });
  }

  @Test
  void unknownKeyNamesFileLineAndAllowedKeys() {
    FleetFixture f =
        new FleetFixture(dir)
            .write(
                "addons/web/addon.yaml",
                """
                apiVersion: fleetwarden.dev/v1alpha1
                kind: Addon
                metadata:
                  name: web
                spec:
                  namespace: web
                  replica: 3
                  source:
                    manifests: {path: manifests}
                """);
    assertThat(errorsOf(f))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.file()).isEqualTo("addons/web/addon.yaml");
              assertThat(e.line()).isEqualTo(7);
              assertThat(e.column()).isEqualTo(3);
              assertThat(e.message()).contains("unknown key 'replica'").contains("namespace");
            });
  }

  @Test
  void ignoreRulesTakeAnOptionalApiGroup() throws Exception {
    FleetFixture f =
        new FleetFixture(dir)
            .write(
                "addons/web/addon.yaml",
                """
                apiVersion: fleetwarden.dev/v1alpha1
                kind: Addon
                metadata:
                  name: web
                spec:
                  namespace: web
                  source:
                    manifests: {path: manifests}
                  clusterSelector: {role: workload}
                  drift:
                    ignore:
                      - {kind: Deployment, pointers: [/spec/replicas]}
                      - {group: apps, kind: Deployment, managers: [hpa]}
                      - {group: "", kind: ConfigMap, pointers: [/data]}
                """);
    AddonSpec web = FleetLoader.load(f.root).addons().get("web");
    assertThat(web.ignore())
        .extracting(dev.fleetwarden.model.IgnoreRule::group)
        .containsExactly(null, "apps", "");
  }

  @Test
  void anApiVersionWrittenAsIgnoreGroupIsRefused() {
    FleetFixture f =
        new FleetFixture(dir)
            .write(
                "addons/web/addon.yaml",
                """
                apiVersion: fleetwarden.dev/v1alpha1
                kind: Addon
                metadata:
                  name: web
                spec:
                  namespace: web
                  source:
                    manifests: {path: manifests}
                  drift:
                    ignore:
                      - {group: apps/v1, kind: Deployment, pointers: [/spec/replicas]}
                """);
    assertThat(errorsOf(f))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.file()).isEqualTo("addons/web/addon.yaml");
              assertThat(e.line()).isEqualTo(11);
              assertThat(e.message()).contains("'apps/v1' is an apiVersion").contains("apps");
            });
  }

  @Test
  void missingRequiredField() {
    FleetFixture f =
        new FleetFixture(dir)
            .write(
                "clusters/prod-1/cluster.yaml",
                """
                apiVersion: fleetwarden.dev/v1alpha1
                kind: Cluster
                metadata:
                  name: prod-1
                spec:
                  environment: prod
                """);
    assertThat(errorsOf(f))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.toString()).startsWith("clusters/prod-1/cluster.yaml:5:");
              assertThat(e.message()).contains("missing required key 'role'");
            });
  }

  @Test
  void unknownAddonAndEnvironmentNames() {
    FleetFixture f =
        new FleetFixture(dir)
            .write(
                "clusters/prod-1/cluster.yaml",
                """
                apiVersion: fleetwarden.dev/v1alpha1
                kind: Cluster
                metadata:
                  name: prod-1
                spec:
                  role: workload
                  environment: prodd
                  addons:
                    - name: wbe
                """);
    List<FleetError> errors = errorsOf(f);
    assertThat(errors).hasSize(2);
    assertThat(errors.get(0).line()).isEqualTo(7);
    assertThat(errors.get(0).message())
        .contains("unknown environment 'prodd'")
        .contains("environments/prodd.yaml");
    assertThat(errors.get(1).line()).isEqualTo(9);
    assertThat(errors.get(1).message()).contains("unknown add-on 'wbe'").contains("[web]");
  }

  @Test
  void duplicateClusterNames() {
    FleetFixture f =
        new FleetFixture(dir)
            .write(
                "clusters/prod-2/cluster.yaml",
                """
                apiVersion: fleetwarden.dev/v1alpha1
                kind: Cluster
                metadata:
                  name: prod-1
                spec:
                  role: workload
                  environment: prod
                """);
    assertThat(errorsOf(f))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.file()).isEqualTo("clusters/prod-2/cluster.yaml");
              assertThat(e.line()).isEqualTo(4);
              assertThat(e.message())
                  .contains("duplicate cluster name 'prod-1'")
                  .contains("clusters/prod-1/cluster.yaml");
            });
  }

  @Test
  void selectorMatchingNothing() {
    FleetFixture f =
        new FleetFixture(dir)
            .write(
                "addons/web/addon.yaml",
                """
                apiVersion: fleetwarden.dev/v1alpha1
                kind: Addon
                metadata:
                  name: web
                spec:
                  namespace: web
                  source:
                    manifests: {path: manifests}
                  clusterSelector:
                    region: mars
                """);
    assertThat(errorsOf(f))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.file()).isEqualTo("addons/web/addon.yaml");
              assertThat(e.line()).isEqualTo(9);
              assertThat(e.message()).contains("matches no cluster");
            });
  }

  @Test
  void pathLeavingTheRepo() {
    FleetFixture f =
        new FleetFixture(dir)
            .write(
                "addons/web/addon.yaml",
                """
                apiVersion: fleetwarden.dev/v1alpha1
                kind: Addon
                metadata:
                  name: web
                spec:
                  namespace: web
                  source:
                    helm:
                      chart: ../../../etc
                """);
    assertThat(errorsOf(f))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.file()).isEqualTo("addons/web/addon.yaml");
              assertThat(e.line()).isEqualTo(9);
              assertThat(e.message()).contains("leaves the fleet repo");
            });
  }

  @Test
  void yamlThatIsNotYaml() {
    FleetFixture f =
        new FleetFixture(dir)
            .write(
                "environments/prod.yaml",
                """
                apiVersion: fleetwarden.dev/v1alpha1
                kind: Environment
                metadata:
                  name: prod
                spec:
                  values: [unclosed
                """);
    List<FleetError> errors = errorsOf(f);
    assertThat(errors).isNotEmpty();
    FleetError first =
        errors.stream()
            .filter(e -> e.file().equals("environments/prod.yaml"))
            .findFirst()
            .orElseThrow();
    // Where the bracket was opened, in plain words.
    assertThat(first.message())
        .isEqualTo("a '[' is not closed; close it with ']' or quote the value");
    assertThat(first.line()).isEqualTo(6);
  }

  @Test
  void duplicateKeysAreRefused() {
    FleetFixture f =
        new FleetFixture(dir)
            .write(
                "clusters/prod-1/values/web.yaml",
                """
                replicas: 2
                image: {tag: a}
                replicas: 3
                """);
    assertThat(errorsOf(f))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.file()).isEqualTo("clusters/prod-1/values/web.yaml");
              assertThat(e.line()).isEqualTo(3);
              assertThat(e.message()).contains("duplicate key 'replicas'");
            });
  }

  @Test
  void aliasBombIsRefusedQuickly() {
    StringBuilder bomb =
        new StringBuilder(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'z'; c++) {
      char p = (char) (c - 1);
      bomb.append(c)
          .append(": &")
          .append(c)
          .append(" [*")
          .append(p)
          .append(",*")
          .append(p)
          .append(",*")
          .append(p)
          .append(",*")
          .append(p)
          .append(",*")
          .append(p)
          .append(",*")
          .append(p)
          .append(",*")
          .append(p)
          .append(",*")
          .append(p)
          .append(",*")
          .append(p)
          .append("]\n");
    }
    FleetFixture f =
        new FleetFixture(dir).write("clusters/prod-1/values/web.yaml", bomb.toString());
    long start = System.nanoTime();
    List<FleetError> errors = errorsOf(f);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.file()).isEqualTo("clusters/prod-1/values/web.yaml");
              assertThat(e.line()).isEqualTo(2);
              assertThat(e.message()).contains("aliases");
            });
  }

  @Test
  void hugeDocumentIsRefused() {
    String huge = "data: \"" + "x".repeat(LocatedYaml.MAX_DOCUMENT_CHARS) + "\"\n";
    FleetFixture f = new FleetFixture(dir).write("clusters/prod-1/values/web.yaml", huge);
    assertThat(errorsOf(f))
        .singleElement()
        .satisfies(e -> assertThat(e.message()).contains("larger than the limit of"));
  }

  @Test
  void allErrorsAreReportedAtOnce() {
    FleetFixture f =
        new FleetFixture(dir)
            .write(
                "clusters/prod-1/cluster.yaml",
                """
                apiVersion: fleetwarden.dev/v1alpha1
                kind: Cluster
                metadata:
                  name: prod-1
                spec:
                  role: worker
                  environment: prod
                  remediation: fix-it
                """)
            .write(
                "addons/web/addon.yaml",
                """
                apiVersion: fleetwarden.dev/v1alpha2
                kind: Addon
                metadata:
                  name: web
                spec:
                  namespace: web
                  source:
                    manifests: {path: missing-dir}
                """);
    List<FleetError> errors = errorsOf(f);
    assertThat(errors)
        .extracting(FleetError::message)
        .anySatisfy(m -> assertThat(m).contains("apiVersion must be"))
        .anySatisfy(m -> assertThat(m).contains("does not exist"))
        .anySatisfy(m -> assertThat(m).contains("role must be"))
        .anySatisfy(m -> assertThat(m).contains("remediation must be"));
    assertThat(errors).allSatisfy(e -> assertThat(e.line()).isPositive());
  }

  @Test
  void remediationApplyIsRefusedWhereverItIsWrittenNeverTreatedAsAlert() {
    FleetFixture f =
        new FleetFixture(dir)
            .write(
                "fleet.yaml",
                """
                apiVersion: fleetwarden.dev/v1alpha1
                kind: Fleet
                metadata:
                  name: test-fleet
                spec:
                  defaults:
                    kubeVersion: "1.29.0"
                    remediation: apply
                """)
            .write(
                "addons/web/addon.yaml",
                """
                apiVersion: fleetwarden.dev/v1alpha1
                kind: Addon
                metadata:
                  name: web
                spec:
                  namespace: web
                  source:
                    manifests: {path: manifests}
                  clusterSelector: {role: workload}
                  remediation: apply
                """)
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
                  remediation: apply
                """);
    List<FleetError> errors = errorsOf(f);
    assertThat(errors)
        .as(errors.toString())
        .extracting(e -> e.file() + ":" + e.line())
        .containsExactlyInAnyOrder(
            "fleet.yaml:8", "addons/web/addon.yaml:10", "clusters/prod-1/cluster.yaml:8");
    assertThat(errors)
        .allSatisfy(
            e ->
                assertThat(e.message())
                    .isEqualTo(
                        "remediation 'apply' is not supported: fleetwarden never writes to a"
                            + " cluster; use alert or pull-request"));
  }

  private static final String PATCH_HEAD =
      """
      apiVersion: fleetwarden.dev/v1alpha1
      kind: Patch
      metadata:
        name: keep
      spec:
        target: {group: apps, kind: Deployment, namespace: web, name: web}
      """;

  @Test
  void aPatchTakesAMergePatchOrKeyedFieldsAndKeepsBoth() throws Exception {
    FleetFixture f =
        new FleetFixture(dir)
            .write(
                "clusters/prod-1/patches/keep.yaml",
                PATCH_HEAD
                    + """
                      set:
                        /spec/template/spec/containers/name=web/image: web:1.2.4
                        /spec/replicas: null
                    """)
            .write(
                "clusters/prod-1/patches/merge.yaml",
                PATCH_HEAD.replace("name: keep", "name: merge")
                    + """
                      patch:
                        spec: {replicas: 3}
                    """);

    List<PatchFile> patches = FleetLoader.load(f.root).clusters().get("prod-1").patches();

    assertThat(patches).hasSize(2);
    PatchFile keyed = patches.get(0);
    assertThat(keyed.file()).isEqualTo("clusters/prod-1/patches/keep.yaml");
    assertThat(keyed.patch()).isNull();
    assertThat(keyed.set().get("/spec/template/spec/containers/name=web/image").asText())
        .isEqualTo("web:1.2.4");
    assertThat(keyed.set().get("/spec/replicas").isNull()).isTrue();
    assertThat(keyed.line()).isEqualTo(7);
    PatchFile merge = patches.get(1);
    assertThat(merge.set()).isNull();
    assertThat(merge.patch().at("/spec/replicas").asInt()).isEqualTo(3);
  }

  @Test
  void aPatchWithoutChangesOrWithAFieldThatIsNoPathIsRefusedAtItsLine() {
    FleetFixture f =
        new FleetFixture(dir)
            .write("clusters/prod-1/patches/empty.yaml", PATCH_HEAD)
            .write(
                "clusters/prod-1/patches/bad.yaml",
                PATCH_HEAD
                    + """
                      set:
                        /spec/replicas: 2
                        spec.template.image: web:2
                    """);

    List<FleetError> errors = errorsOf(f);

    assertThat(errors).hasSize(2);
    assertThat(errors)
        .anySatisfy(
            e -> {
              assertThat(e.file()).isEqualTo("clusters/prod-1/patches/empty.yaml");
              assertThat(e.message()).contains("needs spec.patch").contains("or spec.set");
            })
        .anySatisfy(
            e -> {
              assertThat(e.file()).isEqualTo("clusters/prod-1/patches/bad.yaml");
              assertThat(e.line()).isEqualTo(9);
              assertThat(e.message())
                  .contains("'spec.template.image' is not a field path")
                  .contains("/spec/template/spec/containers/name=web/image");
            });
  }
}

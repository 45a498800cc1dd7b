package dev.fleetwarden.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.fleetwarden.ExampleCharts;
import dev.fleetwarden.drift.DiffInput;
import dev.fleetwarden.drift.Differ;
import dev.fleetwarden.drift.SecretHasher;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.render.RenderListener;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl against the embedded clusters of the example fleet, the desired state applied:
 * get (short names, all namespaces, YAML), describe, scale, strategic and merge patches, edit
 * through an editor script, apply and delete, each effect read back through a Fabric8 client.
 * kubectl runs with this test's kubeconfig and an empty home, never the user's ~/.kube.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubectlIT {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @TempDir static Path tmp;
  private Path kubectl;
  private Path home;
  private EmbeddedFleet clusters;
  private Map<String, ClusterRender> renders;

  @BeforeAll
  void start() throws Exception {
    Optional<Path> found = onPath("kubectl");
    Assumptions.assumeTrue(
        found.isPresent(),
        "KUBECTL MISSING: no kubectl on PATH; install kubectl (Debian: apt-get install kubectl)"
            + " to run KubectlIT");
    kubectl = found.get();
    home = Files.createDirectories(tmp.resolve("home"));
    Fleet fleet = FleetLoader.load(Path.of("fleet-repo-example"));
    clusters = EmbeddedFleet.forFleet(fleet, tmp.resolve("kubeconfig"));
    renders = ExampleCharts.rendering().renderAll(fleet, RenderListener.NONE).all();
    for (ClusterRender r : renders.values()) {
      clusters.apply(r.cluster(), r.objects());
    }
  }

  @AfterAll
  void stop() {
    if (clusters != null) {
      clusters.close();
    }
  }

  @Test
  void getByShortNameInAllNamespacesAndAsYaml() throws Exception {
    Run all = ok("prod-eu-1", "get", "deploy", "-A");
    assertThat(all.out()).containsPattern("ingress-system\\s+ingress-controller");
    assertThat(all.out()).containsPattern("monitoring\\s+kube-state-metrics");
    assertThat(all.out()).containsPattern("cert-manager\\s+cert-manager-webhook");

    Run yaml =
        ok("prod-eu-1", "get", "deploy", "kube-state-metrics", "-n", "monitoring", "-o", "yaml");
    JsonNode shown = YAML.readTree(yaml.out());
    ObjectNode held =
        clusters.get("prod-eu-1", "apps/v1", "Deployment", "monitoring", "kube-state-metrics");
    assertThat(shown.path("spec")).isEqualTo(held.path("spec"));
    assertThat(shown.path("metadata").path("labels"))
        .isEqualTo(held.path("metadata").path("labels"));

    assertThat(ok("prod-eu-1", "get", "cm", "-n", "ingress-system", "-o", "name").out())
        .contains("configmap/ingress-controller-config");
    // custom resources, found through their CRDs
    assertThat(ok("prod-eu-1", "get", "clusterissuers").out()).contains("letsencrypt");
  }

  @Test
  void describeShowsTheDeployment() {
    Run d = ok("prod-eu-1", "describe", "deploy", "kube-state-metrics", "-n", "monitoring");
    assertThat(d.out()).containsPattern("Name:\\s+kube-state-metrics");
    assertThat(d.out()).contains("registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.13.0");
    assertThat(d.out()).containsPattern("Replicas:\\s+1 desired");
  }

  @Test
  void scaleChangesSpecReplicas() {
    assertThat(replicas("prod-eu-1", "ingress-system", "ingress-controller")).isNotEqualTo(6);

    Run r =
        ok(
            "prod-eu-1",
            "scale",
            "deploy/ingress-controller",
            "-n",
            "ingress-system",
            "--replicas=6");

    assertThat(r.out()).contains("deployment.apps/ingress-controller scaled");
    assertThat(replicas("prod-eu-1", "ingress-system", "ingress-controller")).isEqualTo(6);
    assertThat(
            client("prod-eu-1")
                .apps()
                .deployments()
                .inNamespace("ingress-system")
                .withName("ingress-controller")
                .scale()
                .getSpec()
                .getReplicas())
        .isEqualTo(6);
  }

  @Test
  void strategicMergePatchMergesContainersByName() {
    Deployment before = deployment("staging-1", "ingress-system", "ingress-controller");
    List<String> args = before.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    assertThat(args).isNotEmpty();

    ok(
        "staging-1",
        "patch",
        "deploy",
        "ingress-controller",
        "-n",
        "ingress-system",
        "-p",
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"controller\","
            + "\"image\":\"registry.k8s.io/ingress-nginx/controller:v9.9.9\"}]}}}}");

    var after = deployment("staging-1", "ingress-system", "ingress-controller");
    var containers = after.getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).hasSameSizeAs(before.getSpec().getTemplate().getSpec().getContainers());
    assertThat(containers.get(0).getImage())
        .isEqualTo("registry.k8s.io/ingress-nginx/controller:v9.9.9");
    assertThat(containers.get(0).getArgs()).isEqualTo(args); // merged by name, not replaced
    assertThat(containers.get(0).getPorts())
        .isEqualTo(before.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts());
  }

  @Test
  void mergePatchAddsAndRemovesLabels() {
    ok(
        "staging-1",
        "patch",
        "configmap",
        "prometheus-config",
        "-n",
        "monitoring",
        "--type",
        "merge",
        "-p",
        "{\"metadata\":{\"labels\":{\"patched\":\"yes\",\"platform.myorg.io/team\":null}}}");

    Map<String, String> labels =
        client("staging-1")
            .configMaps()
            .inNamespace("monitoring")
            .withName("prometheus-config")
            .get()
            .getMetadata()
            .getLabels();
    assertThat(labels).containsEntry("patched", "yes").doesNotContainKey("platform.myorg.io/team");
    assertThat(labels).containsKey("fleetwarden.dev/addon");
  }

  @Test
  void editThroughAnEditorScript() throws Exception {
    assertThat(replicas("dev-1", "monitoring", "kube-state-metrics")).isEqualTo(1);
    Path editor = tmp.resolve("edit-replicas.sh");
    Files.writeString(editor, "#!/bin/sh\nsed -i 's/^  replicas: 1$/  replicas: 3/' \"$1\"\n");
    Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));

    Run r =
        run(
            Map.of("KUBE_EDITOR", editor.toString()),
            "dev-1",
            "edit",
            "deploy",
            "kube-state-metrics",
            "-n",
            "monitoring");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("deployment.apps/kube-state-metrics edited");
    assertThat(replicas("dev-1", "monitoring", "kube-state-metrics")).isEqualTo(3);

    // Recorded as a real server would, so the drift check names kubectl-edit as the writer.
    ObjectNode live =
        clusters.get("dev-1", "apps/v1", "Deployment", "monitoring", "kube-state-metrics");
    List<ObjectDrift> drift =
        new Differ(SecretHasher.ephemeral())
            .diff(
                DiffInput.of(
                    "dev-1",
                    List.of(
                        desiredObject("dev-1", "Deployment", "monitoring", "kube-state-metrics")),
                    List.of(live)));
    assertThat(drift).hasSize(1);
    FieldDrift replicas = drift.get(0).fields().get(0);
    assertThat(replicas.path()).isEqualTo("/spec/replicas");
    assertThat(replicas.manager()).isEqualTo("kubectl-edit");
  }

  @Test
  void typedCreateSendsProtobufAndIsRefusedWithAWayOut() {
    Run r = run(Map.of(), "staging-1", "create", "configmap", "typed", "-n", "monitoring");

    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains("read JSON only").contains("kubectl create -f");
    assertThat(client("staging-1").configMaps().inNamespace("monitoring").withName("typed").get())
        .isNull();
  }

  @Test
  void applyOfAChangedManifestAndOfANewOne() throws Exception {
    ObjectNode service =
        desired("prod-us-1", "Service", "ingress-system", "ingress-controller").deepCopy();
    service.with("metadata").with("annotations").put("example.org/owner", "kubectl-it");
    ((ObjectNode) service.at("/spec/ports/0")).put("targetPort", 8080);
    Path changed = tmp.resolve("service.yaml");
    Files.writeString(changed, YAML.writeValueAsString(service));

    Run r = ok("prod-us-1", "apply", "-f", changed.toString());

    assertThat(r.out()).contains("service/ingress-controller configured");
    var live =
        client("prod-us-1")
            .services()
            .inNamespace("ingress-system")
            .withName("ingress-controller")
            .get();
    assertThat(live.getMetadata().getAnnotations())
        .containsEntry("example.org/owner", "kubectl-it")
        .containsKey("kubectl.kubernetes.io/last-applied-configuration");
    assertThat(live.getSpec().getPorts().get(0).getTargetPort().getIntVal()).isEqualTo(8080);
    assertThat(live.getSpec().getPorts()).hasSize(2);

    Path added = tmp.resolve("configmap.yaml");
    Files.writeString(
        added,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: added-by-kubectl\n"
            + "  namespace: monitoring\ndata:\n  key: value\n");
    assertThat(ok("prod-us-1", "apply", "-f", added.toString()).out())
        .contains("configmap/added-by-kubectl created");
    assertThat(
            client("prod-us-1")
                .configMaps()
                .inNamespace("monitoring")
                .withName("added-by-kubectl")
                .get()
                .getData())
        .containsEntry("key", "value");
  }

  @Test
  void deleteRemovesBuiltInObjectsAndCustomResources() {
    assertThat(ok("mgmt", "delete", "cm", "prometheus-config", "-n", "monitoring").out())
        .contains("configmap \"prometheus-config\" deleted");
    assertThat(
            client("mgmt")
                .configMaps()
                .inNamespace("monitoring")
                .withName("prometheus-config")
                .get())
        .isNull();

    assertThat(ok("mgmt", "delete", "clusterpolicy", "disallow-latest-tag").out())
        .contains("deleted");
    assertThat(ok("mgmt", "get", "clusterpolicies", "-o", "name").out())
        .doesNotContain("disallow-latest-tag")
        .contains("require-platform-labels");
  }

  @Test
  void customResourcesTakeMergePatchesAndRefuseStrategicOnes() throws Exception {
    ok(
        "dev-1",
        "patch",
        "clusterissuer",
        "letsencrypt",
        "--type",
        "merge",
        "-p",
        "{\"spec\":{\"acme\":{\"email\":\"oncall@example.org\"}}}");
    assertThat(
            clusters
                .get("dev-1", "cert-manager.io/v1", "ClusterIssuer", null, "letsencrypt")
                .at("/spec/acme/email")
                .asText())
        .isEqualTo("oncall@example.org");

    Run strategic =
        run(Map.of(), "dev-1", "patch", "clusterissuer", "letsencrypt", "-p", "{\"metadata\":{}}");
    assertThat(strategic.code()).isNotZero();
    assertThat(strategic.err()).contains("strategic merge patch is not supported");
  }

  @Test
  void aServerSideDryRunIsRefusedRatherThanWritten() {
    Run r =
        run(
            Map.of(),
            "dev-1",
            "label",
            "configmap",
            "prometheus-config",
            "-n",
            "monitoring",
            "dry=run",
            "--dry-run=server");

    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains("do not support dry runs");
    Run scale =
        run(
            Map.of(),
            "dev-1",
            "scale",
            "deploy/cert-manager-webhook",
            "-n",
            "cert-manager",
            "--replicas=9",
            "--dry-run=server");
    assertThat(scale.code()).isNotZero();
    assertThat(replicas("dev-1", "cert-manager", "cert-manager-webhook")).isNotEqualTo(9);
    assertThat(
            client("dev-1")
                .configMaps()
                .inNamespace("monitoring")
                .withName("prometheus-config")
                .get()
                .getMetadata()
                .getLabels())
        .doesNotContainKey("dry");
  }

  @Test
  void watchesAreServedToWebSocketClientsOnly() throws Exception {
    Run w = run(Map.of(), "staging-1", "get", "configmaps", "-n", "monitoring", "--watch");
    assertThat(w.code()).isNotZero();
    assertThat(w.err()).contains("WebSocket only");

    CountDownLatch added = new CountDownLatch(1);
    var configMaps = client("staging-1").configMaps().inNamespace("monitoring");
    try (Watch watch =
        configMaps.watch(
            new Watcher<ConfigMap>() {
              @Override
              public void eventReceived(Action action, ConfigMap cm) {
                if (action == Action.ADDED && cm.getMetadata().getName().equals("watched")) {
                  added.countDown();
                }
              }

              @Override
              public void onClose(WatcherException cause) {}
            })) {
      configMaps
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("watched")
                  .withNamespace("monitoring")
                  .endMetadata()
                  .build())
          .create();
      assertThat(added.await(10, TimeUnit.SECONDS)).as("Fabric8 watch event").isTrue();
    }
  }

  // --- helpers

  private int replicas(String cluster, String namespace, String name) {
    return deployment(cluster, namespace, name).getSpec().getReplicas();
  }

  private Deployment deployment(String cluster, String namespace, String name) {
    return client(cluster).apps().deployments().inNamespace(namespace).withName(name).get();
  }

  private KubernetesClient client(String cluster) {
    return clusters.client(cluster);
  }

  private ObjectNode desired(String cluster, String kind, String namespace, String name) {
    return desiredObject(cluster, kind, namespace, name).manifest();
  }

  private DesiredObject desiredObject(String cluster, String kind, String namespace, String name) {
    for (DesiredObject d : renders.get(cluster).objects()) {
      if (d.id().kind().equals(kind)
          && name.equals(d.id().name())
          && namespace.equals(d.id().namespaceOrNull())) {
        return d;
      }
    }
    throw new AssertionError(
        kind + " " + namespace + "/" + name + " is not rendered for " + cluster);
  }

  record Run(int code, String out, String err) {}

  private Run ok(String context, String... args) {
    Run r = run(Map.of(), context, args);
    assertThat(r.code()).as("kubectl %s: %s", String.join(" ", args), r.err()).isZero();
    return r;
  }

  /** Runs kubectl on one context of the embedded clusters, with an empty home. */
  private Run run(Map<String, String> env, String context, String... args) {
    List<String> command = new ArrayList<>();
    command.add(kubectl.toString());
    command.add("--kubeconfig=" + clusters.kubeconfigPath());
    command.add("--context=" + context);
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv("PATH"));
    pb.environment().put("HOME", home.toString());
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    try {
      Path out = Files.createTempFile(tmp, "kubectl", ".out");
      Path err = Files.createTempFile(tmp, "kubectl", ".err");
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process p = pb.start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("kubectl " + String.join(" ", args) + " did not end in 60 s");
      }
      return new Run(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static Optional<Path> onPath(String tool) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, tool);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}

package dev.fleetwarden.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.ExampleCharts;
import dev.fleetwarden.drift.DiffInput;
import dev.fleetwarden.drift.Differ;
import dev.fleetwarden.drift.SecretHasher;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.kube.ClusterClients;
import dev.fleetwarden.kube.Fabric8LiveStateReader;
import dev.fleetwarden.kube.KubeSettings;
import dev.fleetwarden.kube.KubeconfigPolicy;
import dev.fleetwarden.kube.LiveState;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.render.RenderListener;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded clusters of the example fleet kept in a directory: live edits (the demo's changes, a
 * kubectl-edit with its managedFields, custom resources and their CRDs, the kubeconfig Secret of a
 * Cluster API cluster) come back after a restart as the drift check reads them, and a change is on
 * disk within about a second, without a clean close.
 */
class EmbeddedStateIT {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-04T10:15:30Z"), ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET_NS = "fleet-system";
  private static final String SECRET = "prod-us-1-kubeconfig";

  @TempDir Path tmp;
  private Fleet fleet;
  private Map<String, ClusterRender> renders;
  private Path state;

  @BeforeEach
  void load() throws Exception {
    fleet = FleetLoader.load(Path.of("fleet-repo-example"));
    renders = ExampleCharts.rendering().renderAll(fleet, RenderListener.NONE).all();
    state = tmp.resolve("embedded-clusters");
  }

  @Test
  void liveEditsComeBackAfterARestartAsTheDriftCheckReadsThem() throws Exception {
    Map<String, Map<String, JsonNode>> before;
    Map<String, String> driftBefore;
    try (EmbeddedFleet first = start()) {
      assertThat(first.restoredClusters()).isEmpty();
      renders.values().forEach(r -> first.apply(r.cluster(), r.objects()));
      new DemoDrift(first, CLOCK).applyAll();
      // A kubectl edit of replicas, with the managedFields entry a real server would add.
      ObjectNode ksm =
          first.get("staging-1", "apps/v1", "Deployment", "monitoring", "kube-state-metrics");
      ((ObjectNode) ksm.get("spec")).put("replicas", 6);
      ObjectNode entry = ksm.with("metadata").withArray("managedFields").addObject();
      entry.put("manager", "kubectl-edit").put("operation", "Update");
      entry.put("apiVersion", "apps/v1").put("time", "2026-03-04T10:20:00Z");
      entry.put("fieldsType", "FieldsV1");
      entry.putObject("fieldsV1").putObject("f:spec").putObject("f:replicas");
      first.update("staging-1", ksm);
      // A custom resource changed, and a label on the Cluster API kubeconfig Secret.
      ObjectNode issuer =
          first.get("mgmt", "cert-manager.io/v1", "ClusterIssuer", null, "letsencrypt");
      issuer.with("metadata").with("labels").put("edited", "live");
      first.update("mgmt", issuer);
      Secret secret = first.client("mgmt").secrets().inNamespace(SECRET_NS).withName(SECRET).get();
      secret.getMetadata().getLabels().put("kept", "yes");
      first.client("mgmt").secrets().resource(secret).update();

      before = everything(first);
      driftBefore = drift(first);
    }
    assertThat(driftBefore).isNotEmpty();
    for (String cluster : fleet.clusters().keySet()) {
      assertThat(state.resolve(cluster + ".json")).isRegularFile();
    }

    try (EmbeddedFleet second = start()) {
      assertThat(second.restoredClusters()).containsExactlyElementsOf(fleet.clusters().keySet());

      Deployment ksm =
          second
              .client("staging-1")
              .apps()
              .deployments()
              .inNamespace("monitoring")
              .withName("kube-state-metrics")
              .get();
      assertThat(ksm.getSpec().getReplicas()).isEqualTo(6);
      assertThat(ksm.getMetadata().getManagedFields())
          .extracting(f -> f.getManager())
          .contains("kubectl-edit");
      assertThat(
              second.serves(
                  "mgmt", dev.fleetwarden.kube.ApiKind.of("cert-manager.io/v1", "ClusterIssuer")))
          .isTrue();
      assertThat(
              second
                  .get("mgmt", "cert-manager.io/v1", "ClusterIssuer", null, "letsencrypt")
                  .at("/metadata/labels/edited")
                  .asText())
          .isEqualTo("live");

      // The kubeconfig Secret: kept as it was, pointing at today's server, and usable.
      Secret secret = second.client("mgmt").secrets().inNamespace(SECRET_NS).withName(SECRET).get();
      assertThat(secret.getMetadata().getLabels())
          .containsEntry("kept", "yes")
          .containsEntry("cluster.x-k8s.io/cluster-name", "prod-us-1");
      String kubeconfig =
          new String(
              Base64.getDecoder().decode(secret.getData().get("value")), StandardCharsets.UTF_8);
      assertThat(kubeconfig).contains(second.serverUrl("prod-us-1"));
      assertThat(second.kubeconfigSecrets()).containsExactly(SECRET_NS + "/" + SECRET);

      Map<String, Map<String, JsonNode>> after = everything(second);
      assertThat(after.keySet()).isEqualTo(before.keySet());
      for (String cluster : before.keySet()) {
        assertThat(after.get(cluster).keySet())
            .as("objects of %s", cluster)
            .isEqualTo(before.get(cluster).keySet());
        for (String id : before.get(cluster).keySet()) {
          assertThat(after.get(cluster).get(id))
              .as(cluster + " " + id)
              .isEqualTo(before.get(cluster).get(id));
        }
      }
      assertThat(drift(second)).isEqualTo(driftBefore);
    }
  }

  @Test
  void aChangeIsSavedWithinASecondWithoutClose() throws Exception {
    EmbeddedFleet running = start();
    try {
      renders.values().forEach(r -> running.apply(r.cluster(), r.objects()));
      ObjectNode cm =
          running.get(
              "prod-eu-1", "v1", "ConfigMap", "ingress-system", "ingress-controller-config");
      ((ObjectNode) cm.get("data")).put("log-level", "debug");
      running.update("prod-eu-1", cm);

      // As after kill -9: only what is already on disk counts. Copy it while the fleet runs.
      Path copy = tmp.resolve("copy");
      long deadline = System.nanoTime() + 3_000_000_000L;
      while (!Files.readString(state.resolve("prod-eu-1.json")).contains("\"debug\"")
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      Files.createDirectories(copy);
      for (String cluster : fleet.clusters().keySet()) {
        Files.copy(state.resolve(cluster + ".json"), copy.resolve(cluster + ".json"));
      }
      Files.delete(copy.resolve("dev-1.json"));

      try (EmbeddedFleet restarted =
          EmbeddedFleet.forFleet(fleet, tmp.resolve("kubeconfig-2"), copy)) {
        assertThat(restarted.restoredClusters()).doesNotContain("dev-1").contains("prod-eu-1");
        assertThat(
                restarted
                    .get(
                        "prod-eu-1",
                        "v1",
                        "ConfigMap",
                        "ingress-system",
                        "ingress-controller-config")
                    .at("/data/log-level")
                    .asText())
            .isEqualTo("debug");
        // The ports were taken by the running fleet: the restarted one found others.
        assertThat(restarted.serverUrl("prod-eu-1")).isNotEqualTo(running.serverUrl("prod-eu-1"));
        // A cluster with no saved file starts empty, for the desired state to be applied.
        assertThat(
                restarted.client("dev-1").apps().deployments().inAnyNamespace().list().getItems())
            .isEmpty();
      }
    } finally {
      running.close();
    }
  }

  @Test
  void savedStateIsPrivateAndABrokenFileIsAClearError() throws Exception {
    try (EmbeddedFleet clusters = start()) {
      clusters.apply("dev-1", renders.get("dev-1").objects());
    }
    assertThat(Files.getPosixFilePermissions(state))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    try (var files = Files.list(state)) {
      assertThat(files)
          .allSatisfy(
              f ->
                  assertThat(Files.getPosixFilePermissions(f))
                      .isEqualTo(PosixFilePermissions.fromString("rw-------")));
    }
    JsonNode saved = JSON.readTree(state.resolve("dev-1.json").toFile());
    assertThat(saved.path("kind").asText()).isEqualTo("EmbeddedClusterState");
    assertThat(saved.path("objects").get(0).path("kind").asText()).isEqualTo("Namespace");

    Files.writeString(state.resolve("mgmt.json"), "{\"kind\":\"Something\"}");
    assertThatThrownBy(this::start)
        .hasMessageContaining("mgmt.json")
        .hasMessageContaining("delete it");
    Files.writeString(state.resolve("mgmt.json"), "{not json");
    assertThatThrownBy(this::start)
        .hasMessageContaining("mgmt.json")
        .hasMessageContaining("delete it");
    assertThatThrownBy(() -> ClusterSnapshot.file(state, "../etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private EmbeddedFleet start() {
    return EmbeddedFleet.forFleet(fleet, tmp.resolve("kubeconfig"), state);
  }

  /** Every object of every cluster, less what the server assigns on create. */
  private static Map<String, Map<String, JsonNode>> everything(EmbeddedFleet clusters) {
    Map<String, Map<String, JsonNode>> out = new TreeMap<>();
    for (String cluster : clusters.clusters()) {
      Map<String, JsonNode> objects = new TreeMap<>();
      for (ObjectNode o : clusters.dispatcher(cluster).objects()) {
        ObjectNode meta = (ObjectNode) o.get("metadata");
        if (meta.path("namespace").isNull()) {
          meta.remove("namespace"); // the mock writes a null namespace on updates of cluster kinds
        }
        String id =
            o.path("apiVersion").asText()
                + "/"
                + o.path("kind").asText()
                + "/"
                + meta.path("namespace").asText()
                + "/"
                + meta.path("name").asText();
        for (String assigned :
            List.of("uid", "resourceVersion", "creationTimestamp", "generation")) {
          meta.remove(assigned);
        }
        if (id.equals("v1/Secret/" + SECRET_NS + "/" + SECRET)) {
          o.remove("data"); // points at the server of the moment (checked on its own)
        }
        objects.put(id, o);
      }
      out.put(cluster, objects);
    }
    return out;
  }

  /** The drift the service would report, by resource id: type and field paths. */
  private Map<String, String> drift(EmbeddedFleet clusters) {
    Map<String, String> out = new TreeMap<>();
    try (ClusterClients clients =
        ClusterClients.forFleet(
            fleet,
            clusters.kubeconfigPath(),
            KubeSettings.DEFAULTS.withKubeconfigPolicy(
                KubeconfigPolicy.DEFAULT.allowingSecrets(clusters.kubeconfigSecrets())))) {
      Map<String, List<DesiredObject>> desired = new TreeMap<>();
      renders.forEach((c, r) -> desired.put(c, r.objects()));
      Map<String, LiveState> live = new Fabric8LiveStateReader(clients).readAll(desired);
      Differ differ = new Differ(SecretHasher.ephemeral());
      for (String cluster : desired.keySet()) {
        LiveState s = live.get(cluster);
        assertThat(s.isKnown()).as(cluster).isTrue();
        for (ObjectDrift d :
            differ.diff(DiffInput.of(cluster, s.judgeable(desired.get(cluster)), s.objects()))) {
          Set<String> fields = new TreeSet<>();
          d.fields().forEach(f -> fields.add(f.path() + " by " + f.manager()));
          out.put(d.resource().toString(), d.type() + " " + fields);
        }
      }
    }
    return out;
  }
}

package dev.fleetwarden.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.demo.FullClusterDumps;
import dev.fleetwarden.demo.FullClusterDumps.Planted;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.kube.LiveDump;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.render.FleetRenderer;
import dev.fleetwarden.render.RenderListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "done when" on the example fleet: {@code diff --live-from} on whole-cluster dumps
 * ({@code kubectl get -A -o yaml} of every kind, after the controllers ran: server defaults,
 * managedFields, injected CA bundles, aggregated ClusterRole rules, allocated addresses, Endpoints
 * and EndpointSlices carrying the ownership label, ReplicaSets, Pods, ControllerRevisions, claims,
 * Jobs, Leases, token Secrets) reports exactly the changes people made ({@link
 * FullClusterDumps#PLANTED}), each at its field with its manager, and nothing else.
 *
 * <p>The dumps are committed under {@value #DUMPS}; {@link FullClusterDumps} makes them from the
 * example fleet's render. After a change of the example fleet, regenerate them with {@code
 * -Ddumps.update=true} and review the diff.
 */
class FullClusterDumpIT {
  static final String DUMPS = "src/test/resources/dev/fleetwarden/app/full-cluster-dumps";
  private static final boolean UPDATE = Boolean.getBoolean("dumps.update");

  @TempDir Path tmp;

  @Test
  void theCommittedDumpsAreWhatTheClustersShowForTheExampleFleetsRender() throws Exception {
    Map<String, ClusterRender> renders =
        new FleetRenderer()
            .renderAll(FleetLoader.load(Path.of("fleet-repo-example")), RenderListener.NONE);
    Map<String, String> dumps = FullClusterDumps.dumps(renders);
    for (Map.Entry<String, String> e : dumps.entrySet()) {
      Path file = Path.of(DUMPS, e.getKey(), "all.yaml");
      if (UPDATE) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, e.getValue());
        continue;
      }
      assertThat(file).as("dump of %s; create it with -Ddumps.update=true", e.getKey()).exists();
      assertThat(e.getValue())
          .as(
              "dump of %s differs from %s; if intended, rerun with -Ddumps.update=true",
              e.getKey(), file)
          .isEqualTo(Files.readString(file));
    }
  }

  @Test
  void aWholeClusterDumpLoadsEveryKindFromOneList() throws Exception {
    List<ObjectNode> objects = new LiveDump(Path.of(DUMPS)).read("prod-eu-1");
    Set<String> kinds =
        objects.stream()
            .map(o -> o.path("kind").asText())
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(kinds)
        .contains(
            "Endpoints",
            "EndpointSlice",
            "ReplicaSet",
            "Pod",
            "ControllerRevision",
            "PersistentVolumeClaim",
            "PersistentVolume",
            "Job",
            "Lease",
            "Secret",
            "ConfigMap",
            "Node",
            "CustomResourceDefinition",
            "Event",
            "ValidatingWebhookConfiguration",
            "ClusterRole",
            "StatefulSet",
            "CronJob",
            "HorizontalPodAutoscaler");
    assertThat(objects).hasSizeGreaterThan(150);
    // controllers copy the Service's labels, the ownership label included
    assertThat(objects)
        .anyMatch(
            o ->
                o.path("kind").asText().equals("EndpointSlice")
                    && o.at("/metadata/labels/fleetwarden.dev~1addon")
                        .asText()
                        .equals("monitoring"));
  }

  @Test
  void diffOnWholeClusterDumpsReportsExactlyThePlantedChangesAtTheirFieldsWithTheirManagers()
      throws Exception {
    CliIT.Run r =
        CliIT.run(
            "diff",
            "--repo",
            "fleet-repo-example",
            "-q",
            "-c",
            "dev-1",
            "-c",
            "prod-eu-1",
            "-c",
            "staging-1",
            "--live-from",
            DUMPS,
            "-o",
            "json",
            "--state-dir",
            tmp.resolve("state").toString());
    JsonNode report = r.json();
    assertThat(r.code()).as(r.err()).isEqualTo(2);

    Map<String, JsonNode> clusters = new HashMap<>();
    report.path("clusters").forEach(c -> clusters.put(c.path("name").asText(), c));
    assertThat(clusters).containsOnlyKeys(FullClusterDumps.CLUSTERS);
    // every cluster and every planted change checked, all mismatches reported at once
    SoftAssertions soft = new SoftAssertions();
    for (String cluster : FullClusterDumps.CLUSTERS) {
      JsonNode c = clusters.get(cluster);
      List<Planted> planted =
          FullClusterDumps.PLANTED.stream().filter(p -> p.cluster().equals(cluster)).toList();
      Map<String, JsonNode> drifts = new HashMap<>();
      c.path("drifts").forEach(d -> drifts.put(d.path("resource").asText(), d));
      soft.assertThat(drifts.keySet())
          .as("%s reports exactly the planted changes:%n%s", cluster, summary(c))
          .containsExactlyInAnyOrderElementsOf(planted.stream().map(Planted::resource).toList());
      soft.assertThat(c.path("status").asText())
          .as("%s", cluster)
          .isEqualTo(planted.isEmpty() ? "in-sync" : "drifted");
      for (Planted p : planted) {
        JsonNode drift = drifts.get(p.resource());
        if (drift == null) {
          continue; // reported above
        }
        soft.assertThat(drift.path("type").asText()).as("type of %s", p).isEqualTo(p.type());
        JsonNode fields = drift.path("fields");
        soft.assertThat(fields).as("%s: one field:%n%s", p, drift.toPrettyString()).hasSize(1);
        JsonNode field = fields.path(0);
        soft.assertThat(field.path("path").asText()).as("path of %s", p).isEqualTo(p.path());
        soft.assertThat(field.path("manager").asText())
            .as("manager of %s", p)
            .isEqualTo(p.manager());
        soft.assertThat(field.path("time").asText()).as("time of %s", p).isEqualTo(p.time());
      }
    }

    JsonNode prod = clusters.get("prod-eu-1");
    soft.assertThat(field(prod, "ValidatingWebhookConfiguration").path("desired").asText())
        .isEqualTo("Fail");
    soft.assertThat(field(prod, "ValidatingWebhookConfiguration").path("live").asText())
        .isEqualTo("Ignore");
    soft.assertThat(field(prod, "StatefulSet").path("desired").asText())
        .isEqualTo("quay.io/prometheus/prometheus:v2.54.1");
    soft.assertThat(field(prod, "StatefulSet").path("live").asText())
        .isEqualTo(FullClusterDumps.PROMETHEUS_HOTFIX);
    JsonNode debug = field(prod, "Deployment");
    soft.assertThat(debug.has("desired")).as("an addition has no desired value").isFalse();
    soft.assertThat(debug.path("live").toString()).contains("busybox:1.36");
    JsonNode staging = clusters.get("staging-1");
    soft.assertThat(field(staging, "CronJob").path("live").asBoolean()).isTrue();
    soft.assertThat(field(staging, "ClusterRole").path("live").toString()).contains("secrets");
    soft.assertAll();
  }

  /** One line per drift: resource, type and its fields' paths. */
  private static String summary(JsonNode cluster) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode d : cluster.path("drifts")) {
      sb.append("  ")
          .append(d.path("resource").asText())
          .append(' ')
          .append(d.path("type").asText());
      for (JsonNode f : d.path("fields")) {
        sb.append("\n      ")
            .append(f.path("path").asText())
            .append(" (")
            .append(f.path("manager").asText("?"))
            .append(')');
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** The first drifted field of the cluster's drift of a kind (missing node: none). */
  private static JsonNode field(JsonNode cluster, String kind) {
    for (JsonNode d : cluster.path("drifts")) {
      if (d.path("resource").asText().contains("/" + kind + ".")) {
        return d.at("/fields/0");
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }
}

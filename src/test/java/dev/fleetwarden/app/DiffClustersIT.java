package dev.fleetwarden.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.ExampleCharts;
import dev.fleetwarden.demo.EmbeddedFleet;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.render.RenderListener;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code diff} against five API servers at once (one reached through a Cluster API kubeconfig
 * Secret in the management cluster): drift found in the right cluster, a stopped server is unknown
 * while the others are still compared.
 */
class DiffClustersIT {
  @TempDir Path tmp;

  @Test
  void driftInTheRightClusterAndAStoppedOneIsUnknown() throws Exception {
    Fleet fleet = FleetLoader.load(Path.of("fleet-repo-example"));
    try (EmbeddedFleet clusters = EmbeddedFleet.forFleet(fleet, tmp.resolve("kubeconfig"))) {
      for (ClusterRender r :
          ExampleCharts.rendering().renderAll(fleet, RenderListener.NONE).all().values()) {
        clusters.apply(r.cluster(), r.objects());
      }
      ObjectNode cm =
          clusters.get("staging-1", "v1", "ConfigMap", "monitoring", "prometheus-config");
      ((ObjectNode) cm.get("data")).put("retention", "1h");
      clusters.update("staging-1", cm);
      clusters.stop("dev-1");

      CliIT.Run r =
          CliIT.run(
              "diff",
              "--repo",
              "fleet-repo-example",
              "-q",
              "-o",
              "json",
              "--kubeconfig",
              clusters.kubeconfigPath().toString(),
              "--kubeconfig-secret",
              "fleet-system/prod-us-1-kubeconfig",
              "--state-dir",
              tmp.resolve("state").toString());
      assertThat(r.code()).as(r.err()).isEqualTo(2);
      JsonNode report = r.json();
      assertThat(
              java.util.stream.StreamSupport.stream(report.path("clusters").spliterator(), false)
                  .map(c -> c.path("name").asText()))
          .containsExactly("dev-1", "mgmt", "prod-eu-1", "prod-us-1", "staging-1");
      assertThat(
              java.util.stream.StreamSupport.stream(report.path("clusters").spliterator(), false)
                  .map(c -> c.path("status").asText()))
          .containsExactly("unknown", "in-sync", "in-sync", "in-sync", "drifted");
      assertThat(report.at("/clusters/0/reason").asText()).isNotBlank();
      assertThat(report.at("/clusters/0/drifts")).isEmpty();
      JsonNode drift = report.at("/clusters/4/drifts/0");
      assertThat(drift.path("resource").asText())
          .isEqualTo("staging-1/ConfigMap/monitoring/prometheus-config");
      assertThat(drift.at("/fields/0/path").asText()).isEqualTo("/data/retention");
      assertThat(drift.at("/fields/0/desired").asText()).isEqualTo("7d");
      assertThat(drift.at("/fields/0/live").asText()).isEqualTo("1h");
      assertThat(drift.at("/fields/0/origin/file").asText()).isEqualTo("environments/staging.yaml");
    }
  }
}

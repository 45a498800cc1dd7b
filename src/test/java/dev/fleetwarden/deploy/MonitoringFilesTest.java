package dev.fleetwarden.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** deploy/prometheus-rule.yaml and deploy/grafana-dashboard.json name only real metrics. */
class MonitoringFilesTest {

  /** Alert name -> its expression. */
  static Map<String, String> alerts() {
    List<ObjectNode> docs =
        DeployFiles.readYamlFile(DeployFiles.deployDir().resolve("prometheus-rule.yaml"));
    ObjectNode rule = DeployFiles.single(docs, "PrometheusRule");
    assertThat(rule.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode group : rule.path("spec").path("groups")) {
      assertThat(group.path("name").asText()).isNotBlank();
      for (JsonNode r : group.path("rules")) {
        out.put(r.path("alert").asText(r.path("record").asText()), r.path("expr").asText());
      }
    }
    return out;
  }

  /** Every query in the dashboard: panel targets and templating variables. */
  static List<String> dashboardQueries() throws Exception {
    JsonNode d =
        DeployFiles.JSON.readTree(
            Files.readString(DeployFiles.deployDir().resolve("grafana-dashboard.json")));
    assertThat(d.path("title").asText()).isNotBlank();
    List<String> out = new ArrayList<>();
    List<JsonNode> panels = new ArrayList<>();
    d.path("panels").forEach(panels::add);
    for (int i = 0; i < panels.size(); i++) {
      panels.get(i).path("panels").forEach(panels::add); // rows
      for (JsonNode t : panels.get(i).path("targets")) {
        out.add(t.path("expr").asText());
      }
    }
    for (JsonNode v : d.path("templating").path("list")) {
      if (v.path("type").asText().equals("query")) {
        JsonNode q = v.path("query");
        out.add(q.isObject() ? q.path("query").asText() : q.asText());
      }
    }
    return out;
  }

  @Test
  void promqlReaderFindsMetricsAndIgnoresFunctionsLabelsAndRanges() {
    assertThat(
            Metrics.metricNames(
                "sum by (cluster) (increase(fleetwarden_scan_failures_total{cluster=~\"a|b\"}[30m])) >= 3"))
        .containsExactly("fleetwarden_scan_failures_total");
    assertThat(Metrics.metricNames("time() - max(x_seconds) > 900 and on(job) up offset 5m"))
        .containsExactly("x_seconds", "up");
    assertThat(Metrics.metricNames("label_values(fleetwarden_cluster_reachable, cluster)"))
        .containsExactly("fleetwarden_cluster_reachable");
  }

  @Test
  void alertsCoverTheFailureModesOfFleetwardenItself() {
    Map<String, String> alerts = alerts();
    Map<String, String> needed =
        Map.of(
            "scan failing", "fleetwarden_scan_failures_total",
            "cluster unreachable", "fleetwarden_cluster_reachable",
            "outbox backlog", "fleetwarden_outbox_pending",
            "git not updated", "fleetwarden_git_last_success_timestamp_seconds",
            "render errors", "fleetwarden_render_errors_total");
    needed.forEach(
        (what, metric) ->
            assertThat(
                    alerts.values().stream().anyMatch(e -> Metrics.metricNames(e).contains(metric)))
                .as("an alert for " + what + " on " + metric)
                .isTrue());
  }

  @Test
  void alertsNameOnlyExposedMetricsAndCarryRunbookText() throws Exception {
    List<ObjectNode> docs =
        DeployFiles.readYamlFile(DeployFiles.deployDir().resolve("prometheus-rule.yaml"));
    Set<String> allowed = Metrics.allowedSeries();
    for (JsonNode group : docs.get(0).path("spec").path("groups")) {
      for (JsonNode r : group.path("rules")) {
        String name = r.path("alert").asText();
        assertThat(name).startsWith("Fleetwarden");
        Set<String> used = Metrics.metricNames(r.path("expr").asText());
        assertThat(used).as(name + " selects a metric").isNotEmpty();
        assertThat(allowed).as(name + " metrics").containsAll(used);
        assertThat(r.path("labels").path("severity").asText())
            .as(name)
            .isIn("info", "warning", "critical");
        assertThat(r.path("annotations").path("summary").asText()).as(name).isNotBlank();
        assertThat(r.path("annotations").path("description").asText()).as(name).isNotBlank();
      }
    }
  }

  @Test
  void dashboardNamesOnlyExposedMetricsAndShowsEachOfThem() throws Exception {
    Set<String> allowed = Metrics.allowedSeries();
    Set<String> shown = new LinkedHashSet<>();
    List<String> queries = dashboardQueries();
    assertThat(queries).hasSizeGreaterThanOrEqualTo(8);
    for (String q : queries) {
      Set<String> used = Metrics.metricNames(q);
      assertThat(used).as(q).isNotEmpty();
      assertThat(allowed).as(q).containsAll(used);
      used.forEach(u -> shown.add(Metrics.baseOf(u)));
    }
    assertThat(shown).containsExactlyInAnyOrderElementsOf(Metrics.EXPOSED);
  }
}

package dev.fleetwarden.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.demo.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Ref;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command: the whole loop on embedded clusters. */
class DemoIT {
  @TempDir Path tmp;

  @Test
  void demoFindsEveryRealChangeAndNoCosmeticOneAlertsAndOpensPullRequests() throws Exception {
    CliIT.Run r =
        CliIT.run(
            "demo",
            "--repo",
            "fleet-repo-example",
            "--no-terraform",
            "-q",
            "--work-dir",
            tmp.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    String out = r.out();
    assertThat(out)
        .contains(
            "Summary: 5 clusters: 1 in-sync, 4 drifted; 7 objects differ (5 modified, 1 missing, 1 orphan); 1 critical")
        .contains(
            "/spec/template/spec/containers/name=controller/image: registry.k8s.io/ingress-nginx/controller:v1.11.2 → registry.k8s.io/ingress-nginx/controller:v1.11.3-hotfix   (changed by kubectl-edit")
        .contains("/spec/replicas: 4 → 6")
        .contains("set in clusters/prod-eu-1/values/ingress.yaml:2")
        .contains("- NetworkPolicy.networking.k8s.io/team-search/default-deny  missing")
        // a deleted NetworkPolicy is critical, with the reason of the default rule
        .contains("CRITICAL\n      ! NetworkPolicy deleted  [netpol-removed]")
        .contains("Drift on prod-us-1: critical")
        .contains("+ ConfigMap/ingress-system/legacy-ingress-config  orphan")
        .contains("/data/slack-webhook-url: hmac:")
        .doesNotContain("fake-demo-webhook")
        // the hotfix on prod-us-1 is its two fields: the cosmetic changes there are not drift
        .contains("/spec/replicas: 3 → 6")
        .doesNotContain("imagePullPolicy")
        .doesNotContain("524288Ki")
        // Slack messages on the console, routed by fleet.yaml
        .contains("── #platform-prod-alerts")
        .contains("@platform-oncall")
        .contains("Drift on prod-eu-1")
        // the same hotfix on both prod clusters: one fleet-wide message, not one per cluster
        .contains("Same drift on 2 clusters")
        .contains("• *prod-eu-1* (`prod`)")
        .contains("• *prod-us-1* (`prod`)")
        // remediation pull requests as branches in a local clone: one for the group, editing
        // values lines (the environment's, and prod-eu-1's own override), no patch
        .contains(
            "CREATED Deployment.apps/ingress-system/ingress-controller: environment prod for"
                + " prod-eu-1, prod-us-1 (PR")
        .doesNotContain("CREATED prod-eu-1/Deployment.apps/ingress-system/ingress-controller")
        .doesNotContain("CREATED prod-us-1/Deployment.apps/ingress-system/ingress-controller")
        .contains("ALERT_ONLY prod-eu-1/Secret/monitoring/alertmanager-credentials");
    assertThat(out.split("Same drift on 2 clusters", -1)).as("one group message").hasSize(2);
    String hotfix =
        Files.readString(
            tmp.resolve("pull-requests")
                .resolve(
                    "pr-"
                        + prNumber(out, " Deployment.apps/ingress-system/ingress-controller")
                        + ".md"));
    assertThat(hotfix)
        .contains("## The same drift on 2 clusters: `prod-eu-1`, `prod-us-1`")
        .contains(
            "Sets `/spec/replicas` in `environments/prod.yaml` line 12 from `3` to the live `6`")
        .contains(
            "Sets `/spec/template/spec/containers/name=controller/image` in"
                + " `environments/prod.yaml` line 18 from `(not set here)` to the live"
                + " `v1.11.3-hotfix`")
        .contains(
            "Sets `/controller/replicas` in `clusters/prod-eu-1/values/ingress.yaml` line 2 from"
                + " `4` to the live `6`")
        .doesNotContain("patches/");
    try (Git origin = Git.open(tmp.resolve("fleet-origin").toFile())) {
      List<String> branches = origin.branchList().call().stream().map(Ref::getName).toList();
      assertThat(branches)
          .anyMatch(b -> b.startsWith("refs/heads/fleetwarden/group/"))
          .noneMatch(b -> b.startsWith("refs/heads/fleetwarden/drift/prod-us-1/"));
    }
    try (var files = Files.list(tmp.resolve("pull-requests"))) {
      assertThat(files.toList()).isNotEmpty();
    }
  }

  @Test
  void withJsonOutputStdoutIsOneJsonDocumentAndTheNarrativeGoesToStderr() throws Exception {
    CliIT.Run r =
        CliIT.run(
            "demo",
            "--repo",
            "fleet-repo-example",
            "--no-terraform",
            "-q",
            "-o",
            "json",
            "--work-dir",
            tmp.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    JsonNode report = r.json();
    assertThat(report.path("clusters")).hasSize(5);
    assertThat(r.err())
        .contains("Drift on prod-eu-1")
        .contains("CREATED Deployment.apps/ingress-system/ingress-controller: environment prod");
  }

  @Test
  void demoWithTerraformShowsCloudDriftOfTheAppliedStack() throws Exception {
    Assumptions.assumeTrue(
        MotoServer.findOnPath().isPresent(), "moto_server is not on PATH: install moto[server]");
    CliIT.Run r =
        CliIT.run(
            "demo",
            "--repo",
            "fleet-repo-example",
            "-q",
            "-o",
            "json",
            "--work-dir",
            tmp.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    String json = r.out();
    JsonNode report = r.json();
    JsonNode prod = report.at("/clusters/2");
    assertThat(prod.path("name").asText()).isEqualTo("prod-eu-1");
    assertThat(prod.at("/terraform/status").asText()).as(r.out()).isEqualTo("drifted");
    // By default only the stack the demo changes is applied and checked.
    assertThat(report.at("/clusters/0/name").asText()).isEqualTo("dev-1");
    assertThat(report.at("/clusters/0/terraform/reason").asText())
        .isEqualTo("stack not applied in this demo");
    assertThat(prod.path("drifts").findValuesAsText("resource"))
        .contains(
            "prod-eu-1/terraform/aws_security_group.nodes", "prod-eu-1/terraform/aws_vpc.main");
    assertThat(json).contains("\"path\" : \"/tags/team\"").contains("someone-else");
    // The rule opened to the world is reported on its own and is critical, with its reason.
    JsonNode sg =
        java.util.stream.StreamSupport.stream(prod.path("drifts").spliterator(), false)
            .filter(d -> d.path("resource").asText().endsWith("/aws_security_group.nodes"))
            .findFirst()
            .orElseThrow();
    assertThat(sg.at("/fields/0/path").asText())
        .isEqualTo("/ingress/from_port=22,to_port=22,protocol=tcp");
    assertThat(sg.path("severity").asText()).isEqualTo("critical");
    assertThat(sg.at("/risk/0/rule").asText()).isEqualTo("sg-ingress-open-world");
    assertThat(sg.at("/risk/0/reason").asText())
        .isEqualTo("security group ingress open to the internet (0.0.0.0/0 or ::/0)");
    assertThat(prod.path("severity").asText()).isEqualTo("critical");
    assertThat(r.err()).contains("Drift on prod-eu-1: critical");
    // The scaled node group maps to one infrastructure input: a pull request. The rule and the
    // shared tag do not: alerted, with the reason.
    assertThat(json).contains("\"path\" : \"/scaling_config/0/desired_size\"");
    assertThat(r.err())
        .contains("CREATED prod-eu-1/terraform/aws_eks_node_group.general: infrastructure")
        .contains("ALERT_ONLY prod-eu-1/terraform/aws_vpc.main: infrastructure input `tags/team`")
        .contains("ALERT_ONLY prod-eu-1/terraform/aws_security_group.nodes");
    assertThat(
            java.nio.file.Files.readString(
                tmp.resolve("pull-requests")
                    .resolve("pr-" + prNumber(r.err(), "aws_eks_node_group.general") + ".md")))
        .contains("desiredSize")
        .contains("clusters/prod-eu-1/cluster.yaml");
  }

  /** The PR number the demo printed for a resource ("... (PR #n)"). */
  private static int prNumber(String out, String resource) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                java.util.regex.Pattern.quote(resource) + ":.*\\(PR #(\\d+)\\)")
            .matcher(out);
    assertThat(m.find()).as(out).isTrue();
    return Integer.parseInt(m.group(1));
  }
}

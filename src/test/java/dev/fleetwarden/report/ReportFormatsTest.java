package dev.fleetwarden.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleetwarden.model.ClusterReport;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.FleetReport;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.PartStatus;
import dev.fleetwarden.model.ResourceId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportFormatsTest {
  private static final Instant T = Instant.parse("2026-11-23T07:00:00Z");

  private static FleetReport sample() {
    ObjectDrift image =
        new ObjectDrift(
            new ResourceId("prod-eu-1", "apps", "Deployment", "ingress", "ingress-controller"),
            "ingress",
            DriftSource.KUBERNETES,
            DriftType.MODIFIED,
            "addons/ingress/chart/templates/deployment.yaml",
            List.of(
                new FieldDrift(
                        "/spec/template/spec/containers/0/image",
                        TextNode.valueOf("nginx:1"),
                        TextNode.valueOf("nginx:2"))
                    .withManager("kubectl-edit", T)));
    ObjectDrift sg =
        new ObjectDrift(
            ResourceId.terraform("prod-eu-1", "aws_security_group.nodes"),
            null,
            DriftSource.TERRAFORM,
            DriftType.MODIFIED,
            null,
            List.of(new FieldDrift("/tags/owner", TextNode.valueOf("a"), TextNode.valueOf("b"))));
    ObjectDrift missing =
        new ObjectDrift(
            new ResourceId(
                "prod-eu-1", "networking.k8s.io", "NetworkPolicy", "team-a", "default-deny"),
            "network-policies",
            DriftSource.KUBERNETES,
            DriftType.MISSING,
            null,
            List.of());
    ClusterReport drifted =
        ClusterReport.combine(
            "prod-eu-1", PartStatus.of(true), PartStatus.of(true), List.of(image, sg, missing));
    ClusterReport unknown =
        ClusterReport.combine("dev-1", PartStatus.unknown("connection refused"), null, List.of());
    ClusterReport fine =
        ClusterReport.combine(
            "staging-1",
            PartStatus.of(false),
            new PartStatus(dev.fleetwarden.model.ClusterStatus.IN_SYNC, null),
            List.of(
                new ObjectDrift(
                    ResourceId.terraform("staging-1", "aws_eks_node_group.general"),
                    null,
                    DriftSource.TERRAFORM,
                    DriftType.PENDING,
                    null,
                    List.of(
                        new FieldDrift(
                            "/scaling_config/0/desired_size",
                            IntNode.valueOf(3),
                            IntNode.valueOf(2))))));
    return new FleetReport(List.of(drifted, unknown, fine));
  }

  @Test
  void jsonHasTheDocumentedShape() throws Exception {
    JsonNode json = ReportJson.MAPPER.readTree(ReportJson.format(sample()));
    JsonNode prod = json.at("/clusters/1");
    assertThat(prod.path("name").asText()).isEqualTo("prod-eu-1");
    assertThat(prod.path("status").asText()).isEqualTo("drifted");
    assertThat(prod.has("reason")).isTrue();
    assertThat(prod.path("reason").isNull()).isTrue();
    JsonNode first = prod.at("/drifts/0");
    assertThat(first.path("resource").asText())
        .isEqualTo("prod-eu-1/Deployment.apps/ingress/ingress-controller");
    assertThat(first.path("addon").asText()).isEqualTo("ingress");
    assertThat(first.path("type").asText()).isEqualTo("modified");
    assertThat(first.path("source").asText()).isEqualTo("kubernetes");
    JsonNode field = first.at("/fields/0");
    assertThat(field.path("path").asText()).isEqualTo("/spec/template/spec/containers/0/image");
    assertThat(field.path("desired").asText()).isEqualTo("nginx:1");
    assertThat(field.path("live").asText()).isEqualTo("nginx:2");
    assertThat(field.path("manager").asText()).isEqualTo("kubectl-edit");
    assertThat(field.path("time").asText()).isEqualTo("2026-11-23T07:00:00Z");
    assertThat(prod.at("/drifts/2/resource").asText())
        .isEqualTo("prod-eu-1/terraform/aws_security_group.nodes");
    assertThat(prod.at("/drifts/2/source").asText()).isEqualTo("terraform");
    JsonNode dev = json.at("/clusters/0");
    assertThat(dev.path("status").asText()).isEqualTo("unknown");
    assertThat(dev.path("reason").asText()).isEqualTo("connection refused");
    assertThat(json.at("/clusters/2/status").asText()).isEqualTo("drifted");
    assertThat(json.at("/clusters/2/severity").asText()).isEqualTo("pending");
    assertThat(prod.path("severity").asText()).isEqualTo("missing");
    // no drift is shared by two clusters here
    assertThat(json.path("groups").isArray()).isTrue();
    assertThat(json.path("groups")).isEmpty();
  }

  @Test
  void jsonListsTheDriftsSeveralClustersShareAsGroups() throws Exception {
    List<ClusterReport> clusters = new java.util.ArrayList<>(sample().clusters());
    ObjectDrift sameImage =
        new ObjectDrift(
            new ResourceId("prod-us-1", "apps", "Deployment", "ingress", "ingress-controller"),
            "ingress",
            DriftSource.KUBERNETES,
            DriftType.MODIFIED,
            "addons/ingress/chart/templates/deployment.yaml",
            List.of(
                new FieldDrift(
                        "/spec/template/spec/containers/0/image",
                        TextNode.valueOf("nginx:1"),
                        TextNode.valueOf("nginx:2"))
                    .withManager("kubectl-set", T)));
    clusters.add(ClusterReport.combine("prod-us-1", PartStatus.of(true), null, List.of(sameImage)));

    JsonNode json = ReportJson.MAPPER.readTree(ReportJson.format(new FleetReport(clusters)));

    assertThat(json.path("groups")).hasSize(1);
    JsonNode group = json.at("/groups/0");
    assertThat(group.path("fingerprint").asText()).hasSize(32);
    assertThat(group.path("resource").asText())
        .isEqualTo("Deployment.apps/ingress/ingress-controller");
    assertThat(group.at("/paths/0").asText()).isEqualTo("/spec/template/spec/containers/0/image");
    assertThat(group.path("clusters").toString()).isEqualTo("[\"prod-eu-1\",\"prod-us-1\"]");
    assertThat(group.path("managers").toString()).isEqualTo("[\"kubectl-edit\",\"kubectl-set\"]");
  }

  @Test
  void textGroupsByClusterWithSummary() {
    String text = new ReportText(false).format(sample());
    assertThat(text)
        .contains("prod-eu-1  drifted")
        .contains("~ Deployment.apps/ingress/ingress-controller  modified  [ingress]")
        .contains(
            "/spec/template/spec/containers/0/image: nginx:1 → nginx:2   (changed by kubectl-edit at 2026-11-23T07:00:00Z)")
        .contains("- NetworkPolicy.networking.k8s.io/team-a/default-deny  missing")
        .contains("~ terraform/aws_security_group.nodes")
        .contains("dev-1  unknown: connection refused")
        .doesNotContain("\u001b[");
    assertThat(text.strip().lines().reduce((a, b) -> b).orElseThrow())
        .isEqualTo(
            "Summary: 3 clusters: 2 drifted, 1 unknown; 4 objects differ (2 modified, 1 missing, 1 pending)");
    assertThat(new ReportText(true).format(sample())).contains("\u001b[33mdrifted");
  }

  @Test
  void markdownHasATablePerObject() {
    String md = ReportMarkdown.format(sample());
    assertThat(md)
        .contains("| prod-eu-1 | drifted | missing | 3 |")
        .contains("#### `prod-eu-1/Deployment.apps/ingress/ingress-controller` — modified")
        .contains(
            "| `/spec/template/spec/containers/0/image` | `nginx:1` | `nginx:2` | kubectl-edit at 2026-11-23T07:00:00Z |");
  }

  @Test
  void exitCodesFollowTerraformDetailedExitcode() {
    assertThat(sample().exitCode()).isEqualTo(2);
    assertThat(
            new FleetReport(
                    List.of(ClusterReport.combine("a", PartStatus.of(false), null, List.of())))
                .exitCode())
        .isZero();
    assertThat(
            new FleetReport(
                    List.of(ClusterReport.combine("a", PartStatus.unknown("x"), null, List.of())))
                .exitCode())
        .isEqualTo(1);
  }
}

package dev.fleetwarden.preview;

import static dev.fleetwarden.preview.PreviewFixtures.N;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetwarden.fleet.FleetError;
import dev.fleetwarden.model.CheckRun;
import dev.fleetwarden.model.ResourceId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The preview printed as text, JSON and Markdown, and judged as a check run. */
class PreviewFormatsTest {
  private static final String BASE = "1111111111111111111111111111111111111111";
  private static final String HEAD = "2222222222222222222222222222222222222222";
  private static final Instant AT = Instant.parse("2026-11-23T02:14:09Z");

  private static ClusterPreview prod(String liveImage) {
    ResourceId web =
        ResourceId.parse("prod-eu-1/Deployment.apps/ingress-system/ingress-controller");
    return new ClusterPreview(
        "prod-eu-1",
        List.of(
            new ObjectChange(
                web,
                Change.MODIFIED,
                List.of(new FieldChange("/spec/replicas", N.numberNode(4), N.numberNode(5)))),
            new ObjectChange(
                ResourceId.parse("prod-eu-1/ConfigMap/ingress-system/extra"), Change.ADDED, null)),
        List.of(
            new ObjectChange(
                ResourceId.terraform("prod-eu-1", "aws_eks_node_group.general"),
                Change.MODIFIED,
                List.of(
                    new FieldChange(
                        "/scaling_config/desired_size", N.numberNode(3), N.numberNode(5))))),
        List.of(
            new DriftOverwrite(
                web,
                "/spec/template/spec/containers/0/image",
                N.textNode("controller:v1.11.2"),
                N.textNode(liveImage),
                "kubectl-edit",
                AT)),
        List.of(new DriftResolution(web, "/spec/template/metadata/annotations/restart")),
        null,
        null);
  }

  private static Preview preview(ClusterPreview... clusters) {
    return new Preview(BASE, HEAD, true, List.of(), List.of(clusters), clusters.length);
  }

  @Test
  void jsonHasExactlyTheDocumentedShape() throws Exception {
    JsonNode doc = new ObjectMapper().readTree(PreviewJson.format(preview(prod("v1.11.3-hotfix"))));
    assertThat(names(doc)).containsExactly("base", "head", "valid", "errors", "clusters");
    assertThat(doc.path("base").asText()).isEqualTo(BASE);
    assertThat(doc.path("valid").asBoolean()).isTrue();
    JsonNode c = doc.at("/clusters/0");
    assertThat(names(c))
        .containsExactly(
            "name", "objects", "terraform", "overwritesDrift", "resolvesDrift", "note");
    assertThat(names(c.at("/objects/0"))).containsExactly("resource", "change", "fields");
    assertThat(names(c.at("/objects/0/fields/0"))).containsExactly("path", "before", "after");
    assertThat(c.at("/objects/0/resource").asText())
        .isEqualTo("prod-eu-1/Deployment.apps/ingress-system/ingress-controller");
    assertThat(c.at("/objects/0/change").asText()).isEqualTo("modified");
    assertThat(c.at("/objects/0/fields/0/after").asInt()).isEqualTo(5);
    assertThat(c.at("/objects/1/change").asText()).isEqualTo("added");
    assertThat(c.at("/terraform/0/resource").asText())
        .isEqualTo("prod-eu-1/terraform/aws_eks_node_group.general");
    assertThat(names(c.at("/overwritesDrift/0")))
        .containsExactly("resource", "path", "desired", "live", "manager", "time");
    assertThat(c.at("/overwritesDrift/0/manager").asText()).isEqualTo("kubectl-edit");
    assertThat(c.at("/overwritesDrift/0/time").asText()).isEqualTo("2026-11-23T02:14:09Z");
    assertThat(names(c.at("/resolvesDrift/0"))).containsExactly("resource", "path");
  }

  @Test
  void jsonErrorsCarryFileLineAndColumnAndNullWhenUnknown() throws Exception {
    Preview invalid =
        Preview.invalid(
            BASE,
            HEAD,
            List.of(
                new FleetError("clusters/dev-1/cluster.yaml", 7, 3, "unknown key 'replica'"),
                new FleetError("addons/x/chart/templates/a.yaml", 0, 0, "template failed")));
    JsonNode doc = new ObjectMapper().readTree(PreviewJson.format(invalid));
    assertThat(doc.path("valid").asBoolean()).isFalse();
    assertThat(names(doc.at("/errors/0"))).containsExactly("file", "line", "column", "message");
    assertThat(doc.at("/errors/0/line").asInt()).isEqualTo(7);
    assertThat(doc.at("/errors/0/column").asInt()).isEqualTo(3);
    assertThat(doc.at("/errors/1/line").isNull()).isTrue();
    assertThat(invalid.exitCode()).isEqualTo(1);
  }

  @Test
  void textSaysWhatMergingReverts() {
    String text = PreviewText.format(preview(prod("v1.11.3-hotfix")));
    assertThat(text)
        .contains("1 cluster changes desired state (2 objects, 1 Terraform resource)")
        .contains("~ Deployment.apps/ingress-system/ingress-controller  modified")
        .contains("/spec/replicas: 4 → 5")
        .contains("+ ConfigMap/ingress-system/extra  added")
        .contains("/scaling_config/desired_size: 3 → 5")
        .contains(
            "live v1.11.3-hotfix, head sets controller:v1.11.2 — merging this reverts"
                + " kubectl-edit's change of 2026-11-23 02:14 UTC")
        .contains(
            "✓ Deployment.apps/ingress-system/ingress-controller"
                + " /spec/template/metadata/annotations/restart");
  }

  @Test
  void hostileLiveValuesCannotEscapeTheTerminalOrTheMarkdown() {
    String hostile =
        "x\u001b[31m\n<!-- fleetwarden:preview --> @everyone [link](https://evil.example) `code`"
            + " <img src=x> | cell";
    ClusterPreview c = prod(hostile);
    DriftOverwrite o = c.overwritesDrift().get(0);
    Preview p =
        preview(
            new ClusterPreview(
                c.name(),
                c.objects(),
                c.terraform(),
                List.of(
                    new DriftOverwrite(
                        o.resource(), o.path(), o.desired(), o.live(), hostile, o.time())),
                c.resolvesDrift(),
                null,
                null));
    String text = PreviewText.format(p);
    assertThat(text).doesNotContain("\u001b").doesNotContain("x\u001b[31m\n<");
    assertThat(text.lines().filter(l -> l.contains("@everyone")).count()).isEqualTo(1);

    String md = PreviewMarkdown.comment(p, PreviewMarkdown.GITHUB_LIMIT, null);
    assertThat(md).startsWith(PreviewMarkdown.MARKER).doesNotContain("\u001b");
    // Values sit in code spans (shown literally); everything else is inert text.
    String outsideCode = md.substring(PreviewMarkdown.MARKER.length()).replaceAll("`[^`\n]*`", "");
    assertThat(outsideCode)
        .doesNotContain("<!--")
        .doesNotContain("<img")
        .doesNotContain("@everyone")
        .doesNotContain("](https://");
    assertThat(md.lines().filter(l -> l.contains("@")).count()).isEqualTo(1);
    String json = PreviewJson.format(p);
    assertThat(json).doesNotContain("\u001b").containsIgnoringCase("\\u001b");
  }

  @Test
  void theCommentKeepsWithinGitHubsLimitAndSaysWhatItLeftOut() {
    List<ClusterPreview> many = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      ClusterPreview base = prod("v" + i);
      List<ObjectChange> objects = new ArrayList<>();
      for (int k = 0; k < 20; k++) {
        objects.add(
            new ObjectChange(
                ResourceId.parse("c/ConfigMap/ns/config-" + k),
                Change.MODIFIED,
                List.of(
                    new FieldChange(
                        "/data/key", N.textNode("a".repeat(150)), N.textNode("b".repeat(150))))));
      }
      many.add(
          new ClusterPreview(
              String.format("gen-%03d", i),
              objects,
              base.terraform(),
              base.overwritesDrift(),
              base.resolvesDrift(),
              null,
              null));
    }
    Preview p = new Preview(BASE, HEAD, true, List.of(), many, many.size());
    String footer = "<sub>footer of the service</sub>";
    String md = PreviewMarkdown.comment(p, PreviewMarkdown.GITHUB_LIMIT, footer);
    assertThat(md.length()).isLessThanOrEqualTo(PreviewMarkdown.GITHUB_LIMIT);
    assertThat(md).startsWith(PreviewMarkdown.MARKER).endsWith(footer + "\n");
    assertThat(md).contains("| `gen-000` |").contains("**Truncated:**").contains("did not fit");
    assertThat(count(md, "<details>")).isEqualTo(count(md, "</details>"));
    // the summary comes first and is complete as far as it fits; details follow
    assertThat(md.indexOf("| `gen-010` |")).isLessThan(md.indexOf("<details>"));
    String whole = PreviewMarkdown.format(p);
    assertThat(whole.length()).isGreaterThan(PreviewMarkdown.GITHUB_LIMIT);
    assertThat(whole).doesNotContain("Truncated");
  }

  @Test
  void checkFailsOnAnInvalidHeadWithAnnotationsAtFileAndLine() {
    Preview invalid =
        Preview.invalid(
            BASE,
            HEAD,
            List.of(new FleetError("clusters/dev-1/cluster.yaml", 7, 3, "unknown key 'replica'")));
    CheckRun run = PreviewCheck.of(invalid);
    assertThat(run.name()).isEqualTo("fleetwarden/preview");
    assertThat(run.conclusion()).isEqualTo(CheckRun.Conclusion.FAILURE);
    assertThat(run.annotations())
        .containsExactly(
            new CheckRun.Annotation(
                "clusters/dev-1/cluster.yaml", 7, 3, "unknown key 'replica'", true));
    assertThat(run.title()).isEqualTo("Invalid fleet: 1 problem");
  }

  @Test
  void checkIsNeutralWhenMergingOverwritesLiveDriftElseSuccess() {
    assertThat(PreviewCheck.of(preview(prod("hotfix"))).conclusion())
        .isEqualTo(CheckRun.Conclusion.NEUTRAL);
    assertThat(PreviewCheck.of(preview(prod("hotfix"))).title())
        .isEqualTo("Overwrites 1 live change in 1 cluster");
    ClusterPreview calm =
        new ClusterPreview(
            "dev-1", prod("x").objects(), List.of(), List.of(), List.of(), null, null);
    CheckRun ok = PreviewCheck.of(preview(calm));
    assertThat(ok.conclusion()).isEqualTo(CheckRun.Conclusion.SUCCESS);
    assertThat(ok.title()).isEqualTo("1 cluster changes desired state (2 objects)");
    assertThat(ok.summary()).contains("| `dev-1` | 1 | 0 | 1 | 0 | 0 | 0 |");
    assertThat(preview(calm).exitCode()).isEqualTo(2);
    assertThat(preview().exitCode()).isZero();
  }

  private static List<String> names(JsonNode node) {
    List<String> out = new ArrayList<>();
    Iterator<String> it = node.fieldNames();
    it.forEachRemaining(out::add);
    return out;
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}

package dev.fleetwarden.remediate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PullRequestTextTest {
  @Test
  void aLongTitleIsCutBetweenWordsNotInsideOne() {
    ObjectDrift drift =
        new ObjectDrift(
            new ResourceId(
                "prod-eu-1", "", "ConfigMap", "ingress-system", "ingress-controller-config"),
            "ingress",
            DriftSource.KUBERNETES,
            DriftType.MODIFIED,
            null,
            List.of(
                new FieldDrift(
                    "/data/enable-topology-aware-routing",
                    IntNode.valueOf(1),
                    IntNode.valueOf(2))));
    String title = PullRequestText.title(drift);
    assertThat(title).hasSizeLessThanOrEqualTo(100).endsWith("…");
    assertThat(title.substring(0, title.length() - 1))
        .isEqualTo("Adopt live /data/enable-topology-aware-routing of ConfigMap/ingress-system/");
    assertThat(PullRequestText.shorten("short", 100)).isEqualTo("short");
    assertThat(PullRequestText.shorten("x".repeat(120), 100)).hasSize(100);
  }

  @Test
  void terraformDriftSaysItChangedOutsideTerraformNotAnUnknownFieldManager() {
    ObjectDrift drift =
        new ObjectDrift(
            ResourceId.terraform("prod-eu-1", "aws_eks_node_group.general"),
            null,
            DriftSource.TERRAFORM,
            DriftType.MODIFIED,
            null,
            List.of(
                new FieldDrift(
                    "/scaling_config/0/desired_size", IntNode.valueOf(3), IntNode.valueOf(5))));
    Finding f =
        new Finding(
            "prod-eu-1",
            "0123456789abcdef",
            drift,
            Instant.EPOCH,
            Instant.EPOCH,
            null,
            "r",
            "r",
            null);
    String message =
        PullRequestText.commitMessage(
            f,
            new ChangeSet(
                ChangeSet.Strategy.VALUE_EDIT,
                new java.util.TreeMap<>(),
                List.of(),
                "edit desiredSize in cluster.yaml",
                List.of("prod-eu-1"),
                true));
    assertThat(message).contains("(changed outside Terraform)").doesNotContain("field manager");
  }

  @Test
  void theDescriptionSaysWhereEachFieldWentInOneRowThatAFieldCannotBreak() {
    String hostile = "/data/a|b`](https://evil.example) @here\n| injected | row |";
    ObjectDrift drift =
        new ObjectDrift(
            ResourceId.parse("prod-1/Deployment.apps/web/web"),
            "web",
            DriftSource.KUBERNETES,
            DriftType.MODIFIED,
            null,
            List.of(
                new FieldDrift("/spec/replicas", IntNode.valueOf(2), IntNode.valueOf(3)),
                new FieldDrift(hostile, IntNode.valueOf(1), IntNode.valueOf(2))));
    Finding f =
        new Finding(
            "prod-1",
            "0123456789abcdef",
            drift,
            Instant.EPOCH,
            Instant.EPOCH,
            null,
            "r",
            "r",
            null);
    ChangeSet change =
        new ChangeSet(
            ChangeSet.Strategy.MIXED,
            new java.util.TreeMap<>(),
            List.of(),
            "explained",
            List.of("prod-1"),
            true,
            List.of(
                new ChangeSet.Adoption(
                    "/spec/replicas",
                    ChangeSet.Strategy.VALUE_EDIT,
                    "clusters/prod-1/values/web.yaml",
                    2,
                    "/replicas"),
                new ChangeSet.Adoption(
                    hostile,
                    ChangeSet.Strategy.PATCH_FILE,
                    "clusters/prod-1/patches/fleetwarden-0123456789.yaml",
                    14,
                    "/spec/set/x")));

    String body = PullRequestText.body(f, null, change);

    assertThat(change.how()).isEqualTo("value + patch");
    assertThat(body)
        .contains(
            "| field | adopted in |\n|---|---|\n"
                + "| `/spec/replicas` | values line `/replicas` in"
                + " `clusters/prod-1/values/web.yaml:2` |\n")
        .contains(
            "new patch (this cluster only) `clusters/prod-1/patches/fleetwarden-0123456789.yaml:14` |");
    String row = body.lines().filter(l -> l.contains("new patch")).findFirst().orElseThrow();
    // the field's pipes are escaped and its line break is shown, so it stays one row of two cells
    assertThat(row.replace("\\|", "").chars().filter(c -> c == '|').count()).isEqualTo(3);
    assertThat(body).doesNotContain("\n| injected | row |");
    assertThat(PullRequestText.commitMessage(f, change))
        .contains("- /spec/replicas: clusters/prod-1/values/web.yaml:2 (value)");
  }

  @Test
  void anIgnoreRulesDescriptionEscapesWhatTheClustersReported() {
    String manager = "evil</sub><img src=x> @platform-oncall [x](https://evil.example)";
    List<Finding> members =
        List.of("prod-1", "prod-2", "prod-3").stream()
            .map(
                c ->
                    Finding.observed(
                        new ObjectDrift(
                            new ResourceId(c, "apps", "Deployment", "web", "api"),
                            "web",
                            DriftSource.KUBERNETES,
                            DriftType.MODIFIED,
                            null,
                            List.of(
                                new FieldDrift(
                                    "/spec/replicas",
                                    IntNode.valueOf(2),
                                    IntNode.valueOf(7),
                                    manager,
                                    Instant.EPOCH,
                                    null))),
                        Instant.EPOCH,
                        null))
            .toList();
    IgnoreRulePlanner.Proposal p =
        new IgnoreRulePlanner.Proposal(
            IgnoreRulePlanner.choose(members),
            IgnoreRulePlanner.Form.MANAGER,
            "web",
            "addons/web/addon.yaml",
            "",
            null);
    String body = PullRequestText.ignoreBody("0123456789abcdef0123456789abcdef", members, p);
    // reported text is inert: inside one-line code spans, or escaped outside them
    String outsideCode = body.replaceAll("`[^`\\n]*`", "");
    assertThat(outsideCode)
        .doesNotContain("<img")
        .doesNotContain("](https")
        .doesNotContain(" @platform");
    assertThat(body).contains("`prod-3`").contains("| name | `api` |");
    String title = PullRequestText.ignoreTitle(members, p);
    // titles and commit messages are plain text, where only mentions and links would be live
    assertThat(title).hasSizeLessThanOrEqualTo(100).doesNotContain("@platform");
    assertThat(PullRequestText.ignoreCommitMessage("0123456789abcdef", members, p))
        .doesNotContain("@platform")
        .doesNotContain("https://")
        .contains("Drift-Group: 0123456789abcdef");
    assertThat(PullRequestText.ignoreBranch("0123456789abcdef0123"))
        .isEqualTo("fleetwarden/ignore/0123456789");
  }

  @Test
  void aGroupsPullRequestEscapesWhatTheClustersReported() {
    String manager = "evil</sub><img src=x> @platform-oncall [x](https://evil.example)";
    List<Finding> members =
        List.of("prod-1", "prod-2").stream()
            .map(
                c ->
                    Finding.observed(
                        new ObjectDrift(
                            new ResourceId(c, "apps", "Deployment", "web", "api"),
                            "web",
                            DriftSource.KUBERNETES,
                            DriftType.MODIFIED,
                            null,
                            List.of(
                                new FieldDrift(
                                    "/spec/template/metadata/annotations/note",
                                    TextNode.valueOf("ok"),
                                    TextNode.valueOf("<img src=x> @here [x](https://evil.example)"),
                                    manager,
                                    Instant.EPOCH,
                                    null))),
                        Instant.EPOCH,
                        null))
            .toList();
    ChangeSet change =
        new ChangeSet(
            ChangeSet.Strategy.VALUE_EDIT,
            new TreeMap<>(Map.of("environments/prod.yaml", "x: 1\n")),
            List.of(),
            "Sets the note in `environments/prod.yaml` line 3.",
            List.of("prod-1", "prod-2"),
            true);
    String body =
        PullRequestText.groupBody(
            "0123456789abcdef0123456789abcdef", members, "environment prod", change);
    // reported text is inert: inside one-line code spans, or escaped outside them
    String outsideCode = body.replaceAll("`[^`\\n]*`", "");
    assertThat(outsideCode)
        .doesNotContain("<img")
        .doesNotContain("](https")
        .doesNotContain(" @platform")
        .doesNotContain(" @here");
    assertThat(body).contains("`prod-1`, `prod-2`").contains("`environment prod`");
    // titles and commit messages are plain text, where only mentions and links would be live
    assertThat(PullRequestText.groupTitle(members))
        .hasSizeLessThanOrEqualTo(100)
        .doesNotContain("@");
    assertThat(PullRequestText.groupCommitMessage("0123456789abcdef", members, "env", change))
        .doesNotContain("@platform")
        .doesNotContain("@here")
        .doesNotContain("https://")
        .contains("Drift-Group: 0123456789abcdef");
    assertThat(PullRequestText.groupChangedComment(members, "environment prod"))
        .contains("`prod-1`, `prod-2`");
  }
}

package dev.fleetwarden.remediate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import java.time.Instant;
import java.util.List;
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
}

package dev.fleetwarden.preview;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class TerraformDiffTest {
  private static JsonNode stack(int desiredSize, boolean bucket) {
    return PreviewFixtures.yaml(
        """
        "//": {metadata: {version: 0.19.2, stackName: prod}}
        resource:
          aws_eks_node_group:
            general:
              "//": {metadata: {path: prod/node-group-general, uniqueId: general}}
              node_group_name: general
              scaling_config: {desired_size: %d, max_size: 9, min_size: 3}
              tags: {team: platform}
        %s
        data:
          aws_caller_identity:
            me: {}
        """
            .formatted(
                desiredSize,
                bucket ? "  aws_s3_bucket:\n    artifacts: {bucket: prod-artifacts}\n" : ""));
  }

  @Test
  void listsResourcesByAddressAndAttributesWithoutCdktfMetadata() {
    List<ObjectChange> changes = TerraformDiff.diff("prod", stack(3, false), stack(5, true));
    assertThat(changes).hasSize(2);
    ObjectChange group = changes.get(0);
    assertThat(group.resource().toString()).isEqualTo("prod/terraform/aws_eks_node_group.general");
    assertThat(group.change()).isEqualTo(Change.MODIFIED);
    assertThat(group.fields()).hasSize(1);
    assertThat(group.fields().get(0).path()).isEqualTo("/scaling_config/desired_size");
    assertThat(group.fields().get(0).before().asInt()).isEqualTo(3);
    assertThat(group.fields().get(0).after().asInt()).isEqualTo(5);
    assertThat(changes.get(1).resource().name()).isEqualTo("aws_s3_bucket.artifacts");
    assertThat(changes.get(1).change()).isEqualTo(Change.ADDED);
  }

  @Test
  void aStackThatGoesAwayRemovesEveryResourceAndDataSource() {
    List<ObjectChange> changes = TerraformDiff.diff("prod", stack(3, false), null);
    assertThat(changes)
        .extracting(o -> o.resource().name())
        .containsExactly("aws_eks_node_group.general", "data.aws_caller_identity.me");
    assertThat(changes).allSatisfy(o -> assertThat(o.change()).isEqualTo(Change.REMOVED));
    assertThat(TerraformDiff.diff("prod", stack(3, false), stack(3, false))).isEmpty();
  }
}

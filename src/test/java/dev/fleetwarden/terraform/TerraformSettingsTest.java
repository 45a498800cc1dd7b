package dev.fleetwarden.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.cdktf.StackInputs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TerraformSettingsTest {
  @Test
  void readsEnvironmentAndNeverPrintsSecretValues() {
    TerraformSettings s =
        TerraformSettings.fromEnvironment(
                Map.of(
                    "FLEETWARDEN_TERRAFORM_BINARY", "tofu",
                    "FLEETWARDEN_TERRAFORM_PLUGIN_MIRROR", "mirror",
                    "FLEETWARDEN_AWS_ENDPOINT", "http://127.0.0.1:5000",
                    "FLEETWARDEN_TERRAFORM_STEP_TIMEOUT", "90",
                    "FLEETWARDEN_TERRAFORM_PARALLELISM", "4"))
            .withEnvironment(Map.of("AWS_SECRET_ACCESS_KEY", "very-secret-value"));

    assertThat(s.binary()).isEqualTo("tofu");
    assertThat(s.pluginMirror()).isEqualTo(Path.of("mirror"));
    assertThat(s.endpoints()).containsEntry("ec2", "http://127.0.0.1:5000").containsKey("sts");
    assertThat(s.stepTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(s.parallelism()).isEqualTo(4);
    assertThat(s.toString()).contains("AWS_SECRET_ACCESS_KEY").doesNotContain("very-secret-value");
    assertThat(TerraformSettings.defaults().parallelism())
        .isEqualTo(TerraformSettings.DEFAULT_PARALLELISM);
  }

  @Test
  void stackInputsTakeRoleAndEnvironmentFromTagsWhenOnlyTheBlockIsKnown() throws Exception {
    ObjectNode infra = (ObjectNode) TerraformDriftCheckerTest.infrastructure();
    infra.with("tags").put("role", "management").put("environment", "ops");

    StackInputs in = StackInputs.from("mgmt", infra);

    assertThat(in.management()).isTrue();
    assertThat(in.environment()).isEqualTo("ops");
    assertThat(in.nodeGroups().get(0).desiredSize()).isEqualTo(1);
    assertThat(StackInputs.from("dev-1", TerraformDriftCheckerTest.infrastructure()).management())
        .isFalse();
  }

  @Test
  void missingInputsNameTheClusterAndKey() {
    ObjectNode infra = new ObjectMapper().createObjectNode().put("region", "eu-west-1");

    assertThatThrownBy(() -> StackInputs.from("prod-eu-1", false, "prod", infra))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prod-eu-1")
        .hasMessageContaining("vpcCidr");
    assertThatThrownBy(() -> StackInputs.from("prod-eu-1", false, "prod", null))
        .hasMessageContaining("no infrastructure block");
  }
}

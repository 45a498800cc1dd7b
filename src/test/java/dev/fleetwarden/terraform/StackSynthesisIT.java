package dev.fleetwarden.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.cdktf.StackInputs;
import dev.fleetwarden.cdktf.StackOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real CDKTF synthesis (in-process, jsii + Node) of a management and a workload stack. */
class StackSynthesisIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  static ObjectNode infrastructure(String cidr) {
    ObjectNode infra = JSON.createObjectNode();
    infra.put("region", "eu-west-1");
    infra.put("vpcCidr", cidr);
    infra.putArray("availabilityZones").add("eu-west-1a").add("eu-west-1b").add("eu-west-1c");
    infra.put("kubernetesVersion", "1.30");
    ObjectNode g = infra.putArray("nodeGroups").addObject();
    g.put("name", "general");
    g.put("instanceType", "m6i.large");
    g.put("minSize", 3);
    g.put("maxSize", 6);
    g.put("desiredSize", 3);
    ObjectNode gpu =
        ((com.fasterxml.jackson.databind.node.ArrayNode) infra.get("nodeGroups")).addObject();
    gpu.put("name", "gpu-a10");
    gpu.put("instanceType", "g5.xlarge");
    gpu.put("minSize", 0);
    gpu.put("maxSize", 2);
    gpu.put("desiredSize", 0);
    infra.putArray("allowedCidrs").add("10.0.0.0/8").add("192.168.0.0/16");
    infra.putObject("tags").put("cost-center", "platform");
    return infra;
  }

  private static List<String> addresses(JsonNode stack) {
    List<String> out = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> types = stack.path("resource").fields();
    while (types.hasNext()) {
      Map.Entry<String, JsonNode> t = types.next();
      t.getValue().fieldNames().forEachRemaining(n -> out.add(t.getKey() + "." + n));
    }
    return out;
  }

  @Test
  void managementAndWorkloadStacksWithReadableAddressesAndSkippedWhenUnchanged() throws Exception {
    StackOptions options =
        new StackOptions(
            Map.of("ec2", "http://127.0.0.1:1", "s3", "http://127.0.0.1:1"),
            StackOptions.Backend.s3("fleet-state", "clusters/", Map.of("use_path_style", "true")));
    StackInputs mgmt = StackInputs.from("mgmt", true, "ops", infrastructure("10.0.0.0/16"));
    StackInputs prod = StackInputs.from("prod-eu-1", false, "prod", infrastructure("10.20.0.0/16"));

    try (CdktfStackSynthesizer synth = new CdktfStackSynthesizer(work, options)) {
      Map<String, StackSynthesizer.Synthesized> first = synth.synthesize(List.of(mgmt, prod));

      assertThat(first.values()).allMatch(StackSynthesizer.Synthesized::fresh);
      JsonNode m = JSON.readTree(work.resolve("mgmt/cdk.tf.json").toFile());
      JsonNode p = JSON.readTree(work.resolve("prod-eu-1/cdk.tf.json").toFile());

      assertThat(addresses(p))
          .containsExactlyInAnyOrder(
              "aws_vpc.main",
              "aws_subnet.eu_west_1a",
              "aws_subnet.eu_west_1b",
              "aws_subnet.eu_west_1c",
              "aws_security_group.nodes",
              "aws_iam_role.cluster",
              "aws_iam_role.nodes",
              "aws_iam_role_policy_attachment.cluster_policy",
              "aws_iam_role_policy_attachment.nodes_worker_policy",
              "aws_iam_role_policy_attachment.nodes_cni_policy",
              "aws_iam_role_policy_attachment.nodes_registry_read",
              "aws_eks_cluster.main",
              "aws_eks_node_group.general",
              "aws_eks_node_group.gpu_a10",
              "aws_s3_bucket.artifacts",
              "aws_s3_bucket_versioning.artifacts");
      assertThat(addresses(m))
          .containsAll(addresses(p))
          .contains(
              "aws_s3_bucket.terraform_state",
              "aws_s3_bucket_versioning.terraform_state",
              "aws_iam_role.fleetwarden");
      assertThat(p.at("/resource/aws_s3_bucket/artifacts/bucket").asText())
          .isEqualTo("fw-prod-prod-eu-1-artifacts");
      assertThat(p.at("/terraform/required_providers/aws/version").asText())
          .isEqualTo(">= 5.0, < 6.0");
      assertThat(p.at("/terraform/backend/s3/bucket").asText()).isEqualTo("fleet-state");
      assertThat(p.at("/terraform/backend/s3/key").asText())
          .isEqualTo("clusters/prod-eu-1.tfstate");
      assertThat(p.at("/provider/aws/0/endpoints/0/ec2").asText()).isEqualTo("http://127.0.0.1:1");
      assertThat(p.at("/provider/aws/0/skip_credentials_validation").asBoolean()).isTrue();
      assertThat(p.at("/provider/aws/0/s3_use_path_style").asBoolean()).isTrue();
      assertThat(p.at("/provider/aws/0").has("secret_key")).isFalse();
      JsonNode ingress = p.at("/resource/aws_security_group/nodes/ingress");
      assertThat(ingress).hasSize(2);
      assertThat(ingress.toString()).contains("192.168.0.0/16");
      assertThat(p.at("/resource/aws_eks_node_group/gpu_a10/scaling_config/desired_size").asInt())
          .isZero();
      assertThat(p.at("/resource/aws_vpc/main/tags/fleetwarden:environment").asText())
          .isEqualTo("prod");
      assertThat(p.at("/resource/aws_subnet/eu_west_1b/cidr_block").asText())
          .as("cidrsubnet(vpcCidr, 4, 1), computed as a literal")
          .isEqualTo("10.20.16.0/20");

      Path stackFile = work.resolve("prod-eu-1/cdk.tf.json");
      long before = Files.getLastModifiedTime(stackFile).toMillis();
      ObjectNode changedInfra = infrastructure("10.0.0.0/16");
      changedInfra.with("tags").put("owner", "team-a");
      Map<String, StackSynthesizer.Synthesized> second =
          synth.synthesize(List.of(StackInputs.from("mgmt", true, "ops", changedInfra), prod));

      assertThat(second.get("mgmt").fresh()).isTrue();
      assertThat(second.get("prod-eu-1").fresh()).isFalse();
      assertThat(Files.getLastModifiedTime(stackFile).toMillis()).isEqualTo(before);
      assertThat(Files.readString(work.resolve("mgmt/cdk.tf.json"))).contains("team-a");
    }
  }
}

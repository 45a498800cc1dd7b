package dev.fleetwarden.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each rule of the infrastructure block, with the file and line it is reported at. */
class InfrastructureInputsTest {
  private static final String FILE = "clusters/prod-1/cluster.yaml";

  @TempDir Path dir;

  /** A valid block; line 8 is region, then one key per line (tags on lines 15 and 16). */
  private static final String VALID =
      """
      apiVersion: fleetwarden.dev/v1alpha1
      kind: Cluster
      metadata:
        name: prod-1
      spec:
        role: workload
        infrastructure:
          region: eu-west-1
          vpcCidr: 10.20.0.0/16
          availabilityZones: [eu-west-1a, eu-west-1b]
          kubernetesVersion: "1.30"
          nodeGroups:
            - {name: general, instanceType: m6i.large, minSize: 2, maxSize: 4, desiredSize: 2}
          allowedCidrs: [10.0.0.0/8]
          tags:
            team: platform
      """;

  private static List<FleetError> check(String yaml) throws Exception {
    return InfrastructureInputs.check(LocatedYaml.parse(FILE, yaml), "/spec/infrastructure");
  }

  /** The valid block with one line replaced. */
  private static List<FleetError> withLine(String from, String to) throws Exception {
    assertThat(VALID).contains(from);
    return check(VALID.replace(from, to));
  }

  private static FleetError only(List<FleetError> errors, int line, String... fragments) {
    assertThat(errors).hasSize(1);
    FleetError e = errors.get(0);
    assertThat(e.file()).isEqualTo(FILE);
    assertThat(e.line()).as(e.toString()).isEqualTo(line);
    for (String f : fragments) {
      assertThat(e.message()).contains(f);
    }
    return e;
  }

  @Test
  void aValidBlockAndTheExampleFleetPass() throws Exception {
    assertThat(check(VALID)).isEmpty();
    assertThat(FleetLoader.load(Path.of("fleet-repo-example")).clusters()).hasSize(5);
  }

  @Test
  void anAbsentOrPartialBlockIsLeftToTheStack() throws Exception {
    assertThat(check("spec: {role: workload}\n")).isEmpty();
    assertThat(check("spec:\n  infrastructure: {region: us-east-1}\n")).isEmpty();
  }

  @Test
  void tagValueWithATerraformExpressionIsRefused() throws Exception {
    only(
        withLine("team: platform", "team: ${file(\"/etc/passwd\")}"),
        16,
        "tag 'team'",
        "letters, digits, spaces and _ . : / = + - @");
    only(withLine("team: platform", "team: \"%{ if true }x%{ endif }\""), 16, "tag 'team'");
  }

  @Test
  void tagKeysFollowAwsRules() throws Exception {
    only(withLine("team: platform", "\"${x}\": platform"), 16, "tag key '${x}'");
    only(withLine("team: platform", "aws:owner: platform"), 16, "AWS reserves");
    only(withLine("team: platform", "k" + "x".repeat(128) + ": v"), 16, "1 to 128");
    assertThat(withLine("team: platform", "\"Cost Center/ü:=+-@_.\": \"a b/ü:=+-@_.\""))
        .as("everything AWS allows")
        .isEmpty();
  }

  @Test
  void tagValuesFollowAwsRules() throws Exception {
    only(withLine("team: platform", "team: " + "v".repeat(257)), 16, "257 characters");
    assertThat(withLine("team: platform", "team: " + "v".repeat(256))).isEmpty();
    only(withLine("team: platform", "team: {a: b}"), 16, "single value");
    only(withLine("team: platform", "team: null"), 16, "single value");
    assertThat(withLine("team: platform", "team:")).as("empty is a value").isEmpty();
    assertThat(withLine("team: platform", "team: 3000")).as("a number is its text").isEmpty();
  }

  @Test
  void tooManyTags() throws Exception {
    StringBuilder tags = new StringBuilder();
    for (int i = 0; i < 47; i++) {
      tags.append("      t").append(i).append(": v\n");
    }
    only(withLine("      team: platform\n", tags.toString()), 15, "50 tags");
  }

  @Test
  void region() throws Exception {
    only(withLine("region: eu-west-1", "region: ${var.x}"), 8, "not an AWS region name");
    only(withLine("region: eu-west-1", "region: 5"), 8, "must be a string");
  }

  @Test
  void vpcCidr() throws Exception {
    only(withLine("vpcCidr: 10.20.0.0/16", "vpcCidr: 10.20.0.0/8"), 9, "/16 to /24");
    only(withLine("vpcCidr: 10.20.0.0/16", "vpcCidr: 10.20.1.0/16"), 9, "10.20.0.0/16");
    only(withLine("vpcCidr: 10.20.0.0/16", "vpcCidr: 10.300.0.0/16"), 9, "over 255");
    only(withLine("vpcCidr: 10.20.0.0/16", "vpcCidr: 10.20.0.0/16\"), x"), 9, "not an IPv4");
  }

  @Test
  void availabilityZones() throws Exception {
    String line = "availabilityZones: [eu-west-1a, eu-west-1b]";
    only(withLine(line, "availabilityZones: [eu-west-1a, us-east-1b]"), 10, "not in region");
    only(withLine(line, "availabilityZones: [eu-west-1a, eu-west-1a]"), 10, "twice");
    only(withLine(line, "availabilityZones: [eu-west-1a, \"${x}\"]"), 10, "availability zone");
    only(withLine(line, "availabilityZones: []"), 10, "at least one");
  }

  @Test
  void kubernetesVersion() throws Exception {
    only(withLine("kubernetesVersion: \"1.30\"", "kubernetesVersion: 1.30"), 11, "quoted");
    only(withLine("kubernetesVersion: \"1.30\"", "kubernetesVersion: latest"), 11, "EKS version");
  }

  @Test
  void nodeGroupNamesAndTypes() throws Exception {
    String group =
        "{name: general, instanceType: m6i.large, minSize: 2, maxSize: 4, desiredSize: 2}";
    only(withLine(group, "{name: \"gen ${x}\", instanceType: m6i.large}"), 13, "node group name");
    only(withLine(group, "{name: general, instanceType: \"m6i.large%{x}\"}"), 13, "instanceType");
    only(withLine(group, "{instanceType: m6i.large}"), 13, "needs 'name'");
    only(withLine(group, "{name: a, instanceType: t3.large, size: 3}"), 13, "unknown key 'size'");
    only(
        withLine(
            group,
            "{name: a-b, instanceType: t3.large}\n      - {name: a_b, instanceType: t3.large}"),
        14,
        "same Terraform address");
  }

  @Test
  void nodeGroupSizes() throws Exception {
    String group =
        "{name: general, instanceType: m6i.large, minSize: 2, maxSize: 4, desiredSize: 2}";
    only(withLine(group, group.replace("desiredSize: 2", "desiredSize: 5")), 13, "desiredSize 5");
    only(withLine(group, group.replace("desiredSize: 2", "desiredSize: 1")), 13, "minSize ≤");
    only(withLine(group, group.replace("maxSize: 4", "maxSize: 1")), 13, "minSize 2 is above");
    only(withLine(group, group.replace("minSize: 2", "minSize: \"2\"")), 13, "whole number");
    only(withLine(group, group.replace("minSize: 2", "minSize: -1")), 13, "whole number");
    only(withLine(group, group.replace("maxSize: 4", "maxSize: 2.5")), 13, "whole number");
    only(
        withLine(group, "{name: general, instanceType: m6i.large, minSize: 0, maxSize: 0}"),
        13,
        "at least 1");
    assertThat(withLine(group, "{name: general, instanceType: m6i.large, minSize: 3}"))
        .as("maxSize and desiredSize default to minSize")
        .isEmpty();
  }

  @Test
  void allowedCidrs() throws Exception {
    String line = "allowedCidrs: [10.0.0.0/8]";
    only(withLine(line, "allowedCidrs: [10.0.0.0/8, 0.0.0.1/0]"), 14, "host bits");
    only(withLine(line, "allowedCidrs: [\"${x}\"]"), 14, "not an IPv4 CIDR");
    assertThat(withLine(line, "allowedCidrs: [0.0.0.0/0, 192.168.1.7/32]")).isEmpty();
  }

  @Test
  void longHostileValuesAreCutInMessages() throws Exception {
    FleetError e = only(withLine("region: eu-west-1", "region: " + "x".repeat(5000)), 8);
    assertThat(e.message()).hasSizeLessThan(200);
  }

  @Test
  void validateReportsTheFileAndLineOfAHostileTag() throws Exception {
    FleetFixture f =
        new FleetFixture(dir)
            .write(
                "clusters/prod-1/cluster.yaml",
                """
                apiVersion: fleetwarden.dev/v1alpha1
                kind: Cluster
                metadata:
                  name: prod-1
                spec:
                  role: workload
                  environment: prod
                  infrastructure:
                    region: eu-west-1
                    vpcCidr: 10.20.0.0/16
                    availabilityZones: [eu-west-1a]
                    kubernetesVersion: "1.30"
                    tags:
                      team: ${file("/etc/hostname")}
                """);
    try {
      FleetLoader.load(f.root);
      throw new AssertionError("expected the fleet to be invalid");
    } catch (FleetValidationException e) {
      assertThat(e.errors()).hasSize(1);
      assertThat(e.errors().get(0).toString())
          .startsWith("clusters/prod-1/cluster.yaml:14:")
          .contains("tag 'team'");
    }
  }
}

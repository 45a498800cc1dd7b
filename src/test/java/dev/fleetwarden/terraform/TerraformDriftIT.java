package dev.fleetwarden.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.fleetwarden.cdktf.FleetStacks;
import dev.fleetwarden.cdktf.StackInputs;
import dev.fleetwarden.demo.CloudChanges;
import dev.fleetwarden.demo.MotoServer;
import dev.fleetwarden.drift.RiskClassifier;
import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.fleet.RiskRules;
import dev.fleetwarden.model.ClusterStatus;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.PartVerdict;
import dev.fleetwarden.model.Risk;
import dev.fleetwarden.model.Severity;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Real terraform against moto: one small cluster stack is synthesized, initialised and applied once
 * for the class (never destroyed: the emulator goes away with the test), then changed behind
 * Terraform's back and in the fleet inputs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TerraformDriftIT {
  private static MotoServer moto;
  private static Path work;
  private static TerraformSettings settings;
  private static TerraformDriftChecker checker;
  private static JsonNode cluster;
  private static StackInputs inputs;

  @BeforeAll
  static void applyOneStack() throws Exception {
    Path mirror = TerraformTools.require("TerraformDriftIT");
    moto = MotoServer.start();
    work = Files.createTempDirectory("fleetwarden-terraform-it");
    // The stacks' directory does not exist yet: the synthesizer creates it.
    settings = TerraformTools.settings(mirror, moto, work.resolve("terraform"));
    checker = TerraformDriftChecker.create(settings);
    try (InputStream in = TerraformDriftIT.class.getResourceAsStream("dev-1-cluster.yaml")) {
      cluster = new ObjectMapper(new YAMLFactory()).readTree(in);
    }
    inputs = FleetStacks.fromClusterYaml("dev-1", cluster);
    checker.applyStacks(List.of(inputs));
  }

  @AfterAll
  static void stop() throws Exception {
    if (checker != null) {
      checker.close();
    }
    if (moto != null) {
      moto.close();
    }
    if (work != null) {
      try (Stream<Path> paths = Files.walk(work)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Map<String, ObjectDrift> of(List<ObjectDrift> drifts, DriftType type) {
    return drifts.stream()
        .filter(d -> d.type() == type)
        .collect(Collectors.toMap(d -> d.resource().name(), d -> d));
  }

  private static FieldDrift field(ObjectDrift d, String path) {
    return d.fields().stream()
        .filter(f -> f.path().equals(path))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + path + " in " + d));
  }

  /** The cluster as the fleet model holds it. */
  private static ClusterSpec spec(JsonNode yaml) {
    JsonNode s = yaml.path("spec");
    return new ClusterSpec(
        yaml.path("metadata").path("name").asText(),
        "clusters/dev-1/cluster.yaml",
        ClusterSpec.Role.valueOf(s.path("role").asText().toUpperCase(java.util.Locale.ROOT)),
        s.path("environment").asText(),
        Map.of(),
        "1.30.0",
        null,
        s.path("infrastructure"),
        List.of(),
        Map.of(),
        List.of(),
        List.of(),
        null);
  }

  @Test
  @Order(1)
  void freshlyAppliedStackIsInSync() {
    PartVerdict result = checker.check(inputs);

    assertThat(result.drifts()).isEmpty();
    assertThat(result.status().status()).isEqualTo(ClusterStatus.IN_SYNC);
  }

  @Test
  @Order(2)
  void ruleAndTagChangedThroughTheApiAreCloudDrift() throws Exception {
    CloudChanges cloud = new CloudChanges(moto.endpoint(), inputs.region());
    String sg = cloud.securityGroupId("dev-1-nodes");
    cloud.authorizeIngress(sg, "tcp", 22, 22, "0.0.0.0/0", "debugging, temporary");
    cloud.createTags(cloud.vpcIdByName("dev-1"), "team", "someone-else");

    PartVerdict result = checker.check(spec(cluster));

    assertThat(result.status().status()).isEqualTo(ClusterStatus.DRIFTED);
    assertThat(result.drifts()).noneMatch(d -> d.type() == DriftType.PENDING);
    Map<String, ObjectDrift> modified = of(result.drifts(), DriftType.MODIFIED);
    assertThat(modified).containsOnlyKeys("aws_security_group.nodes", "aws_vpc.main");
    ObjectDrift nodes = modified.get("aws_security_group.nodes");
    assertThat(nodes.resource().toString()).isEqualTo("dev-1/terraform/aws_security_group.nodes");
    // The rule added in the console is reported on its own, named by its ports and protocol.
    FieldDrift ingress = field(nodes, "/ingress/from_port=22,to_port=22,protocol=tcp");
    assertThat(nodes.fields()).hasSize(1);
    assertThat(ingress.desired().isNull()).isTrue();
    assertThat(ingress.live().path("cidr_blocks").toString()).isEqualTo("[\"0.0.0.0/0\"]");
    assertThat(ingress.live().path("description").asText()).isEqualTo("debugging, temporary");
    // and the default risk rules make it critical, with the reason on-call reads
    ObjectDrift ranked = new RiskClassifier(RiskRules.defaults()).classify(nodes, null, null);
    assertThat(ranked.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(ranked.risk())
        .containsExactly(
            new Risk(
                "sg-ingress-open-world",
                "security group ingress open to the internet (0.0.0.0/0 or ::/0)",
                "/ingress/from_port=22,to_port=22,protocol=tcp/cidr_blocks"));
    FieldDrift team = field(modified.get("aws_vpc.main"), "/tags/team");
    assertThat(team.desired().asText()).isEqualTo("platform");
    assertThat(team.live().asText()).isEqualTo("someone-else");
  }

  @Test
  @Order(3)
  void savedPlanReadingAgreesWithShowJson() throws Exception {
    CliTerraformRunner runner = TerraformTools.runner(settings);
    Path dir = settings.workDir().resolve("dev-1");
    Path plan = dir.resolve("normal.tfplan");
    TerraformRunner.PlanOutcome outcome = runner.plan(dir, TerraformRunner.PlanMode.NORMAL, plan);
    Path schemas = dir.resolve("schemas.json");
    runner.providerSchemas(dir, schemas);
    ProviderSensitivity sensitivity;
    try (InputStream in = Files.newInputStream(schemas)) {
      sensitivity = ProviderSensitivity.fromSchemas(in);
    }
    JsonNode config = new ObjectMapper().readTree(dir.resolve("cdk.tf.json").toFile());

    SavedPlan.Reading reading = SavedPlan.read(plan, config, sensitivity, outcome.planned());

    assertThat(outcome.planned())
        .extracting(TerraformRunner.PlannedChange::address)
        .contains("aws_vpc.main");
    assertThat(reading.fallbackReason()).isNull();
    PlanParser parser = new PlanParser();
    List<ObjectDrift> fromShow = parser.parse("dev-1", runner.showJson(dir, plan));
    assertThat(parser.parse("dev-1", reading.document())).isEqualTo(fromShow).isNotEmpty();
    assertThat(dir.resolve(TerraformDriftChecker.SENSITIVITY_CACHE))
        .as("the checker kept the providers' sensitive attributes next to the stack")
        .isRegularFile();
  }

  @Test
  @Order(3)
  void refreshOnlyPlanAgreesWithTheNormalPlan() throws Exception {
    CliTerraformRunner runner = TerraformTools.runner(settings);
    Path dir = settings.workDir().resolve("dev-1");
    Path plan = dir.resolve("refresh-only.tfplan");

    runner.plan(dir, TerraformRunner.PlanMode.REFRESH_ONLY, plan);
    List<ObjectDrift> refreshOnly = new PlanParser().parse("dev-1", runner.showJson(dir, plan));

    assertThat(refreshOnly).isEqualTo(checker.check(inputs).drifts());
  }

  @Test
  @Order(4)
  void changedFleetInputsArePendingNotDrift() throws Exception {
    ObjectNode infra = cluster.path("spec").path("infrastructure").deepCopy();
    ((ObjectNode) infra.path("nodeGroups").get(0)).put("desiredSize", 2);
    ((ObjectNode) infra.path("tags")).put("cost-center", "cc-42");
    StackInputs changed = StackInputs.from("dev-1", false, "dev", infra);

    PartVerdict result = checker.check(changed);

    assertThat(Files.readString(settings.workDir().resolve("dev-1").resolve("cdk.tf.json")))
        .contains("\"desired_size\": 2");
    Map<String, ObjectDrift> pending = of(result.drifts(), DriftType.PENDING);
    FieldDrift size =
        field(pending.get("aws_eks_node_group.general"), "/scaling_config/0/desired_size");
    assertThat(size.desired().asInt()).isEqualTo(2);
    assertThat(size.live().asInt()).isEqualTo(1);
    assertThat(field(pending.get("aws_subnet.us_east_1a"), "/tags/cost-center").desired().asText())
        .isEqualTo("cc-42");
    // The cloud drift stays drift: reverting it is not reported as a pending change.
    assertThat(of(result.drifts(), DriftType.MODIFIED))
        .containsOnlyKeys("aws_security_group.nodes", "aws_vpc.main");
    assertThat(field(pending.get("aws_vpc.main"), "/tags/cost-center").desired().asText())
        .isEqualTo("cc-42");
    assertThat(pending.get("aws_vpc.main").fields())
        .extracting(FieldDrift::path)
        .doesNotContain("/tags/team");
  }

  @Test
  @Order(5)
  void stateAndPlansAreReadableByTheOwnerOnly() throws Exception {
    Path dir = settings.workDir().resolve("dev-1");
    // After apply, plans, show and providers schema: what terraform wrote is private.
    assertThat(mode(settings.workDir())).isEqualTo("rwx------");
    assertThat(mode(dir)).isEqualTo("rwx------");
    assertThat(mode(dir.resolve(".terraform"))).isEqualTo("rwx------");
    for (String file :
        List.of(
            "terraform.tfstate",
            TerraformDriftChecker.PLAN_FILE,
            "normal.tfplan",
            "refresh-only.tfplan",
            "cdk.tf.json",
            TerraformDriftChecker.SENSITIVITY_CACHE,
            ".terraform.lock.hcl",
            ".terraform/terraform.tfstate")) {
      assertThat(mode(dir.resolve(file))).as(file).isEqualTo("rw-------");
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.filter(Files::isRegularFile))
          .as("every file of the stack directory, backups included")
          .allSatisfy(f -> assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------"));
    }
  }

  private static String mode(Path p) throws java.io.IOException {
    return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  @Order(6)
  void missingBinaryIsUnknownWithoutException() {
    try (TerraformDriftChecker noTerraform =
        TerraformDriftChecker.create(settings.withBinary("no-such-terraform-binary"))) {
      PartVerdict result = noTerraform.check(inputs);

      assertThat(result.status().status()).isEqualTo(ClusterStatus.UNKNOWN);
      assertThat(result.status().reason())
          .isEqualTo("terraform binary not found on PATH; set terraform.binary");
    }
  }
}

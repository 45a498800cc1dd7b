package dev.fleetwarden.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.cdktf.StackInputs;
import dev.fleetwarden.demo.MotoServer;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.PartVerdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Infrastructure inputs are Terraform literals, never expressions: a tag that reads a host file
 * ({@code ${file("...")}}) or holds a template directive ({@code %{ if ... }}) goes through real
 * CDKTF synthesis and a real {@code terraform plan} against moto as the very same string, and the
 * file's content appears nowhere. The inputs are handed to the synthesizer directly, as the
 * remediation planner and the checker's {@code check(StackInputs)} do, without fleet validation
 * (which refuses these values first, see {@code InfrastructureInputsTest}).
 */
class TerraformExpressionInjectionIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static MotoServer moto;
  private static Path work;
  private static TerraformSettings settings;
  private static TerraformDriftChecker checker;
  private static String marker;
  private static String readFile;
  private static final String DIRECTIVE = "%{ if true }x%{ endif }";

  @BeforeAll
  static void start() throws Exception {
    Path mirror = TerraformTools.require("TerraformExpressionInjectionIT");
    moto = MotoServer.start();
    work = Files.createTempDirectory("fleetwarden-injection-it");
    Path secret = work.resolve("host-secret.txt");
    marker = "host-secret-" + UUID.randomUUID();
    Files.writeString(secret, marker);
    readFile = "${file(\"" + secret.toAbsolutePath() + "\")}";
    settings = TerraformTools.settings(mirror, moto, work.resolve("stacks"));
    checker = TerraformDriftChecker.create(settings);
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

  private static ObjectNode infrastructure() {
    ObjectNode infra = JSON.createObjectNode();
    infra.put("region", "us-east-1");
    infra.put("vpcCidr", "10.60.0.0/16");
    infra.putArray("availabilityZones").add("us-east-1a");
    infra.put("kubernetesVersion", "1.30");
    ObjectNode g = infra.putArray("nodeGroups").addObject();
    g.put("name", "general");
    g.put("instanceType", "t3.large");
    g.put("minSize", 1);
    g.put("maxSize", 2);
    g.put("desiredSize", 1);
    infra.putArray("allowedCidrs").add("10.0.0.0/8");
    return infra;
  }

  private static StackInputs hostile(String cluster) {
    ObjectNode infra = infrastructure();
    ObjectNode tags = infra.putObject("tags");
    tags.put("probe", readFile);
    tags.put("directive", DIRECTIVE);
    tags.put(readFile, "as-a-key");
    return StackInputs.from(cluster, false, "dev", infra);
  }

  @Test
  void synthesizedJsonHoldsTheInputsAsEscapedLiterals() throws Exception {
    try (CdktfStackSynthesizer synth =
        new CdktfStackSynthesizer(work.resolve("synth-only"), settings.stackOptions())) {
      Path dir = synth.synthesize(hostile("inject-synth")).directory();

      String text = Files.readString(dir.resolve(CdktfStackSynthesizer.STACK_FILE));
      JsonNode tags = JSON.readTree(text).at("/resource/aws_vpc/main/tags");
      String escaped = "$" + readFile;
      assertThat(tags.path("probe").asText()).isEqualTo(escaped);
      assertThat(tags.path("directive").asText()).isEqualTo("%%{ if true }x%%{ endif }");
      assertThat(tags.path(escaped).asText()).isEqualTo("as-a-key");
      assertThat(tags.has(readFile)).as("the key is escaped too").isFalse();
      assertThat(text).doesNotContain(marker);
    }
  }

  @Test
  void terraformPlanShowsTheLiteralStringAndNeverTheFileContent() throws Exception {
    StackInputs inputs = hostile("inject-plan");

    PartVerdict result = checker.check(inputs);

    assertThat(result.status().reason()).isNull();
    ObjectDrift vpc =
        result.drifts().stream()
            .filter(d -> d.resource().name().equals("aws_vpc.main"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no aws_vpc.main in " + result.drifts()));
    assertThat(vpc.type()).isEqualTo(DriftType.PENDING);
    assertThat(desired(vpc, "/tags/probe")).isEqualTo(readFile);
    assertThat(desired(vpc, "/tags/directive")).isEqualTo(DIRECTIVE);
    assertThat(result.drifts().toString()).doesNotContain(marker);

    Path dir = settings.workDir().resolve("inject-plan");
    String show =
        TerraformTools.runner(settings).showJson(dir, dir.resolve(TerraformDriftChecker.PLAN_FILE));
    assertThat(show).doesNotContain(marker);
    JsonNode tags = null;
    for (JsonNode rc : JSON.readTree(show).path("resource_changes")) {
      if (rc.path("address").asText().equals("aws_vpc.main")) {
        tags = rc.at("/change/after/tags");
      }
    }
    assertThat(tags).as("aws_vpc.main is planned").isNotNull();
    assertThat(tags.path("probe").asText()).isEqualTo(readFile);
    assertThat(tags.path("directive").asText()).isEqualTo(DIRECTIVE);
    assertThat(tags.path(readFile).asText()).isEqualTo("as-a-key");
  }

  @Test
  void aVpcCidrThatIsNoCidrIsRefusedBeforeTerraformSeesIt() {
    // A quote would close the string CDKTF writes into the cidrsubnet() call of each subnet and
    // turn the rest into an expression that reads the file.
    ObjectNode infra = infrastructure();
    String marker = work.resolve("host-secret.txt").toAbsolutePath().toString();
    infra.put(
        "vpcCidr", "10.60.0.0/16\", 4, 0) == \"\" ? \"\" : cidrsubnet(file(\"" + marker + "\")");
    StackInputs inputs = StackInputs.from("inject-cidr", false, "dev", infra);

    try (CdktfStackSynthesizer synth =
        new CdktfStackSynthesizer(work.resolve("synth-cidr"), settings.stackOptions())) {
      assertThatThrownBy(() -> synth.synthesize(inputs))
          .isInstanceOf(SynthesisException.class)
          .hasMessageContaining("inject-cidr")
          .hasMessageContaining("vpcCidr");
    }
  }

  private static String desired(ObjectDrift drift, String path) {
    return drift.fields().stream()
        .filter(f -> f.path().equals(path))
        .map(FieldDrift::desired)
        .map(JsonNode::asText)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + path + " in " + drift));
  }
}

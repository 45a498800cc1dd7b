package dev.fleetwarden.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetwarden.cdktf.StackInputs;
import dev.fleetwarden.model.ClusterStatus;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.PartVerdict;
import dev.fleetwarden.terraform.TerraformRunner.PlannedChange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checker's algorithm and its error boundary, with hand-written fakes for synth and CLI. */
class TerraformDriftCheckerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  static JsonNode infrastructure() throws IOException {
    return JSON.readTree(
        """
        {"region": "us-east-1", "vpcCidr": "10.10.0.0/16",
         "availabilityZones": ["us-east-1a"], "kubernetesVersion": "1.30",
         "nodeGroups": [{"name": "general", "instanceType": "t3.medium",
                         "minSize": 1, "maxSize": 2, "desiredSize": 1}],
         "allowedCidrs": ["10.0.0.0/8"], "tags": {"team": "platform"}}
        """);
  }

  /** Writes an empty directory per cluster; can be told to fail. */
  static final class FakeSynthesizer implements StackSynthesizer {
    final Path workDir;
    RuntimeException failWith;
    final List<String> synthesized = java.util.Collections.synchronizedList(new ArrayList<>());

    FakeSynthesizer(Path workDir) {
      this.workDir = workDir;
    }

    @Override
    public synchronized Map<String, Synthesized> synthesize(List<StackInputs> clusters) {
      if (failWith != null) {
        throw failWith;
      }
      Map<String, Synthesized> out = new LinkedHashMap<>();
      for (StackInputs in : clusters) {
        Path dir = workDir.resolve(in.cluster());
        try {
          Files.createDirectories(dir);
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        synthesized.add(in.cluster());
        out.put(in.cluster(), new Synthesized(in.cluster(), dir, true));
      }
      return out;
    }
  }

  /** Replays a recorded {@code show -json}; each step can be told to fail. */
  static class FakeRunner implements TerraformRunner {
    String show;
    String failStep;
    String failMessage = "boom";
    final List<String> steps = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public void init(Path dir) throws TerraformException {
      step(dir, "init");
    }

    @Override
    public PlanOutcome plan(Path dir, PlanMode mode, Path planFile) throws TerraformException {
      step(dir, "plan " + mode);
      return new PlanOutcome(true, null);
    }

    @Override
    public String showJson(Path dir, Path planFile) throws TerraformException {
      step(dir, "show");
      return show;
    }

    @Override
    public void apply(Path dir) throws TerraformException {
      step(dir, "apply");
    }

    private void step(Path dir, String step) throws TerraformException {
      steps.add(step);
      if (step.startsWith(String.valueOf(failStep))) {
        throw new TerraformException(dir, step, failMessage);
      }
    }
  }

  private static String sample(String name) throws IOException {
    try (InputStream in = TerraformDriftCheckerTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void missingBinaryGivesUnknownWithoutException() throws Exception {
    TerraformSettings settings =
        TerraformSettings.defaults()
            .withBinary("terraform-that-does-not-exist-" + System.nanoTime())
            .withWorkDir(work);
    try (TerraformDriftChecker checker = TerraformDriftChecker.create(settings)) {
      assertThat(checker.hasTerraform()).isFalse();

      PartVerdict result = checker.check("dev-1", infrastructure());

      assertThat(result.status().status()).isEqualTo(ClusterStatus.UNKNOWN);
      assertThat(result.status().reason())
          .isEqualTo("terraform binary not found on PATH; set terraform.binary");
      assertThat(result.drifts()).isEmpty();
    }
  }

  @Test
  void runsInitPlanShowAndParsesTheDrift() throws Exception {
    FakeSynthesizer synth = new FakeSynthesizer(work);
    FakeRunner runner = new FakeRunner();
    runner.show = sample("alpha-plan-show.json");
    TerraformDriftChecker checker =
        new TerraformDriftChecker(
            TerraformSettings.defaults().withWorkDir(work),
            synth,
            Optional.of(runner),
            new PlanParser());

    PartVerdict result = checker.check("alpha", infrastructure());

    assertThat(runner.steps).containsExactly("init", "plan NORMAL", "show");
    assertThat(synth.synthesized).containsExactly("alpha");
    assertThat(result.status().status()).isEqualTo(ClusterStatus.DRIFTED);
    assertThat(result.drifts()).hasSize(4).allMatch(d -> d.type() == DriftType.MODIFIED);
  }

  /** A runner whose plans are real plan-file zips and which knows the provider schemas. */
  static final class PlanFileRunner extends FakeRunner {
    String prevState;
    String refreshedState;
    List<PlannedChange> planned = List.of();
    int schemaCalls;

    @Override
    public PlanOutcome plan(Path dir, PlanMode mode, Path planFile) throws TerraformException {
      super.plan(dir, mode, planFile);
      try (java.util.zip.ZipOutputStream zip =
          new java.util.zip.ZipOutputStream(Files.newOutputStream(planFile))) {
        zip.putNextEntry(new java.util.zip.ZipEntry("tfstate-prev"));
        zip.write(prevState.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        zip.putNextEntry(new java.util.zip.ZipEntry("tfstate"));
        zip.write(refreshedState.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new TerraformException(dir, "plan", e.getMessage());
      }
      return new PlanOutcome(true, planned);
    }

    @Override
    public boolean providerSchemas(Path dir, Path out) throws TerraformException {
      schemaCalls++;
      try {
        Files.writeString(
            out,
            "{\"provider_schemas\":{\"aws\":{\"resource_schemas\":{\"aws_vpc\":"
                + "{\"block\":{\"attributes\":{\"tags\":{}}}}}}}}");
      } catch (IOException e) {
        throw new TerraformException(dir, "providers schema", e.getMessage());
      }
      return true;
    }
  }

  private static String vpcState(String team) {
    return """
        {"version": 4, "resources": [{"mode": "managed", "type": "aws_vpc", "name": "main",
          "instances": [{"attributes": {"id": "vpc-1", "tags": {"team": "%s"}},
                         "sensitive_attributes": []}]}]}
        """
        .formatted(team);
  }

  @Test
  void driftOnlyPlansAreReadFromThePlanFileAndPendingOnesThroughShow() throws Exception {
    Path dir = Files.createDirectories(work.resolve("gamma"));
    Files.writeString(
        dir.resolve("cdk.tf.json"),
        "{\"resource\": {\"aws_vpc\": {\"main\": {\"tags\": {\"team\": \"platform\"}}}}}");
    Files.writeString(dir.resolve(".terraform.lock.hcl"), "provider \"aws\" {}");
    PlanFileRunner runner = new PlanFileRunner();
    runner.prevState = vpcState("platform");
    runner.refreshedState = vpcState("someone-else");
    runner.planned = List.of(new PlannedChange("aws_vpc.main", "update"));
    runner.show = sample("alpha-plan-show.json");
    TerraformDriftChecker checker =
        new TerraformDriftChecker(
            TerraformSettings.defaults(),
            new FakeSynthesizer(work),
            Optional.of(runner),
            new PlanParser());

    PartVerdict drifted = checker.check("gamma", infrastructure());
    checker.check("gamma", infrastructure());

    assertThat(runner.steps).doesNotContain("show");
    assertThat(runner.schemaCalls).as("schemas are read once per lock file").isEqualTo(1);
    assertThat(drifted.drifts()).hasSize(1);
    assertThat(drifted.drifts().get(0).resource().toString())
        .isEqualTo("gamma/terraform/aws_vpc.main");
    assertThat(drifted.drifts().get(0).fields().get(0).live().asText()).isEqualTo("someone-else");

    runner.planned =
        List.of(
            new PlannedChange("aws_vpc.main", "update"),
            new PlannedChange("aws_subnet.a", "create"));
    PartVerdict pending = checker.check("gamma", infrastructure());

    assertThat(runner.steps).endsWith("plan NORMAL", "show");
    assertThat(pending.drifts()).hasSize(4);
  }

  @Test
  void noDriftIsInSync() throws Exception {
    FakeRunner runner = new FakeRunner();
    runner.show = sample("beta-nodrift-refresh-only-show.json");
    TerraformDriftChecker checker =
        new TerraformDriftChecker(
            TerraformSettings.defaults(),
            new FakeSynthesizer(work),
            Optional.of(runner),
            new PlanParser());

    PartVerdict result = checker.check("beta", infrastructure());

    assertThat(result.status().status()).isEqualTo(ClusterStatus.IN_SYNC);
    assertThat(result.drifts()).isEmpty();
  }

  @Test
  void failuresBecomeUnknownWithSecretsRemoved() throws Exception {
    FakeRunner runner = new FakeRunner();
    runner.failStep = "plan";
    runner.failMessage =
        "Error: InvalidClientTokenId, secret_key = \"wJalrXUtnFEMI/K7MDENG\" key AKIAIOSFODNN7EXAMPLE"
            + " s3cr3t-from-env";
    TerraformSettings settings =
        TerraformSettings.defaults()
            .withEnvironment(Map.of("AWS_SECRET_ACCESS_KEY", "s3cr3t-from-env"));
    TerraformDriftChecker checker =
        new TerraformDriftChecker(
            settings, new FakeSynthesizer(work), Optional.of(runner), new PlanParser());

    PartVerdict result = checker.check("dev-1", infrastructure());

    assertThat(result.status().status()).isEqualTo(ClusterStatus.UNKNOWN);
    assertThat(result.status().reason())
        .contains("terraform plan")
        .contains("InvalidClientTokenId")
        .doesNotContain("wJalrXUtnFEMI")
        .doesNotContain("AKIAIOSFODNN7EXAMPLE")
        .doesNotContain("s3cr3t-from-env");
  }

  @Test
  void unexpectedErrorsAndBadInputsAreUnknownToo() throws Exception {
    FakeSynthesizer synth = new FakeSynthesizer(work);
    synth.failWith = new IllegalStateException("jsii kernel died");
    FakeRunner runner = new FakeRunner();
    TerraformDriftChecker checker =
        new TerraformDriftChecker(
            TerraformSettings.defaults(), synth, Optional.of(runner), new PlanParser());

    PartVerdict crashed = checker.check("dev-1", infrastructure());
    PartVerdict invalid = checker.check("dev-1", JSON.readTree("{\"region\": \"us-east-1\"}"));

    assertThat(crashed.status().status()).isEqualTo(ClusterStatus.UNKNOWN);
    assertThat(crashed.status().reason()).contains("jsii kernel died");
    assertThat(invalid.status().status()).isEqualTo(ClusterStatus.UNKNOWN);
    assertThat(invalid.status().reason()).contains("vpcCidr").contains("cluster.yaml");
    assertThat(runner.steps).isEmpty();
  }

  @Test
  void garbageFromShowIsUnknown() throws Exception {
    FakeRunner runner = new FakeRunner();
    runner.show = "not json at all";
    TerraformDriftChecker checker =
        new TerraformDriftChecker(
            TerraformSettings.defaults(),
            new FakeSynthesizer(work),
            Optional.of(runner),
            new PlanParser());

    PartVerdict result = checker.check("dev-1", infrastructure());

    assertThat(result.status().status()).isEqualTo(ClusterStatus.UNKNOWN);
    assertThat(result.status().reason()).contains("cannot read the Terraform plan");
  }

  private static dev.fleetwarden.fleet.ClusterSpec spec(String name, JsonNode infrastructure) {
    return new dev.fleetwarden.fleet.ClusterSpec(
        name,
        "clusters/" + name + "/cluster.yaml",
        dev.fleetwarden.fleet.ClusterSpec.Role.WORKLOAD,
        "dev",
        Map.of(),
        "1.30.0",
        null,
        infrastructure,
        List.of(),
        Map.of(),
        List.of(),
        List.of(),
        null);
  }

  @Test
  void checksSeveralClustersInParallelEachWithItsOwnVerdict() throws Exception {
    FakeSynthesizer synth = new FakeSynthesizer(work);
    FakeRunner runner = new FakeRunner();
    runner.show = sample("alpha-plan-show.json");
    TerraformDriftChecker checker =
        new TerraformDriftChecker(
            TerraformSettings.defaults().withParallelism(2),
            synth,
            Optional.of(runner),
            new PlanParser());

    Map<String, PartVerdict> results =
        checker.checkAll(
            List.of(
                spec("dev-1", infrastructure()),
                spec("staging-1", infrastructure()),
                spec("broken", JSON.readTree("{}"))));

    assertThat(results.keySet()).containsExactly("dev-1", "staging-1", "broken");
    assertThat(results.get("dev-1").drifts()).hasSize(4);
    assertThat(results.get("dev-1").drifts().get(0).resource().cluster()).isEqualTo("dev-1");
    assertThat(results.get("staging-1").drifts().get(0).resource().cluster())
        .isEqualTo("staging-1");
    assertThat(results.get("broken").status().status()).isEqualTo(ClusterStatus.UNKNOWN);
    assertThat(synth.synthesized).containsExactlyInAnyOrder("dev-1", "staging-1");
  }
}

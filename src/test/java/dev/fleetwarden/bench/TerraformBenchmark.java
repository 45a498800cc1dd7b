package dev.fleetwarden.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.cdktf.StackInputs;
import dev.fleetwarden.demo.CloudChanges;
import dev.fleetwarden.demo.MotoServer;
import dev.fleetwarden.model.PartVerdict;
import dev.fleetwarden.terraform.CdktfStackSynthesizer;
import dev.fleetwarden.terraform.PluginMirrors;
import dev.fleetwarden.terraform.TerraformBinary;
import dev.fleetwarden.terraform.TerraformDriftChecker;
import dev.fleetwarden.terraform.TerraformSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Measures, in one run: (1) CDKTF synthesis in one JVM — the first stack (starts the JavaScript
 * runtime), then {@code clusters} stacks in one batch, then the same batch again (all unchanged,
 * skipped by hash); (2) for one applied cluster against moto, fleetwarden's drift check (synth
 * unchanged, so skipped: init check, plan, reading the saved plan, parse) against the bare {@code
 * terraform plan} it runs, in sync and drifted, alternating over {@code rounds} rounds (medians).
 * {@code mvn -B -q test-compile exec:exec -Dbench=TerraformBenchmark -Dbench.args="[clusters
 * [rounds]]"}.
 */
public final class TerraformBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The measured figures, in milliseconds. */
  public record Figures(
      long firstSynthMillis,
      int clusters,
      long batchSynthMillis,
      long unchangedSynthMillis,
      long checkMillis,
      long barePlanMillis) {
    public double overheadPercent() {
      return barePlanMillis == 0 ? 0 : 100.0 * (checkMillis - barePlanMillis) / barePlanMillis;
    }
  }

  private TerraformBenchmark() {}

  public static void main(String[] args) throws Exception {
    int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    run(TerraformSettings.fromEnvironment(System.getenv()), clusters, rounds, System.out);
  }

  /**
   * Runs the benchmark with the given settings (binary, plugin mirror); starts moto from PATH and
   * uses a scratch work directory. Prints the figures to {@code out} and returns them.
   */
  public static Figures run(TerraformSettings base, int clusters, int rounds, PrintStream out)
      throws Exception {
    Path scratch = Files.createTempDirectory("fleetwarden-terraform-bench");
    try {
      long firstSynth;
      long batchSynth;
      long unchangedSynth;
      try (CdktfStackSynthesizer synth =
          new CdktfStackSynthesizer(scratch.resolve("synth"), base.stackOptions())) {
        long t0 = System.nanoTime();
        synth.synthesize(inputs("warmup", 0));
        firstSynth = millisSince(t0);
        List<StackInputs> many = new ArrayList<>();
        for (int i = 1; i <= clusters; i++) {
          many.add(inputs(String.format("bench-%02d", i), i));
        }
        long t1 = System.nanoTime();
        synth.synthesize(many);
        batchSynth = millisSince(t1);
        long t2 = System.nanoTime();
        synth.synthesize(many);
        unchangedSynth = millisSince(t2);
      }
      out.printf("synth: first stack %d ms (starts the CDKTF runtime)%n", firstSynth);
      out.printf(
          "synth: %d stacks in one batch %d ms (%.0f ms per stack)%n",
          clusters, batchSynth, (double) batchSynth / clusters);
      out.printf(
          "synth: the same %d stacks unchanged %d ms (skipped by hash)%n",
          clusters, unchangedSynth);

      Path binary =
          TerraformBinary.locate(base.binary(), System.getenv())
              .orElseThrow(() -> new IOException(TerraformDriftChecker.NO_BINARY));
      TerraformSettings settings = base;
      if (settings.pluginMirror() == null && settings.cliConfigFile() == null) {
        settings = settings.withPluginMirror(PluginMirrors.discover(System.getenv()).orElse(null));
      }
      long check;
      long bare;
      long driftedCheck;
      long driftedBare;
      try (MotoServer moto = MotoServer.start()) {
        settings =
            settings.withEmulatorEndpoint(moto.endpoint()).withWorkDir(scratch.resolve("check"));
        try (TerraformDriftChecker checker = TerraformDriftChecker.create(settings)) {
          StackInputs cluster = inputs("bench-check", 1);
          Path dir = settings.workDir().resolve("bench-check");
          checker.applyStacks(List.of(cluster));
          checker.check(cluster); // warm-up: the first check may still init
          // Check and bare plan alternate, so that both see the same emulator and page cache.
          long[] checks = new long[rounds];
          long[] bares = new long[rounds];
          for (int r = 0; r < rounds; r++) {
            long t = System.nanoTime();
            PartVerdict result = checker.check(cluster);
            checks[r] = millisSince(t);
            if (result.status().reason() != null || !result.drifts().isEmpty()) {
              throw new IOException("the in-sync check failed: " + result);
            }
            bares[r] = barePlan(binary, settings, dir);
          }
          check = median(checks);
          bare = median(bares);

          // The drifted case: a tag changed behind Terraform's back.
          CloudChanges cloud = new CloudChanges(moto.endpoint(), "us-east-1");
          cloud.createTags(cloud.vpcIdByName("bench-check"), "team", "someone-else");
          for (int r = 0; r < rounds; r++) {
            long t = System.nanoTime();
            PartVerdict drifted = checker.check(cluster);
            checks[r] = millisSince(t);
            if (drifted.drifts().isEmpty()) {
              throw new IOException("the changed tag was not found as drift");
            }
            bares[r] = barePlan(binary, settings, dir);
          }
          driftedCheck = median(checks);
          driftedBare = median(bares);
        }
      }
      Figures f = new Figures(firstSynth, clusters, batchSynth, unchangedSynth, check, bare);
      out.printf(
          "check (in sync, median of %d): fleetwarden drift check %d ms (synth skipped)%n",
          rounds, f.checkMillis());
      out.printf("check (in sync, median of %d): bare terraform plan     %d ms%n", rounds, bare);
      out.printf("check (in sync): overhead %.1f %%%n", f.overheadPercent());
      out.printf(
          "check (drifted, median of %d): fleetwarden drift check %d ms%n", rounds, driftedCheck);
      out.printf(
          "check (drifted, median of %d): bare terraform plan     %d ms%n", rounds, driftedBare);
      out.printf(
          "check (drifted): overhead %.1f %% (drift read from the saved plan, no show -json)%n",
          100.0 * (driftedCheck - driftedBare) / driftedBare);
      return f;
    } finally {
      Scratch.deleteQuietly(scratch);
    }
  }

  private static long barePlan(Path binary, TerraformSettings settings, Path dir)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(
                binary.toString(),
                "plan",
                "-input=false",
                "-no-color",
                "-lock=false",
                "-detailed-exitcode",
                "-out=bare.tfplan")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = pb.environment();
    env.put("TF_IN_AUTOMATION", "1");
    env.put("CHECKPOINT_DISABLE", "1");
    env.putAll(settings.environment());
    long t = System.nanoTime();
    int exit = pb.start().waitFor();
    long millis = millisSince(t);
    if (exit != 0 && exit != 2) {
      throw new IOException("bare terraform plan exited " + exit);
    }
    return millis;
  }

  private static StackInputs inputs(String name, int n) {
    ObjectNode infra = JSON.createObjectNode();
    infra.put("region", "us-east-1");
    infra.put("vpcCidr", "10." + (n % 250) + ".0.0/16");
    infra.putArray("availabilityZones").add("us-east-1a").add("us-east-1b");
    infra.put("kubernetesVersion", "1.30");
    ObjectNode group = infra.putArray("nodeGroups").addObject();
    group.put("name", "general");
    group.put("instanceType", "t3.medium");
    group.put("minSize", 1);
    group.put("maxSize", 3);
    group.put("desiredSize", 1);
    infra.putArray("allowedCidrs").add("10.0.0.0/8");
    infra.putObject("tags").put("team", "platform");
    return StackInputs.from(name, n % 5 == 0, n % 5 == 0 ? "ops" : "dev", infra);
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}

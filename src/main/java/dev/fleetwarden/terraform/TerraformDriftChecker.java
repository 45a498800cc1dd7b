package dev.fleetwarden.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.cdktf.StackInputs;
import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.model.ObjectDrift;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Checks a cluster's cloud infrastructure: synthesize its stack (skipped when the inputs did not
 * change) → {@code terraform init} → {@code terraform plan} → {@code terraform show -json} → drift.
 * One normal plan yields both cloud drift ({@code resource_drift}) and pending fleet changes
 * ({@code resource_changes}). Nothing escapes {@link #check}: every failure becomes an unknown
 * status with the reason, secrets removed.
 */
public final class TerraformDriftChecker implements AutoCloseable {
  /** The reason given when no Terraform executable is found. */
  public static final String NO_BINARY = "terraform binary not found on PATH; set terraform.binary";

  static final String PLAN_FILE = "fleetwarden.tfplan";
  private static final Logger LOG = LoggerFactory.getLogger(TerraformDriftChecker.class);

  private final TerraformSettings settings;
  private final StackSynthesizer synthesizer;
  private final Optional<TerraformRunner> runner;
  private final PlanParser parser;
  private final List<String> secrets;

  /**
   * @param runner empty when no Terraform executable was found: every check is then unknown
   */
  public TerraformDriftChecker(
      TerraformSettings settings,
      StackSynthesizer synthesizer,
      Optional<TerraformRunner> runner,
      PlanParser parser) {
    this.settings = settings;
    this.synthesizer = synthesizer;
    this.runner = runner;
    this.parser = parser;
    this.secrets =
        settings.environment().entrySet().stream()
            .filter(e -> e.getKey().matches("(?i).*(secret|token|password).*"))
            .map(Map.Entry::getValue)
            .toList();
  }

  /** The checker with the CDKTF synthesizer and the CLI runner (if a binary is found). */
  public static TerraformDriftChecker create(TerraformSettings settings) {
    Optional<TerraformRunner> runner =
        TerraformBinary.locate(settings.binary(), System.getenv())
            .map(binary -> new CliTerraformRunner(binary, settings));
    return new TerraformDriftChecker(
        settings,
        new CdktfStackSynthesizer(settings.workDir(), settings.stackOptions()),
        runner,
        new PlanParser());
  }

  public TerraformSettings settings() {
    return settings;
  }

  /** Whether a Terraform executable was found. */
  public boolean hasTerraform() {
    return runner.isPresent();
  }

  /**
   * Checks one cluster from its name and {@code infrastructure} block; role and environment come
   * from the {@code role}/{@code environment} tags when present (see {@link
   * StackInputs#from(String, JsonNode)}). Prefer {@link #check(ClusterSpec)} when the cluster spec
   * is at hand.
   */
  public TerraformResult check(String cluster, JsonNode infrastructure) {
    return checkGuarded(cluster, () -> StackInputs.from(cluster, infrastructure));
  }

  /** Checks one cluster of the fleet. */
  public TerraformResult check(ClusterSpec cluster) {
    return checkGuarded(cluster.name(), () -> inputs(cluster));
  }

  /** Checks one cluster's stack. */
  public TerraformResult check(StackInputs inputs) {
    return checkGuarded(inputs.cluster(), () -> inputs);
  }

  /**
   * Checks several clusters, at most {@link TerraformSettings#parallelism()} at a time; results in
   * the order given, keyed by cluster name.
   */
  public Map<String, TerraformResult> checkAll(Collection<ClusterSpec> clusters) {
    Map<String, TerraformResult> out = new LinkedHashMap<>();
    if (runner.isEmpty()) {
      clusters.forEach(c -> out.put(c.name(), TerraformResult.unknown(NO_BINARY)));
      return out;
    }
    ExecutorService pool = Executors.newFixedThreadPool(settings.parallelism());
    try {
      Map<String, Future<TerraformResult>> futures = new LinkedHashMap<>();
      for (ClusterSpec c : clusters) {
        futures.put(c.name(), pool.submit(() -> check(c)));
      }
      for (Map.Entry<String, Future<TerraformResult>> f : futures.entrySet()) {
        try {
          out.put(f.getKey(), f.getValue().get());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          out.put(f.getKey(), TerraformResult.unknown("interrupted"));
        } catch (ExecutionException e) {
          out.put(f.getKey(), TerraformResult.unknown(scrub(String.valueOf(e.getCause()))));
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return out;
  }

  /**
   * Synthesizes and applies the stacks of the given clusters, one after another (for demos and
   * first-time setup; the checker itself never applies).
   */
  public void applyStacks(List<StackInputs> clusters)
      throws SynthesisException, TerraformException {
    TerraformRunner terraform =
        runner.orElseThrow(() -> new TerraformException(settings.workDir(), "apply", NO_BINARY));
    Map<String, StackSynthesizer.Synthesized> dirs = synthesizer.synthesize(clusters);
    for (StackInputs in : clusters) {
      Path dir = dirs.get(in.cluster()).directory();
      terraform.init(dir);
      terraform.apply(dir);
    }
  }

  /** {@link #applyStacks(List)} for fleet clusters. */
  public void applyClusters(Collection<ClusterSpec> clusters)
      throws SynthesisException, TerraformException {
    List<StackInputs> inputs = new ArrayList<>();
    for (ClusterSpec c : clusters) {
      inputs.add(inputs(c));
    }
    applyStacks(inputs);
  }

  /** The stack inputs of a fleet cluster. */
  public static StackInputs inputs(ClusterSpec cluster) {
    return StackInputs.from(
        cluster.name(),
        cluster.role() == ClusterSpec.Role.MANAGEMENT,
        cluster.environment(),
        cluster.infrastructure());
  }

  private interface InputsSupplier {
    StackInputs get();
  }

  private TerraformResult checkGuarded(String cluster, InputsSupplier inputs) {
    MDC.put("cluster", cluster);
    try {
      if (runner.isEmpty()) {
        return TerraformResult.unknown(NO_BINARY);
      }
      StackInputs in;
      try {
        in = inputs.get();
      } catch (RuntimeException e) {
        return TerraformResult.unknown(
            "invalid infrastructure inputs: " + scrub(e.getMessage()) + "; fix the cluster.yaml");
      }
      return checkNow(in, runner.get());
    } catch (SynthesisException | TerraformException | PlanParseException e) {
      String reason = scrub(e.getMessage());
      LOG.warn("terraform check of {} failed: {}", cluster, reason);
      return TerraformResult.unknown(reason);
    } catch (RuntimeException e) {
      String reason = scrub(e.getClass().getSimpleName() + ": " + e.getMessage());
      LOG.warn("terraform check of {} failed: {}", cluster, reason);
      return TerraformResult.unknown(reason);
    } finally {
      MDC.remove("cluster");
    }
  }

  private TerraformResult checkNow(StackInputs in, TerraformRunner terraform)
      throws SynthesisException, TerraformException, PlanParseException {
    Path dir = synthesizer.synthesize(in).directory();
    terraform.init(dir);
    Path planFile = dir.resolve(PLAN_FILE);
    boolean changes = terraform.plan(dir, TerraformRunner.PlanMode.NORMAL, planFile);
    if (!changes) {
      // A normal plan (not refresh-only, whose exit code lies: hashicorp/terraform#36403) with
      // exit code 0 has nothing to create, update or revert: the attributes the configuration
      // sets all match the cloud, which is what drift is judged on. `show -json` would restart
      // the provider just to say so.
      LOG.info("terraform check of {}: in sync (plan reported no changes)", in.cluster());
      return TerraformResult.of(List.of());
    }
    String show = terraform.showJson(dir, planFile);
    List<ObjectDrift> drifts = parser.parse(in.cluster(), show);
    LOG.info("terraform check of {}: {} drifted resource(s)", in.cluster(), drifts.size());
    return TerraformResult.of(drifts);
  }

  private String scrub(String text) {
    return Secrets.scrub(text, secrets);
  }

  @Override
  public void close() {
    if (synthesizer instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.debug("closing the synthesizer: {}", e.getMessage());
      }
    }
  }
}

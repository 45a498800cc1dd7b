package dev.fleetwarden.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.cdktf.StackInputs;
import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.PartVerdict;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Checks a cluster's cloud infrastructure: synthesize its stack (skipped when the inputs did not
 * change) → {@code terraform init} → {@code terraform plan} → drift. One normal plan yields both
 * cloud drift ({@code resource_drift}) and pending fleet changes ({@code resource_changes}). A plan
 * without changes is in sync; a plan whose only changes revert cloud drift is read straight from
 * the plan file ({@link SavedPlan}); any other plan through {@code terraform show -json}. Nothing
 * escapes {@link #check}: every failure becomes an unknown status with the reason, secrets removed.
 */
public final class TerraformDriftChecker implements AutoCloseable {
  /** The reason given when no Terraform executable is found. */
  public static final String NO_BINARY = "terraform binary not found on PATH; set terraform.binary";

  static final String PLAN_FILE = "fleetwarden.tfplan";
  static final String SENSITIVITY_CACHE = ".fleetwarden-sensitive.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(TerraformDriftChecker.class);

  private final TerraformSettings settings;
  private final StackSynthesizer synthesizer;
  private final Optional<TerraformRunner> runner;
  private final PlanParser parser;
  private final List<String> secrets;
  private final Map<String, ProviderSensitivity> sensitivities = new ConcurrentHashMap<>();

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
    this.secrets = Secrets.valuesIn(settings.environment());
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
  public PartVerdict check(String cluster, JsonNode infrastructure) {
    return checkGuarded(cluster, () -> StackInputs.from(cluster, infrastructure));
  }

  /** Checks one cluster of the fleet. */
  public PartVerdict check(ClusterSpec cluster) {
    return checkGuarded(cluster.name(), () -> inputs(cluster));
  }

  /** Checks one cluster's stack. */
  public PartVerdict check(StackInputs inputs) {
    return checkGuarded(inputs.cluster(), () -> inputs);
  }

  /**
   * Checks several clusters, at most {@link TerraformSettings#parallelism()} at a time; results in
   * the order given, keyed by cluster name.
   */
  public Map<String, PartVerdict> checkAll(Collection<ClusterSpec> clusters) {
    Map<String, PartVerdict> out = new LinkedHashMap<>();
    if (runner.isEmpty()) {
      clusters.forEach(c -> out.put(c.name(), PartVerdict.unknown(NO_BINARY)));
      return out;
    }
    ExecutorService pool = Executors.newFixedThreadPool(settings.parallelism());
    try {
      Map<String, Future<PartVerdict>> futures = new LinkedHashMap<>();
      for (ClusterSpec c : clusters) {
        futures.put(c.name(), pool.submit(() -> check(c)));
      }
      for (Map.Entry<String, Future<PartVerdict>> f : futures.entrySet()) {
        try {
          out.put(f.getKey(), f.getValue().get());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          out.put(f.getKey(), PartVerdict.unknown("interrupted"));
        } catch (ExecutionException e) {
          out.put(f.getKey(), PartVerdict.unknown(scrub(String.valueOf(e.getCause()))));
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

  private PartVerdict checkGuarded(String cluster, InputsSupplier inputs) {
    MDC.put("cluster", cluster);
    try {
      if (runner.isEmpty()) {
        return PartVerdict.unknown(NO_BINARY);
      }
      StackInputs in;
      try {
        in = inputs.get();
      } catch (RuntimeException e) {
        return PartVerdict.unknown(
            "invalid infrastructure inputs: " + scrub(e.getMessage()) + "; fix the cluster.yaml");
      }
      return checkNow(in, runner.get());
    } catch (SynthesisException | TerraformException | PlanParseException e) {
      String reason = scrub(e.getMessage());
      LOG.warn("terraform check of {} failed: {}", cluster, reason);
      return PartVerdict.unknown(reason);
    } catch (RuntimeException e) {
      String reason = scrub(e.getClass().getSimpleName() + ": " + e.getMessage());
      LOG.warn("terraform check of {} failed: {}", cluster, reason);
      return PartVerdict.unknown(reason);
    } finally {
      MDC.remove("cluster");
    }
  }

  private PartVerdict checkNow(StackInputs in, TerraformRunner terraform)
      throws SynthesisException, TerraformException, PlanParseException {
    Path dir = synthesizer.synthesize(in).directory();
    terraform.init(dir);
    Optional<ProviderSensitivity> sensitivity = sensitivity(dir, terraform);
    Path planFile = dir.resolve(PLAN_FILE);
    TerraformRunner.PlanOutcome plan =
        terraform.plan(dir, TerraformRunner.PlanMode.NORMAL, planFile);
    if (!plan.changes()) {
      // A normal plan (not refresh-only, whose exit code lies: hashicorp/terraform#36403) with
      // exit code 0 has nothing to create, update or revert: the attributes the configuration
      // sets all match the cloud, which is what drift is judged on.
      LOG.info("terraform check of {}: in sync (plan reported no changes)", in.cluster());
      return PartVerdict.of(List.of());
    }
    List<ObjectDrift> drifts = null;
    if (sensitivity.isPresent()) {
      SavedPlan.Reading reading = readSavedPlan(dir, planFile, sensitivity.get(), plan);
      if (reading.complete()) {
        drifts = parser.parse(in.cluster(), reading.document());
      } else {
        LOG.debug(
            "terraform check of {}: show -json needed: {}", in.cluster(), reading.fallbackReason());
      }
    }
    if (drifts == null) {
      drifts = parser.parse(in.cluster(), terraform.showJson(dir, planFile));
    }
    LOG.info("terraform check of {}: {} drifted resource(s)", in.cluster(), drifts.size());
    return PartVerdict.of(drifts);
  }

  private SavedPlan.Reading readSavedPlan(
      Path dir, Path planFile, ProviderSensitivity sensitivity, TerraformRunner.PlanOutcome plan) {
    try {
      Path config = dir.resolve(CdktfStackSynthesizer.STACK_FILE);
      JsonNode configuration = Files.isRegularFile(config) ? JSON.readTree(config.toFile()) : null;
      return SavedPlan.read(planFile, configuration, sensitivity, plan.planned());
    } catch (IOException e) {
      return SavedPlan.Reading.fallback("cannot read the saved plan: " + e.getMessage());
    }
  }

  /**
   * The providers' sensitive attributes for a stack directory, from {@code terraform providers
   * schema -json} once per provider lock file (kept in memory and next to the lock file): part of
   * preparing a directory, like init. Empty when they cannot be had; plans are then read through
   * {@code show -json}.
   */
  private Optional<ProviderSensitivity> sensitivity(Path dir, TerraformRunner terraform) {
    Path lock = dir.resolve(".terraform.lock.hcl");
    String key;
    try {
      key = Files.isRegularFile(lock) ? sha256(Files.readAllBytes(lock)) : null;
    } catch (IOException e) {
      key = null;
    }
    if (key == null) {
      return Optional.empty();
    }
    ProviderSensitivity known = sensitivities.get(key);
    if (known != null) {
      return Optional.of(known);
    }
    Path cache = dir.resolve(SENSITIVITY_CACHE);
    try {
      if (Files.isRegularFile(cache)) {
        JsonNode cached = JSON.readTree(cache.toFile());
        if (key.equals(cached.path("lock").asText())) {
          ProviderSensitivity s = ProviderSensitivity.fromJson(cached.path("types"));
          sensitivities.put(key, s);
          return Optional.of(s);
        }
      }
      Path schemas = Files.createTempFile(dir, ".fleetwarden-schemas", ".json");
      try {
        if (!terraform.providerSchemas(dir, schemas)) {
          return Optional.empty();
        }
        ProviderSensitivity s;
        try (InputStream in = Files.newInputStream(schemas)) {
          s = ProviderSensitivity.fromSchemas(in);
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("lock", key);
        out.set("types", s.toJson());
        Files.writeString(cache, JSON.writeValueAsString(out));
        PrivateFiles.restrict(cache);
        sensitivities.put(key, s);
        return Optional.of(s);
      } finally {
        Files.deleteIfExists(schemas);
      }
    } catch (IOException | TerraformException e) {
      LOG.warn(
          "cannot read the provider schemas in {} ({}); plans are read with show -json",
          dir,
          scrub(e.getMessage()));
      return Optional.empty();
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
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

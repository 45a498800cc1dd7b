package dev.fleetwarden.terraform;

import dev.fleetwarden.cdktf.StackOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * How fleetwarden runs Terraform; built once, immutable.
 *
 * @param binary {@code terraform.binary} / {@code FLEETWARDEN_TERRAFORM_BINARY}: a path or a name
 *     looked up on {@code PATH}; null means {@code terraform}, else {@code tofu}, on PATH
 * @param pluginMirror {@code terraform.pluginMirror} / {@code FLEETWARDEN_TERRAFORM_PLUGIN_MIRROR}:
 *     a provider mirror directory (the one holding {@code registry.terraform.io}) passed to {@code
 *     init -plugin-dir}; null means providers come from the CLI configuration
 * @param cliConfigFile {@code terraform.cliConfigFile} / {@code FLEETWARDEN_TERRAFORM_CLI_CONFIG}:
 *     a CLI configuration file ({@code TF_CLI_CONFIG_FILE}) used instead of the plugin mirror
 * @param endpoints {@code terraform.endpoints} / {@code FLEETWARDEN_AWS_ENDPOINT} (one URL for all
 *     services): AWS endpoint overrides; non-empty means a local emulator
 * @param backend {@code terraform.backend}: where stack state lives (local file by default)
 * @param stepTimeout {@code terraform.stepTimeout} / {@code FLEETWARDEN_TERRAFORM_STEP_TIMEOUT}
 *     (seconds): longest a single init, plan, show or apply may run before it is killed (default 10
 *     minutes)
 * @param parallelism {@code terraform.parallelism} / {@code FLEETWARDEN_TERRAFORM_PARALLELISM}:
 *     clusters checked at the same time (default 2)
 * @param workDir {@code terraform.workDir} / {@code FLEETWARDEN_TERRAFORM_WORKDIR}: one
 *     subdirectory per cluster holds its {@code cdk.tf.json}, {@code .terraform} and (local
 *     backend) state (default {@code fleetwarden-terraform} in the temp directory)
 * @param environment extra environment of the terraform process, e.g. {@code AWS_ACCESS_KEY_ID};
 *     values are secrets: never logged, never printed by {@link #toString()}
 */
public record TerraformSettings(
    String binary,
    Path pluginMirror,
    Path cliConfigFile,
    Map<String, String> endpoints,
    StackOptions.Backend backend,
    Duration stepTimeout,
    int parallelism,
    Path workDir,
    Map<String, String> environment) {

  public static final String ENV_BINARY = "FLEETWARDEN_TERRAFORM_BINARY";
  public static final String ENV_PLUGIN_MIRROR = "FLEETWARDEN_TERRAFORM_PLUGIN_MIRROR";
  public static final String ENV_CLI_CONFIG = "FLEETWARDEN_TERRAFORM_CLI_CONFIG";
  public static final String ENV_AWS_ENDPOINT = "FLEETWARDEN_AWS_ENDPOINT";
  public static final String ENV_STEP_TIMEOUT = "FLEETWARDEN_TERRAFORM_STEP_TIMEOUT";
  public static final String ENV_PARALLELISM = "FLEETWARDEN_TERRAFORM_PARALLELISM";
  public static final String ENV_WORKDIR = "FLEETWARDEN_TERRAFORM_WORKDIR";

  public static final Duration DEFAULT_STEP_TIMEOUT = Duration.ofMinutes(10);
  public static final int DEFAULT_PARALLELISM = 2;

  public TerraformSettings {
    endpoints = Map.copyOf(endpoints == null ? Map.of() : endpoints);
    environment = Map.copyOf(environment == null ? Map.of() : environment);
    backend = backend == null ? StackOptions.Backend.local() : backend;
    stepTimeout = stepTimeout == null ? DEFAULT_STEP_TIMEOUT : stepTimeout;
    parallelism = parallelism < 1 ? DEFAULT_PARALLELISM : parallelism;
    workDir =
        workDir == null
            ? Path.of(System.getProperty("java.io.tmpdir"), "fleetwarden-terraform")
            : workDir;
  }

  public static TerraformSettings defaults() {
    return new TerraformSettings(null, null, null, null, null, null, 0, null, null);
  }

  /** Settings from {@code FLEETWARDEN_*} environment variables, defaults for the rest. */
  public static TerraformSettings fromEnvironment(Map<String, String> env) {
    TerraformSettings s = defaults();
    if (present(env, ENV_BINARY)) {
      s = s.withBinary(env.get(ENV_BINARY));
    }
    if (present(env, ENV_PLUGIN_MIRROR)) {
      s = s.withPluginMirror(Path.of(env.get(ENV_PLUGIN_MIRROR)));
    }
    if (present(env, ENV_CLI_CONFIG)) {
      s = s.withCliConfigFile(Path.of(env.get(ENV_CLI_CONFIG)));
    }
    if (present(env, ENV_AWS_ENDPOINT)) {
      s = s.withEmulatorEndpoint(env.get(ENV_AWS_ENDPOINT));
    }
    if (present(env, ENV_STEP_TIMEOUT)) {
      s = s.withStepTimeout(Duration.ofSeconds(Long.parseLong(env.get(ENV_STEP_TIMEOUT).trim())));
    }
    if (present(env, ENV_PARALLELISM)) {
      s = s.withParallelism(Integer.parseInt(env.get(ENV_PARALLELISM).trim()));
    }
    if (present(env, ENV_WORKDIR)) {
      s = s.withWorkDir(Path.of(env.get(ENV_WORKDIR)));
    }
    return s;
  }

  private static boolean present(Map<String, String> env, String key) {
    String v = env.get(key);
    return v != null && !v.isBlank();
  }

  /** The stack options these settings imply. */
  public StackOptions stackOptions() {
    return new StackOptions(endpoints, backend);
  }

  public TerraformSettings withBinary(String v) {
    return new TerraformSettings(
        v,
        pluginMirror,
        cliConfigFile,
        endpoints,
        backend,
        stepTimeout,
        parallelism,
        workDir,
        environment);
  }

  public TerraformSettings withPluginMirror(Path v) {
    return new TerraformSettings(
        binary,
        v,
        cliConfigFile,
        endpoints,
        backend,
        stepTimeout,
        parallelism,
        workDir,
        environment);
  }

  public TerraformSettings withCliConfigFile(Path v) {
    return new TerraformSettings(
        binary,
        pluginMirror,
        v,
        endpoints,
        backend,
        stepTimeout,
        parallelism,
        workDir,
        environment);
  }

  public TerraformSettings withEndpoints(Map<String, String> v) {
    return new TerraformSettings(
        binary,
        pluginMirror,
        cliConfigFile,
        v,
        backend,
        stepTimeout,
        parallelism,
        workDir,
        environment);
  }

  /**
   * Every AWS service the stacks use at one URL (a local emulator), with the emulator's dummy
   * credentials unless credentials are already set.
   */
  public TerraformSettings withEmulatorEndpoint(String url) {
    Map<String, String> env = new TreeMap<>(environment);
    env.putIfAbsent("AWS_ACCESS_KEY_ID", "testing");
    env.putIfAbsent("AWS_SECRET_ACCESS_KEY", "testing");
    return withEndpoints(dev.fleetwarden.cdktf.FleetStacks.emulatorEndpoints(url))
        .withEnvironment(env);
  }

  public TerraformSettings withBackend(StackOptions.Backend v) {
    return new TerraformSettings(
        binary,
        pluginMirror,
        cliConfigFile,
        endpoints,
        v,
        stepTimeout,
        parallelism,
        workDir,
        environment);
  }

  public TerraformSettings withStepTimeout(Duration v) {
    return new TerraformSettings(
        binary,
        pluginMirror,
        cliConfigFile,
        endpoints,
        backend,
        v,
        parallelism,
        workDir,
        environment);
  }

  public TerraformSettings withParallelism(int v) {
    return new TerraformSettings(
        binary,
        pluginMirror,
        cliConfigFile,
        endpoints,
        backend,
        stepTimeout,
        v,
        workDir,
        environment);
  }

  public TerraformSettings withWorkDir(Path v) {
    return new TerraformSettings(
        binary,
        pluginMirror,
        cliConfigFile,
        endpoints,
        backend,
        stepTimeout,
        parallelism,
        v,
        environment);
  }

  public TerraformSettings withEnvironment(Map<String, String> v) {
    return new TerraformSettings(
        binary,
        pluginMirror,
        cliConfigFile,
        endpoints,
        backend,
        stepTimeout,
        parallelism,
        workDir,
        v);
  }

  @Override
  public String toString() {
    return "TerraformSettings[binary="
        + binary
        + ", pluginMirror="
        + pluginMirror
        + ", cliConfigFile="
        + cliConfigFile
        + ", endpoints="
        + endpoints
        + ", backend="
        + backend.type()
        + ", stepTimeout="
        + stepTimeout
        + ", parallelism="
        + parallelism
        + ", workDir="
        + workDir
        + ", environment="
        + environment.keySet()
        + "]";
  }
}

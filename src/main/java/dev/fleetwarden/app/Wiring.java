package dev.fleetwarden.app;

import dev.fleetwarden.reconcile.CloudCheck;
import dev.fleetwarden.reconcile.SynthesizerStackRerender;
import dev.fleetwarden.remediate.InfrastructurePlanner;
import dev.fleetwarden.terraform.CdktfStackSynthesizer;
import dev.fleetwarden.terraform.PluginMirrors;
import dev.fleetwarden.terraform.TerraformDriftChecker;
import dev.fleetwarden.terraform.TerraformSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The one place that turns configuration into implementations of the I/O interfaces. */
final class Wiring {
  private Wiring() {}

  /**
   * Plans Terraform drift as edits of infrastructure inputs, synthesizing candidates in a scratch
   * directory beside the Terraform work dirs (never in them); the synthesizer is added to {@code
   * resources} to be closed.
   */
  static InfrastructurePlanner infrastructurePlanner(
      TerraformSettings terraform, java.util.List<AutoCloseable> resources) {
    CdktfStackSynthesizer synthesizer =
        new CdktfStackSynthesizer(
            terraform.workDir().resolveSibling("remediation-stacks"), terraform.stackOptions());
    resources.add(synthesizer);
    return new InfrastructurePlanner(new SynthesizerStackRerender(synthesizer));
  }

  /** Terraform settings: discovery from the environment, then the config's explicit values. */
  static TerraformSettings terraform(Config config, Map<String, String> env) {
    TerraformSettings s = TerraformSettings.fromEnvironment(env);
    s = s.withWorkDir(config.path(Setting.WORK_DIR).resolve("terraform").toAbsolutePath());
    if (config.optional(Setting.TERRAFORM_BINARY).isPresent()) {
      s = s.withBinary(config.get(Setting.TERRAFORM_BINARY));
    }
    if (config.optional(Setting.TERRAFORM_PLUGIN_MIRROR).isPresent()) {
      s = s.withPluginMirror(Path.of(config.get(Setting.TERRAFORM_PLUGIN_MIRROR)));
    } else if (s.pluginMirror() == null) {
      // Machines without internet keep providers in a filesystem mirror: find it as terraform
      // would.
      s = s.withPluginMirror(PluginMirrors.discover(env).orElse(null));
    }
    if (config.optional(Setting.TERRAFORM_AWS_ENDPOINT).isPresent()) {
      s = s.withEmulatorEndpoint(config.get(Setting.TERRAFORM_AWS_ENDPOINT));
    }
    s = s.withStepTimeout(Duration.ofSeconds(config.getInt(Setting.TERRAFORM_TIMEOUT)));
    s = s.withParallelism(config.getInt(Setting.TERRAFORM_PARALLELISM));
    return s;
  }

  /** The cloud half of a verdict through real terraform plans. */
  static CloudCheck cloud(TerraformDriftChecker checker) {
    return checker::check;
  }
}

package dev.fleetwarden.terraform;

import dev.fleetwarden.demo.MotoServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * What the Terraform integration tests need from the machine: a terraform (or tofu) binary, moto,
 * and a provider mirror. A missing tool is an assumption failure naming the tool (CI fails on
 * skipped tests).
 */
final class TerraformTools {
  private TerraformTools() {}

  /** Checks the tools for {@code testName}; returns the provider mirror. */
  static Path require(String testName) {
    Map<String, String> env = System.getenv();
    Assumptions.assumeTrue(
        TerraformBinary.locate(null, env).isPresent(),
        "TERRAFORM MISSING: no terraform or tofu on PATH; install Terraform to run " + testName);
    Assumptions.assumeTrue(
        MotoServer.findOnPath().isPresent(),
        "MOTO MISSING: no moto_server on PATH; pip install 'moto[server]' to run " + testName);
    Optional<Path> mirror = PluginMirrors.discover(env);
    Assumptions.assumeTrue(
        mirror.isPresent(),
        "NO PROVIDER MIRROR: set FLEETWARDEN_TERRAFORM_PLUGIN_MIRROR to the directory holding"
            + " registry.terraform.io/hashicorp/aws (searched: "
            + PluginMirrors.candidates(env)
            + " and two levels below the file system root)");
    return mirror.get();
  }

  /** Settings for stacks under {@code workDir} planned against {@code moto}. */
  static TerraformSettings settings(Path mirror, MotoServer moto, Path workDir) {
    return TerraformSettings.defaults()
        .withPluginMirror(mirror)
        .withEmulatorEndpoint(moto.endpoint())
        .withWorkDir(workDir)
        .withStepTimeout(Duration.ofMinutes(2));
  }

  /** The CLI runner on the binary found on PATH. */
  static CliTerraformRunner runner(TerraformSettings settings) {
    return new CliTerraformRunner(
        TerraformBinary.locate(null, System.getenv()).orElseThrow(), settings);
  }
}

package dev.fleetwarden.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI runner against a stand-in executable that records its arguments and environment. */
class CliTerraformRunnerTest {
  @TempDir Path tmp;

  private Path fakeTerraform(String body) throws Exception {
    Path exe = tmp.resolve("fake-terraform");
    Files.writeString(exe, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
    return exe;
  }

  private Path stackDir() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("dev-1"));
    Files.writeString(dir.resolve("cdk.tf.json"), "{\"terraform\": {\"backend\": {}}}");
    return dir;
  }

  @Test
  void passesAutomationFlagsAndTreatsExitTwoOfAPlanAsChanges() throws Exception {
    Path log = tmp.resolve("calls.log");
    Path exe =
        fakeTerraform(
            "echo \"$TF_IN_AUTOMATION $* \" >> '"
                + log
                + "'\ncase \"$1\" in plan) exit 2;; show) echo '{\"format_version\":\"1.2\"}';; esac\nexit 0");
    CliTerraformRunner runner =
        new CliTerraformRunner(
            exe, TerraformSettings.defaults().withPluginMirror(tmp.resolve("mirror")));
    Path dir = stackDir();

    runner.init(dir);
    runner.init(dir); // no .terraform yet: runs again
    Files.createDirectories(dir.resolve(".terraform"));
    runner.init(dir);
    runner.init(dir);
    boolean changes =
        runner.plan(dir, TerraformRunner.PlanMode.REFRESH_ONLY, dir.resolve("p.tfplan")).changes();
    String show = runner.showJson(dir, dir.resolve("p.tfplan"));

    assertThat(changes).isTrue();
    assertThat(show.trim()).isEqualTo("{\"format_version\":\"1.2\"}");
    String calls = Files.readString(log);
    assertThat(calls.lines().filter(l -> l.contains(" init ")).count())
        .as("init runs until .terraform exists, then is skipped")
        .isEqualTo(2);
    assertThat(calls)
        .contains("1 init -input=false -no-color -plugin-dir=" + tmp.resolve("mirror"))
        .contains("1 plan -refresh-only -input=false -no-color")
        .contains("-detailed-exitcode")
        .contains("1 show -json -no-color");
  }

  @Test
  void aFailingStepIsATypedErrorWithTheOutputTailAndNoSecret() throws Exception {
    Path exe =
        fakeTerraform("echo \"Error: invalid key $AWS_SECRET_ACCESS_KEY for apply\" >&2\nexit 1");
    CliTerraformRunner runner =
        new CliTerraformRunner(
            exe,
            TerraformSettings.defaults()
                .withEnvironment(Map.of("AWS_SECRET_ACCESS_KEY", "hunter2-secret")));
    Path dir = stackDir();

    assertThatThrownBy(() -> runner.apply(dir))
        .isInstanceOf(TerraformException.class)
        .hasMessageContaining("terraform apply in " + dir)
        .hasMessageContaining("exit code 1")
        .hasMessageContaining("Error: invalid key")
        .hasMessageNotContaining("hunter2-secret");
  }

  @Test
  void aStepThatHangsIsKilledAtTheTimeout() throws Exception {
    Path exe = fakeTerraform("sleep 60");
    CliTerraformRunner runner =
        new CliTerraformRunner(
            exe, TerraformSettings.defaults().withStepTimeout(Duration.ofMillis(500)));
    Path dir = stackDir();
    long started = System.nanoTime();

    assertThatThrownBy(() -> runner.plan(dir, TerraformRunner.PlanMode.NORMAL, dir.resolve("p")))
        .isInstanceOf(TerraformException.class)
        .hasMessageContaining("timed out")
        .hasMessageContaining(TerraformSettings.ENV_STEP_TIMEOUT);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
  }
}

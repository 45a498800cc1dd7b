package dev.fleetwarden.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real kubectl binary against the embedded clusters, with a HOME of its own so that the user's
 * ~/.kube is never read. A missing kubectl fails the test with the reason: CI installs it.
 */
record Kubectl(String binary, Path kubeconfig, Path home) {

  /** kubectl from PATH, or an assertion error saying what is missing. */
  static String require() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "kubectl");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new AssertionError("kubectl is not on PATH: this test drives the real kubectl binary");
  }

  /** Runs kubectl; a non-zero exit fails the test with kubectl's output. */
  String run(String... args) throws IOException, InterruptedException {
    Files.createDirectories(home);
    List<String> command = new ArrayList<>();
    command.add(binary);
    command.add("--kubeconfig");
    command.add(kubeconfig.toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("HOME", home.toString());
    pb.environment().remove("KUBECONFIG");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish: " + out);
    }
    if (p.exitValue() != 0) {
      throw new AssertionError(
          "kubectl " + String.join(" ", args) + " exited " + p.exitValue() + ": " + out);
    }
    return out;
  }
}

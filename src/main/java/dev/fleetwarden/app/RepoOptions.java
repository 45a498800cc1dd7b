package dev.fleetwarden.app;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --repo} option shared by commands that read a fleet repo. */
public final class RepoOptions {
  @Option(
      names = "--repo",
      paramLabel = "DIR",
      description =
          "Fleet repo directory (default: the current directory when it holds fleet.yaml,"
              + " else ./fleet-repo-example).")
  Path repo;

  /** The fleet repo to read. */
  public Path repo() {
    if (repo != null) {
      return repo;
    }
    Path cwd = Path.of("").toAbsolutePath();
    return Files.isRegularFile(cwd.resolve("fleet.yaml")) ? cwd : cwd.resolve("fleet-repo-example");
  }
}

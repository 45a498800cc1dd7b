package dev.fleetwarden.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * Turns a plain directory (such as the example fleet) into a fresh local Git repository with one
 * commit, so the service can follow it like any remote and remediation branches have a place to
 * land.
 */
public final class LocalOrigin {
  private LocalOrigin() {}

  /** Replaces {@code origin} with a repository holding a copy of {@code dir} on branch main. */
  public static Path create(Path dir, Path origin) throws IOException {
    deleteRecursively(origin);
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path rel = dir.relativize(p);
        if (rel.startsWith(".git")) {
          continue;
        }
        Path target = origin.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    try (Git git = Git.init().setDirectory(origin.toFile()).setInitialBranch("main").call()) {
      git.add().addFilepattern(".").call();
      git.commit()
          .setMessage("fleet snapshot of " + dir.getFileName())
          .setSign(false)
          .setAuthor("fleetwarden", "fleetwarden@localhost")
          .setCommitter("fleetwarden", "fleetwarden@localhost")
          .call();
    } catch (GitAPIException e) {
      throw new IOException(
          "cannot create a local Git origin in " + origin + ": " + e.getMessage(), e);
    }
    return origin;
  }

  /** Deletes a directory tree if it exists. */
  public static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}

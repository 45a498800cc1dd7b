package dev.fleetwarden.terraform;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Finds the Terraform (or OpenTofu) executable. */
public final class TerraformBinary {
  /** Names tried on {@code PATH} when none is configured, in order. */
  public static final List<String> DEFAULT_NAMES = List.of("terraform", "tofu");

  private TerraformBinary() {}

  /**
   * The configured binary (a path, or a name looked up on {@code PATH}), or when none is configured
   * the first of {@link #DEFAULT_NAMES} on {@code PATH}; empty when nothing executable is found.
   */
  public static Optional<Path> locate(String configured, Map<String, String> env) {
    if (configured != null && !configured.isBlank()) {
      return find(configured.trim(), env);
    }
    for (String name : DEFAULT_NAMES) {
      Optional<Path> p = find(name, env);
      if (p.isPresent()) {
        return p;
      }
    }
    return Optional.empty();
  }

  /** An executable by path, or by name on {@code PATH}. */
  public static Optional<Path> find(String nameOrPath, Map<String, String> env) {
    try {
      if (nameOrPath.contains("/") || nameOrPath.contains(File.separator)) {
        Path p = Path.of(nameOrPath);
        return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
      }
      String path = env.getOrDefault("PATH", "");
      for (String dir : path.split(File.pathSeparator)) {
        if (dir.isBlank()) {
          continue;
        }
        Path p = Path.of(dir, nameOrPath);
        if (Files.isRegularFile(p) && Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}

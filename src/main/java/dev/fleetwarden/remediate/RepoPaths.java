package dev.fleetwarden.remediate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Checks the repo-relative paths a change set writes: relative, normalized, inside the fleet repo,
 * never under {@code .git}, and not reached through a symbolic link that leaves the repo.
 */
public final class RepoPaths {
  private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private RepoPaths() {}

  /**
   * The normalized form of a repo-relative path ({@code a/b.yaml}), or an exception naming the path
   * when it is absolute, empty, escapes the repo or points into {@code .git}.
   */
  public static String normalize(String relative) {
    if (relative == null || relative.isBlank()) {
      throw new UnsafePathException(String.valueOf(relative), "the path is empty");
    }
    String slashed = relative.replace('\\', '/');
    if (slashed.startsWith("/") || slashed.matches("^[A-Za-z]:.*")) {
      throw new UnsafePathException(relative, "the path is absolute; use a repo-relative path");
    }
    Path p = Path.of(slashed).normalize();
    String norm = p.toString().replace('\\', '/');
    if (norm.isEmpty() || norm.equals("..") || norm.startsWith("../")) {
      throw new UnsafePathException(relative, "the path leaves the fleet repo");
    }
    if (norm.equals(".git") || norm.startsWith(".git/")) {
      throw new UnsafePathException(relative, "the path points into the repo's .git directory");
    }
    return norm;
  }

  /**
   * Resolves a repo-relative path under {@code root}, refusing anything outside it, also through
   * symbolic links of existing parents.
   */
  public static Path resolve(Path root, String relative) {
    String norm = normalize(relative);
    Path base = root.toAbsolutePath().normalize();
    Path target = base.resolve(norm).normalize();
    if (!target.startsWith(base)) {
      throw new UnsafePathException(relative, "the path leaves the fleet repo");
    }
    try {
      Path realBase = base.toRealPath();
      Path existing = target;
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      if (existing != null && !existing.toRealPath().startsWith(realBase)) {
        throw new UnsafePathException(relative, "the path leaves the fleet repo through a link");
      }
    } catch (IOException e) {
      throw new UnsafePathException(relative, "cannot check the path: " + e.getMessage());
    }
    return target;
  }

  /** Whether a name can be used as one path segment or branch segment as it is. */
  public static boolean isSafeSegment(String name) {
    return name != null && SAFE_SEGMENT.matcher(name).matches() && !name.contains("..");
  }

  /** A path a change set must not write. */
  public static final class UnsafePathException extends RuntimeException {
    private final String path;

    public UnsafePathException(String path, String reason) {
      super("refusing to write " + path + ": " + reason);
      this.path = path;
    }

    public String path() {
      return path;
    }
  }
}

package dev.fleetwarden.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The one way fleetwarden reads files of a fleet repo: never through a symbolic link, only regular
 * files, and YAML no larger than {@link #MAX_FILE_BYTES}, checked before reading. A fleet committer
 * is trusted with the repo's content, not with the host's files: a link to {@code /etc/passwd} or a
 * service-account token must never be rendered, so every link is an error naming its path. Paths
 * are repo-relative with {@code /}; errors are {@link FleetError}s naming that path.
 */
public final class RepoFiles {
  /** Largest fleet file read, in bytes; fits {@link LocatedYaml#MAX_DOCUMENT_CHARS}. */
  public static final long MAX_FILE_BYTES = LocatedYaml.MAX_DOCUMENT_CHARS;

  /** The message of every symbolic link found in a fleet repo. */
  public static final String SYMLINK_MESSAGE =
      "symlinks are not allowed in the fleet repo; replace the link with a copy of the file it"
          + " points to";

  private static final String SPECIAL_MESSAGE =
      "not a regular file or directory (a device, socket or pipe); remove it from the fleet repo";
  private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

  private RepoFiles() {}

  /**
   * Every symbolic link and special file under {@code root} (the repo's own {@code .git} aside), in
   * one walk that follows no link. The root itself may be a link (a repo reached through one).
   */
  public static List<FleetError> unsafeEntries(Path root) {
    List<FleetError> found = new ArrayList<>();
    Path start;
    try {
      start = root.toRealPath();
    } catch (IOException e) {
      return List.of(new FleetError(".", 0, 0, "cannot read the fleet repo: " + e.getMessage()));
    }
    try {
      Files.walkFileTree(
          start,
          EnumSet.noneOf(FileVisitOption.class),
          Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              return dir.equals(start.resolve(".git"))
                  ? FileVisitResult.SKIP_SUBTREE
                  : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isSymbolicLink()) {
                found.add(new FleetError(relative(start, file), 0, 0, SYMLINK_MESSAGE));
              } else if (attrs.isOther()) {
                found.add(new FleetError(relative(start, file), 0, 0, SPECIAL_MESSAGE));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              found.add(
                  new FleetError(relative(start, file), 0, 0, "cannot read: " + e.getMessage()));
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      found.add(new FleetError(".", 0, 0, "cannot read the fleet repo: " + e.getMessage()));
    }
    return found;
  }

  /**
   * The regular files below the directory {@code dirRel} (repo-relative, sorted); a link or special
   * file anywhere below it, or on the way to it, is an error.
   */
  public static List<String> regularFiles(Path root, String dirRel)
      throws FleetValidationException {
    Path base = base(root);
    Path dir = checkedPath(base, dirRel);
    List<String> files = new ArrayList<>();
    List<FleetError> errors = new ArrayList<>();
    try {
      Files.walkFileTree(
          dir,
          EnumSet.noneOf(FileVisitOption.class),
          Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isSymbolicLink()) {
                errors.add(new FleetError(relative(base, file), 0, 0, SYMLINK_MESSAGE));
              } else if (attrs.isRegularFile()) {
                files.add(relative(base, file));
              } else if (attrs.isOther()) {
                errors.add(new FleetError(relative(base, file), 0, 0, SPECIAL_MESSAGE));
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new FleetValidationException(
          new FleetError(dirRel, 0, 0, "cannot list: " + e.getMessage()));
    }
    if (!errors.isEmpty()) {
      throw new FleetValidationException(errors);
    }
    files.sort(null);
    return files;
  }

  /**
   * The text of a repo file: a regular file reached through no link, at most {@link
   * #MAX_FILE_BYTES} (checked before reading), UTF-8.
   */
  public static String read(Path root, String rel) throws FleetValidationException {
    Path file = checkedFile(base(root), rel);
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
    } catch (IOException e) {
      throw new FleetValidationException(
          new FleetError(rel, 0, 0, "cannot read: " + e.getMessage()));
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new FleetValidationException(new FleetError(rel, 0, 0, tooLarge(bytes.length)));
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new FleetValidationException(
          new FleetError(rel, 0, 0, "not UTF-8 text; save the file as UTF-8"));
    }
  }

  /**
   * Opens a repo file for its bytes (to hash it), with the checks of {@link #read} but no size
   * limit: a regular file reached through no link.
   */
  public static InputStream open(Path root, String rel) throws FleetValidationException {
    Path file = checkedPath(base(root), rel);
    try {
      BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, NO_FOLLOW);
      if (!attrs.isRegularFile()) {
        throw new FleetValidationException(
            new FleetError(rel, 0, 0, attrs.isSymbolicLink() ? SYMLINK_MESSAGE : SPECIAL_MESSAGE));
      }
      return Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      throw new FleetValidationException(
          new FleetError(rel, 0, 0, "cannot read: " + e.getMessage()));
    }
  }

  /** Whether a repo path exists (as anything, a link included), without following links. */
  public static boolean exists(Path root, String rel) {
    return Files.exists(base(root).resolve(rel), NO_FOLLOW);
  }

  /** One error per symbolic link of a refused commit (see the git package). */
  public static List<FleetError> symlinkErrors(List<String> paths) {
    return paths.stream().map(p -> new FleetError(p, 0, 0, SYMLINK_MESSAGE)).toList();
  }

  /**
   * The text of an operator's file outside the fleet repo (the config file, schedule files): links
   * are allowed there (Kubernetes mounts ConfigMaps through them), the size limit is not.
   */
  public static String readOperatorFile(Path file) throws FleetValidationException {
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new FleetValidationException(new FleetError(file.toString(), 0, 0, tooLarge(size)));
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new FleetValidationException(
          new FleetError(file.toString(), 0, 0, "cannot read: " + e.getMessage()));
    }
  }

  /** The error of a file over the size limit. */
  static String tooLarge(long bytes) {
    return "file is "
        + bytes
        + " bytes, larger than the limit of "
        + MAX_FILE_BYTES
        + " bytes; split it or remove generated content";
  }

  private static Path checkedFile(Path base, String rel) throws FleetValidationException {
    Path file = checkedPath(base, rel);
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class, NO_FOLLOW);
    } catch (NoSuchFileException e) {
      throw new FleetValidationException(new FleetError(rel, 0, 0, "the file does not exist"));
    } catch (IOException e) {
      throw new FleetValidationException(
          new FleetError(rel, 0, 0, "cannot read: " + e.getMessage()));
    }
    if (attrs.isSymbolicLink()) {
      throw new FleetValidationException(new FleetError(rel, 0, 0, SYMLINK_MESSAGE));
    }
    if (!attrs.isRegularFile()) {
      throw new FleetValidationException(new FleetError(rel, 0, 0, SPECIAL_MESSAGE));
    }
    if (attrs.size() > MAX_FILE_BYTES) {
      throw new FleetValidationException(new FleetError(rel, 0, 0, tooLarge(attrs.size())));
    }
    return file;
  }

  /** The absolute path of {@code rel}, inside the repo, with no link on the way from the root. */
  private static Path checkedPath(Path base, String rel) throws FleetValidationException {
    Path target = base.resolve(rel).normalize();
    if (!target.startsWith(base)) {
      throw new FleetValidationException(
          new FleetError(rel, 0, 0, "the path leaves the fleet repo; keep files inside it"));
    }
    Path p = base;
    for (Path part : base.relativize(target)) {
      p = p.resolve(part);
      if (Files.isSymbolicLink(p)) {
        throw new FleetValidationException(
            new FleetError(relative(base, p), 0, 0, SYMLINK_MESSAGE));
      }
    }
    return target;
  }

  private static Path base(Path root) {
    return root.toAbsolutePath().normalize();
  }

  private static String relative(Path base, Path p) {
    String rel = base.relativize(p).toString().replace('\\', '/');
    return rel.isEmpty() ? "." : rel;
  }
}

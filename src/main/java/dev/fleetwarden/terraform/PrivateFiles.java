package dev.fleetwarden.terraform;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Directories and files only fleetwarden's own user may read: the work directory (fleet clone,
 * database, renders) and the Terraform directories, whose state and plan files hold every attribute
 * of the cloud resources, sensitive ones included. Directories are {@code 0700}, files {@code
 * 0600}. On file systems without POSIX permissions nothing is changed.
 */
public final class PrivateFiles {
  static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private PrivateFiles() {}

  /**
   * Creates {@code dir} (and missing parents) as {@code 0700}, or makes an existing one of this
   * user {@code 0700}. An existing directory of the system's administrator (root: a volume mounted
   * for the work directory, say) is used as it is.
   *
   * @throws IOException when it cannot, or when the directory belongs to another user (one that
   *     someone else created in a shared place such as /tmp: choose another one)
   */
  public static Path createDirectories(Path dir) throws IOException {
    if (!posix(dir)) {
      return Files.createDirectories(dir);
    }
    boolean existed = Files.isDirectory(dir);
    try {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
    } catch (FileAlreadyExistsException e) {
      throw new IOException(dir + " exists and is not a directory; remove it or choose another");
    }
    Path real = dir.toRealPath();
    UserPrincipal holder = Files.getOwner(real);
    UserPrincipal me = currentUser();
    if (existed && me != null && !me.equals(holder)) {
      if (holder.equals(Files.getOwner(real.getRoot()))) {
        return dir;
      }
      throw new IOException(
          dir
              + " belongs to "
              + holder.getName()
              + ", not to "
              + me.getName()
              + "; remove it or choose a directory of your own");
    }
    try {
      restrict(real);
    } catch (IOException e) {
      throw new IOException(
          "cannot make "
              + dir
              + " private (0700): "
              + e.getClass().getSimpleName()
              + "; choose a directory of your own",
          e);
    }
    return dir;
  }

  /** Makes a file {@code 0600} or a directory {@code 0700}; nothing when it does not exist. */
  public static void restrict(Path path) throws IOException {
    if (!posix(path) || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isSymbolicLink(path)) {
      return; // The target is not ours to change; its own entry is checked where it is created.
    }
    try {
      Files.setPosixFilePermissions(path, Files.isDirectory(path) ? DIRECTORY : FILE);
    } catch (UnsupportedOperationException e) {
      // A mount without POSIX permissions: nothing to restrict.
    }
  }

  /**
   * Restricts a Terraform working directory after a step: the directory and its subdirectories at
   * the first level {@code 0700}, its files (state, backups, plans, the configuration) and the
   * backend state under {@code .terraform/} {@code 0600}. Provider binaries deeper down keep their
   * mode.
   */
  public static void restrictTerraformDir(Path dir) throws IOException {
    if (!posix(dir) || !Files.isDirectory(dir)) {
      return;
    }
    restrict(dir);
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        restrict(p);
      }
    }
    restrict(dir.resolve(".terraform").resolve("terraform.tfstate"));
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /** The user this process writes files as: the owner of a file it creates; null if unknown. */
  private static UserPrincipal currentUser() {
    try {
      Path probe = Files.createTempFile("fleetwarden-owner", ".tmp");
      try {
        return Files.getOwner(probe);
      } finally {
        Files.deleteIfExists(probe);
      }
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }
}

package dev.fleetwarden.store;

import dev.fleetwarden.ledger.ValueHashKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The value hash key of the commands that run without a store ({@code diff}, {@code demo}): a file
 * {@value #FILE_NAME} in the work directory, created on first use with a SecureRandom key and
 * owner-only permissions (0600 where the file system has POSIX permissions). The service keeps its
 * key in the store instead ({@link JdbcStore#valueHashKey()}).
 */
public final class ValueHashKeyFile {
  /** The file name inside the work directory. */
  public static final String FILE_NAME = "value-hash.key";

  private ValueHashKeyFile() {}

  /**
   * The key kept in {@code dir}/{@value #FILE_NAME}, created (with {@code dir}) when absent.
   *
   * @throws StoreException when the file cannot be read or written, or does not hold a key
   */
  public static byte[] loadOrCreate(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    try {
      if (!Files.exists(file)) {
        create(dir, file);
      }
      return read(file);
    } catch (IOException e) {
      throw new StoreException(
          "cannot read or create the value hash key file "
              + file
              + " ("
              + e.getClass().getSimpleName()
              + "); check that the work directory is writable",
          e);
    }
  }

  /** Written to a private temporary file first, so that no reader ever sees half a key. */
  private static void create(Path dir, Path file) throws IOException {
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".value-hash", ".tmp", ownerOnly(dir));
    try {
      Files.writeString(
          tmp, ValueHashKey.toHex(ValueHashKey.generate()) + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file);
    } catch (FileAlreadyExistsException e) {
      // another process created it first: use that key
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static byte[] read(Path file) throws IOException {
    byte[] key = ValueHashKey.fromHex(Files.readString(file, StandardCharsets.UTF_8));
    if (key == null) {
      throw new StoreException(
          "the value hash key file "
              + file
              + " does not hold a key (hex, at least "
              + ValueHashKey.MIN_BYTES
              + " bytes); delete it to create a new one",
          null);
    }
    return key;
  }

  private static FileAttribute<?>[] ownerOnly(Path dir) {
    if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[0];
    }
    return new FileAttribute<?>[] {
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
    };
  }
}

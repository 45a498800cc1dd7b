package dev.fleetwarden.render;

import dev.fleetwarden.fleet.FleetError;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.RepoFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SHA-256 of directory contents of one fleet repo (relative paths and bytes of every regular file),
 * memoized for the lifetime of this object: one instance per fleet render, so an edited file is
 * seen by the next render. Hashing is also the check that a chart or Kustomize directory holds no
 * symbolic link before Helm or kustomize reads it (both would follow one). Thread-safe.
 */
final class ContentHashes {
  private final Path repoRoot;
  private final Map<Path, String> memo = new ConcurrentHashMap<>();

  ContentHashes(Path repoRoot) {
    this.repoRoot = repoRoot.toAbsolutePath().normalize();
  }

  /**
   * The hash of a directory of the repo.
   *
   * @throws RenderException (without add-on) naming the first link or special file found in it
   */
  String directory(Path dir) throws RenderException {
    Path key = dir.toAbsolutePath().normalize();
    String cached = memo.get(key);
    if (cached != null) {
      return cached;
    }
    String hash = hashDirectory(key);
    memo.putIfAbsent(key, hash);
    return hash;
  }

  private String hashDirectory(Path dir) throws RenderException {
    String dirRel = repoRoot.relativize(dir).toString().replace('\\', '/');
    MessageDigest digest = sha256();
    try {
      List<String> files = RepoFiles.regularFiles(repoRoot, dirRel);
      for (String file : files) {
        String inDir = dirRel.isEmpty() ? file : file.substring(dirRel.length() + 1);
        digest.update(inDir.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        MessageDigest content = sha256();
        long length;
        try (InputStream in = new DigestInputStream(RepoFiles.open(repoRoot, file), content)) {
          length = in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + file, e);
        }
        digest.update(Long.toString(length).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(content.digest());
      }
    } catch (FleetValidationException e) {
      FleetError err = e.errors().get(0);
      throw new RenderException(null, err.file(), err.line(), err.message());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static String sha256(String... parts) {
    MessageDigest digest = sha256();
    for (String p : parts) {
      byte[] bytes = (p == null ? "" : p).getBytes(StandardCharsets.UTF_8);
      digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(bytes);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}

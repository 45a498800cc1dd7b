package dev.fleetwarden.render;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * SHA-256 of directory contents (relative paths and bytes of every regular file), memoized for the
 * lifetime of this object: one instance per fleet render, so an edited file is seen by the next
 * render. Thread-safe.
 */
final class ContentHashes {
  private final Map<Path, String> memo = new ConcurrentHashMap<>();

  String directory(Path dir) {
    Path key = dir.toAbsolutePath().normalize();
    String cached = memo.get(key);
    if (cached != null) {
      return cached;
    }
    String hash = hashDirectory(key);
    memo.putIfAbsent(key, hash);
    return hash;
  }

  private static String hashDirectory(Path dir) {
    MessageDigest digest = sha256();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files =
          walk.filter(Files::isRegularFile)
              .sorted((a, b) -> relative(dir, a).compareTo(relative(dir, b)))
              .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir, e);
    }
    for (Path f : files) {
      digest.update(relative(dir, f).getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      try {
        byte[] bytes = Files.readAllBytes(f);
        digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(bytes);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + f, e);
      }
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

  private static String relative(Path dir, Path file) {
    return dir.relativize(file).toString().replace('\\', '/');
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}

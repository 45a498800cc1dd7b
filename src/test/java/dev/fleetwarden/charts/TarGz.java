package dev.fleetwarden.charts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Builds {@code .tgz} archives byte for byte the same on every run (sorted entries, fixed times,
 * owners and modes): chart archives for the test repositories and the example repository, and
 * hostile archives (links, devices, {@code ..}, huge entries) for the extraction tests.
 */
public final class TarGz {
  private static final long MTIME = 1_767_225_600L; // 2026-01-01T00:00:00Z
  private final ByteArrayOutputStream tar = new ByteArrayOutputStream();

  /** A tar.gz of a chart: every file of {@code files} (path → content) under {@code chart/}. */
  public static byte[] chart(String chart, Map<String, String> files) {
    TarGz t = new TarGz();
    new TreeMap<>(files).forEach((p, c) -> t.file(chart + "/" + p, c));
    return t.gzip();
  }

  /** A tar.gz of a chart directory, as {@code helm package} lays it out. */
  public static byte[] chart(String chart, Path dir) {
    return chart(chart, files(dir));
  }

  /** Every regular file under a directory, by relative path. */
  public static Map<String, String> files(Path dir) {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        files.put(dir.relativize(p).toString().replace('\\', '/'), Files.readString(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  public TarGz file(String name, String content) {
    return entry(name, '0', content.getBytes(StandardCharsets.UTF_8), "");
  }

  public TarGz file(String name, byte[] content) {
    return entry(name, '0', content, "");
  }

  public TarGz dir(String name) {
    return entry(name.endsWith("/") ? name : name + "/", '5', new byte[0], "");
  }

  public TarGz symlink(String name, String target) {
    return entry(name, '2', new byte[0], target);
  }

  public TarGz hardlink(String name, String target) {
    return entry(name, '1', new byte[0], target);
  }

  /** An entry of any type flag (devices '3'/'4', FIFO '6'). */
  public TarGz raw(String name, char type) {
    return entry(name, type, new byte[0], "");
  }

  /** A file whose name goes into a pax header (names over 100 bytes, as Go's tar writes them). */
  public TarGz paxFile(String name, String content) {
    byte[] record = paxRecord("path", name);
    entry("PaxHeaders/x", 'x', record, "");
    return entry("long-name-placeholder", '0', content.getBytes(StandardCharsets.UTF_8), "");
  }

  /** A file whose name goes into a GNU long-name entry. */
  public TarGz gnuLongFile(String name, String content) {
    entry("././@LongLink", 'L', (name + "\0").getBytes(StandardCharsets.UTF_8), "");
    return entry("long-name-placeholder", '0', content.getBytes(StandardCharsets.UTF_8), "");
  }

  private static byte[] paxRecord(String key, String value) {
    String body = " " + key + "=" + value + "\n";
    int len = body.length();
    int total = len + String.valueOf(len).length();
    if (String.valueOf(total).length() != String.valueOf(len).length()) {
      total++;
    }
    return (total + body).getBytes(StandardCharsets.UTF_8);
  }

  private TarGz entry(String name, char type, byte[] content, String link) {
    byte[] h = new byte[512];
    put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
    put(h, 100, 8, octal(type == '5' ? 0755 : 0644, 7));
    put(h, 108, 8, octal(0, 7));
    put(h, 116, 8, octal(0, 7));
    put(h, 124, 12, octal(content.length, 11));
    put(h, 136, 12, octal(MTIME, 11));
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    h[156] = (byte) type;
    put(h, 157, 100, link.getBytes(StandardCharsets.UTF_8));
    put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
    put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, 8, (String.format("%06o", sum) + "\0 ").getBytes(StandardCharsets.US_ASCII));
    tar.writeBytes(h);
    tar.writeBytes(content);
    int pad = (512 - content.length % 512) % 512;
    tar.writeBytes(new byte[pad]);
    return this;
  }

  private static byte[] octal(long v, int digits) {
    return (String.format("%0" + digits + "o", v) + "\0").getBytes(StandardCharsets.US_ASCII);
  }

  private static void put(byte[] h, int offset, int max, byte[] value) {
    System.arraycopy(value, 0, h, offset, Math.min(max, value.length));
  }

  /** The archive: the entries, two zero blocks, gzip-compressed. */
  public byte[] gzip() {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(tar.toByteArray());
        gz.write(new byte[1024]);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code sha256:<hex>} of bytes. */
  public static String sha256(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A Helm repository index listing archives: name, version, digest and relative URL each. */
  public static String index(List<IndexEntry> entries) {
    Map<String, StringBuilder> byName = new TreeMap<>();
    for (IndexEntry e : entries) {
      byName
          .computeIfAbsent(e.name(), n -> new StringBuilder())
          .append("    - apiVersion: v2\n")
          .append("      name: ")
          .append(e.name())
          .append('\n')
          .append("      version: ")
          .append(e.version())
          .append('\n')
          .append(e.digest() == null ? "" : "      digest: " + hex(e.digest()) + "\n")
          .append("      created: \"2026-01-01T00:00:00Z\"\n")
          .append("      urls:\n        - ")
          .append(e.url())
          .append('\n');
    }
    StringBuilder sb = new StringBuilder("apiVersion: v1\nentries:\n");
    byName.forEach((n, b) -> sb.append("  ").append(n).append(":\n").append(b));
    return sb.append("generated: \"2026-01-01T00:00:00Z\"\n").toString();
  }

  private static String hex(String digest) {
    return digest.startsWith("sha256:") ? digest.substring(7) : digest;
  }

  /** One archive of an index. */
  public record IndexEntry(String name, String version, String digest, String url) {}
}

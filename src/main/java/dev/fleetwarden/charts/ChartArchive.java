package dev.fleetwarden.charts;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Unpacks a chart archive ({@code .tgz}), which is untrusted input: only regular files and
 * directories, all under one top folder named as the chart; no symbolic or hard link, device, FIFO
 * or sparse entry; no absolute name, {@code ..}, {@code .}, empty segment or backslash; no entry
 * twice; at most {@value #MAX_ENTRIES} entries, {@value #MAX_FILE_BYTES} bytes per file and {@value
 * #MAX_TOTAL_BYTES} bytes unpacked (a gzip bomb stops at the cap, not at the disk's end). Reads
 * POSIX ustar, pax and GNU long-name headers, as Helm and other tar writers produce them.
 */
public final class ChartArchive {
  public static final int MAX_ENTRIES = 5000;
  public static final long MAX_FILE_BYTES = 8L * 1024 * 1024;
  public static final long MAX_TOTAL_BYTES = 64L * 1024 * 1024;
  private static final int MAX_NAME = 512;
  private static final int MAX_DEPTH = 24;
  private static final int BLOCK = 512;

  private ChartArchive() {}

  /** The archive is not a chart archive fleetwarden unpacks; the message names the entry. */
  public static final class UnsafeArchiveException extends Exception {
    public UnsafeArchiveException(String message) {
      super(message);
    }
  }

  /**
   * Unpacks {@code archive} into {@code target/<chart>/}; {@code target} must exist and be empty.
   *
   * @return the chart's directory
   */
  public static Path extract(Path archive, Path target, String chart)
      throws UnsafeArchiveException, IOException {
    Path root = target.resolve(chart);
    Set<String> seen = new HashSet<>();
    int entries = 0;
    try (InputStream raw = Files.newInputStream(archive);
        InputStream in =
            new Capped(
                new GZIPInputStream(new BufferedInputStream(raw)),
                MAX_TOTAL_BYTES + (long) (MAX_ENTRIES + 8) * BLOCK * 3)) {
      String longName = null;
      String paxName = null;
      long paxSize = -1;
      byte[] header = new byte[BLOCK];
      while (true) {
        if (!readBlock(in, header)) {
          break; // end of stream without the two zero blocks: accepted, as tar does
        }
        if (allZero(header)) {
          break;
        }
        checkChecksum(header);
        char type = (char) header[156];
        long size = paxSize >= 0 ? paxSize : octal(header, 124, 12);
        if (size < 0) {
          throw new UnsafeArchiveException("an entry of the archive has an invalid size");
        }
        String name = longName != null ? longName : paxName != null ? paxName : name(header);
        switch (type) {
          case 'x' -> {
            String[] pax = pax(readSmall(in, size));
            paxName = pax[0];
            paxSize = pax[1] == null ? -1 : parseSize(pax[1]);
            continue;
          }
          case 'g' -> {
            readSmall(in, size);
            continue;
          }
          case 'L' -> {
            longName = trimNul(new String(readSmall(in, size), StandardCharsets.UTF_8));
            continue;
          }
          default -> {
            // an ordinary entry: the metadata entries before it applied to it alone
          }
        }
        longName = null;
        paxName = null;
        paxSize = -1;
        if (++entries > MAX_ENTRIES) {
          throw new UnsafeArchiveException(
              "the archive has more than " + MAX_ENTRIES + " entries; refused");
        }
        String rel = checkedName(name, chart);
        if (!seen.add(rel)) {
          throw new UnsafeArchiveException("entry '" + shown(name) + "' appears twice; refused");
        }
        switch (type) {
          case '0', '\0', '7' -> {
            if (size > MAX_FILE_BYTES) {
              throw new UnsafeArchiveException(
                  "entry '" + shown(name) + "' is larger than " + MAX_FILE_BYTES + " bytes");
            }
            if (rel.isEmpty()) {
              throw new UnsafeArchiveException(
                  "entry '" + shown(name) + "' is a file where the chart folder should be");
            }
            Path file = root.resolve(rel);
            createParents(target, file);
            try (OutputStream out =
                Files.newOutputStream(
                    file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
              copy(in, out, size);
            }
            skipPadding(in, size);
          }
          case '5' -> {
            Path dir = rel.isEmpty() ? root : root.resolve(rel);
            createParents(target, dir);
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
              Files.createDirectory(dir);
            }
            skip(in, size);
          }
          default ->
              throw new UnsafeArchiveException(
                  "entry '"
                      + shown(name)
                      + "' is "
                      + kind(type)
                      + "; a chart archive may hold only files and folders, refused");
        }
      }
    } catch (ZipException | java.io.EOFException e) {
      throw new UnsafeArchiveException("the archive is not a complete gzip-compressed tar file");
    } catch (Capped.TooLarge e) {
      throw new UnsafeArchiveException(
          "the archive unpacks to more than " + MAX_TOTAL_BYTES + " bytes; refused");
    }
    if (!Files.isRegularFile(root.resolve("Chart.yaml"), LinkOption.NOFOLLOW_LINKS)) {
      throw new UnsafeArchiveException("the archive holds no " + chart + "/Chart.yaml");
    }
    return root;
  }

  /** The entry's path inside the chart folder ("" for the folder itself), or a refusal. */
  private static String checkedName(String name, String chart) throws UnsafeArchiveException {
    if (name.isEmpty() || name.length() > MAX_NAME) {
      throw new UnsafeArchiveException("an entry of the archive has no name or a huge one");
    }
    if (name.startsWith("/")
        || name.contains("\\")
        || name.indexOf('\0') >= 0
        || name.matches("^[A-Za-z]:.*")) {
      throw new UnsafeArchiveException(
          "entry '" + shown(name) + "' has an absolute or non-portable name; refused");
    }
    String n = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    String[] segments = n.split("/", -1);
    if (segments.length > MAX_DEPTH) {
      throw new UnsafeArchiveException("entry '" + shown(name) + "' is nested too deep; refused");
    }
    for (String s : segments) {
      if (s.isEmpty() || s.equals(".") || s.equals("..")) {
        throw new UnsafeArchiveException(
            "entry '" + shown(name) + "' names a path with '..', '.' or '//'; refused");
      }
    }
    if (!segments[0].equals(chart)) {
      throw new UnsafeArchiveException(
          "entry '"
              + shown(name)
              + "' is outside the folder "
              + chart
              + "/ that a chart archive of '"
              + chart
              + "' holds; refused");
    }
    return n.length() == chart.length() ? "" : n.substring(chart.length() + 1);
  }

  private static void createParents(Path target, Path p) throws IOException {
    Path parent = p.getParent();
    if (parent != null && !parent.equals(target)) {
      Files.createDirectories(parent);
    }
  }

  private static String kind(char type) {
    return switch (type) {
      case '1' -> "a hard link";
      case '2' -> "a symbolic link";
      case '3', '4' -> "a device";
      case '6' -> "a FIFO";
      case 'S' -> "a sparse file";
      default -> "of tar type '" + (Character.isLetterOrDigit(type) ? type : '?') + "'";
    };
  }

  private static String name(byte[] h) {
    String name = trimNul(new String(h, 0, 100, StandardCharsets.UTF_8));
    String magic = new String(h, 257, 5, StandardCharsets.US_ASCII);
    if (magic.equals("ustar")) {
      String prefix = trimNul(new String(h, 345, 155, StandardCharsets.UTF_8));
      if (!prefix.isEmpty()) {
        return prefix + "/" + name;
      }
    }
    return name;
  }

  /** The path and size of a pax extended header (null when it sets none). */
  private static String[] pax(byte[] data) throws UnsafeArchiveException {
    String[] out = new String[2];
    int i = 0;
    while (i < data.length) {
      int space = i;
      while (space < data.length && data[space] != ' ') {
        space++;
      }
      int length;
      try {
        length = Integer.parseInt(new String(data, i, space - i, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw new UnsafeArchiveException("the archive has a broken pax header");
      }
      if (length <= 0 || i + length > data.length) {
        throw new UnsafeArchiveException("the archive has a broken pax header");
      }
      String record = new String(data, space + 1, i + length - space - 2, StandardCharsets.UTF_8);
      int eq = record.indexOf('=');
      if (eq > 0) {
        String key = record.substring(0, eq);
        if (key.equals("path")) {
          out[0] = record.substring(eq + 1);
        } else if (key.equals("size")) {
          out[1] = record.substring(eq + 1);
        }
      }
      i += length;
    }
    return out;
  }

  private static long parseSize(String s) throws UnsafeArchiveException {
    try {
      return Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      throw new UnsafeArchiveException("the archive has a broken pax size");
    }
  }

  private static long octal(byte[] h, int offset, int length) {
    if ((h[offset] & 0x80) != 0) {
      return -1; // base-256 sizes are beyond any cap here
    }
    long v = 0;
    boolean any = false;
    for (int i = offset; i < offset + length; i++) {
      byte b = h[i];
      if (b == 0 || b == ' ') {
        if (any) {
          break;
        }
        continue;
      }
      if (b < '0' || b > '7') {
        return -1;
      }
      v = v * 8 + (b - '0');
      any = true;
      if (v > MAX_TOTAL_BYTES * 4) {
        return -1;
      }
    }
    return v;
  }

  private static void checkChecksum(byte[] h) throws UnsafeArchiveException {
    long expected = octal(h, 148, 8);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
    }
    if (expected != sum) {
      throw new UnsafeArchiveException("the archive is not a tar file (header checksum)");
    }
  }

  private static boolean allZero(byte[] h) {
    for (byte b : h) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static String trimNul(String s) {
    int nul = s.indexOf('\0');
    return nul < 0 ? s : s.substring(0, nul);
  }

  private static String shown(String name) {
    String s = name.replaceAll("[\\p{Cntrl}]", "?");
    return s.length() > 120 ? s.substring(0, 120) + "…" : s;
  }

  private static boolean readBlock(InputStream in, byte[] block) throws IOException {
    int n = in.readNBytes(block, 0, BLOCK);
    if (n == 0) {
      return false;
    }
    if (n < BLOCK) {
      throw new java.io.EOFException();
    }
    return true;
  }

  private static byte[] readSmall(InputStream in, long size)
      throws IOException, UnsafeArchiveException {
    if (size > 64 * 1024) {
      throw new UnsafeArchiveException("the archive has a metadata entry over 64 KiB; refused");
    }
    byte[] data = in.readNBytes((int) size);
    if (data.length < size) {
      throw new java.io.EOFException();
    }
    skipPadding(in, size);
    return data;
  }

  private static void copy(InputStream in, OutputStream out, long size) throws IOException {
    byte[] buffer = new byte[8192];
    long left = size;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new java.io.EOFException();
      }
      out.write(buffer, 0, n);
      left -= n;
    }
  }

  private static void skip(InputStream in, long size) throws IOException {
    in.skipNBytes((size + BLOCK - 1) / BLOCK * BLOCK);
  }

  private static void skipPadding(InputStream in, long size) throws IOException {
    long pad = (BLOCK - size % BLOCK) % BLOCK;
    in.skipNBytes(pad);
  }

  /** Counts the bytes read from the unpacked stream and stops at a cap. */
  private static final class Capped extends FilterInputStream {
    private final long max;
    private long count;

    static final class TooLarge extends IOException {
      TooLarge() {
        super("too large");
      }
    }

    Capped(InputStream in, long max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = super.skip(n);
      count(s);
      return s;
    }

    private void count(long n) throws TooLarge {
      count += n;
      if (count > max) {
        throw new TooLarge();
      }
    }
  }
}

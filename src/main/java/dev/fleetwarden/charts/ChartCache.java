package dev.fleetwarden.charts;

import dev.fleetwarden.fleet.ChartLock;
import dev.fleetwarden.fleet.ChartRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Unpacked remote charts on disk, content-addressed: one entry per repository, chart, version and
 * archive digest ({@code entries/<hash>/<chart>/}), so an entry never changes once written and a
 * re-tagged archive gets an entry of its own. Also remembers which digest a chart version resolved
 * to ({@code resolved/<hash>}), so a later render (after a restart too) finds its entry without
 * asking the repository. Entries are unpacked in {@code scratch/} and moved into place atomically:
 * a reader sees a whole entry or none, and concurrent writers (threads or processes) of the same
 * entry keep the first. Shared by every cluster and every command using the same work directory.
 */
public final class ChartCache {
  private static final Duration STALE_SCRATCH = Duration.ofHours(1);

  private final Path root;

  public ChartCache(Path root) {
    this.root = root.toAbsolutePath().normalize();
    try {
      Files.createDirectories(this.root.resolve("entries"));
      Files.createDirectories(this.root.resolve("resolved"));
      Files.createDirectories(this.root.resolve("scratch"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the chart cache " + this.root, e);
    }
    removeStaleScratch();
  }

  public Path root() {
    return root;
  }

  /** The unpacked chart of an entry, if the cache holds it. */
  public Optional<Path> chart(ChartRef ref, String digest) {
    Path dir = entry(ref, digest).resolve(ref.chart());
    return Files.isRegularFile(dir.resolve("Chart.yaml"), LinkOption.NOFOLLOW_LINKS)
        ? Optional.of(dir)
        : Optional.empty();
  }

  /** The digest an earlier fetch of this chart version resolved to, if any. */
  public Optional<String> resolved(ChartRef ref) {
    Path f = root.resolve("resolved").resolve(hash(ref.repository(), ref.chart(), ref.version()));
    try {
      if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && Files.size(f) < 256) {
        String digest = Files.readString(f, StandardCharsets.UTF_8).strip();
        return ChartLock.isDigest(digest) ? Optional.of(digest) : Optional.empty();
      }
    } catch (IOException e) {
      // an unreadable record is a cache miss
    }
    return Optional.empty();
  }

  /** Remembers the digest a chart version resolved to (atomically replacing an older record). */
  public void resolve(ChartRef ref, String digest) throws IOException {
    Path f = root.resolve("resolved").resolve(hash(ref.repository(), ref.chart(), ref.version()));
    Path tmp = Files.createTempFile(root.resolve("scratch"), "resolved-", ".tmp");
    Files.writeString(tmp, digest + "\n", StandardCharsets.UTF_8);
    move(tmp, f, true);
  }

  /** A new private directory to download and unpack into, on the cache's file system. */
  public Path scratch() throws IOException {
    return Files.createTempDirectory(root.resolve("scratch"), "fetch-");
  }

  /**
   * Moves an unpacked entry ({@code scratchEntry/<chart>/}) into place; when another writer was
   * first, keeps theirs and deletes this one.
   *
   * @return the entry's chart directory
   */
  public Path commit(
      ChartRef ref, String digest, Path scratchEntry, List<ChartLock.Entry> dependencies)
      throws IOException {
    StringBuilder deps = new StringBuilder();
    for (ChartLock.Entry d : dependencies) {
      deps.append(d.digest())
          .append(' ')
          .append(d.repository())
          .append(' ')
          .append(d.chart())
          .append(' ')
          .append(d.version())
          .append('\n');
    }
    Files.writeString(scratchEntry.resolve("dependencies.txt"), deps, StandardCharsets.UTF_8);
    Files.writeString(
        scratchEntry.resolve("source.txt"),
        "repository: "
            + ref.repository()
            + "\nchart: "
            + ref.chart()
            + "\nversion: "
            + ref.version()
            + "\ndigest: "
            + digest
            + "\n",
        StandardCharsets.UTF_8);
    Path target = entry(ref, digest);
    try {
      move(scratchEntry, target, false);
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      deleteTree(scratchEntry);
    }
    return target.resolve(ref.chart());
  }

  /** The charts an entry's dependencies were fetched as (those its archive did not hold). */
  public List<ChartLock.Entry> dependencies(ChartRef ref, String digest) {
    Path f = entry(ref, digest).resolve("dependencies.txt");
    List<ChartLock.Entry> out = new ArrayList<>();
    try {
      if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
        return out;
      }
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        String[] p = line.strip().split(" ");
        if (p.length == 4 && ChartLock.isDigest(p[0])) {
          out.add(new ChartLock.Entry(p[1], p[2], p[3], p[0]));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the chart cache entry of " + ref, e);
    }
    return out;
  }

  private Path entry(ChartRef ref, String digest) {
    return root.resolve("entries")
        .resolve(hash(ref.repository(), ref.chart(), ref.version(), digest));
  }

  private static void move(Path from, Path to, boolean replace) throws IOException {
    try {
      if (replace) {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the chart cache needs a file system with atomic renames", e);
    }
  }

  /** Deletes a directory tree (scratch space of the cache). */
  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException ignored) {
                  // scratch space: what stays is removed at a later start
                }
              });
    } catch (IOException ignored) {
      // scratch space
    }
  }

  private void removeStaleScratch() {
    Instant old = Instant.now().minus(STALE_SCRATCH);
    try (Stream<Path> list = Files.list(root.resolve("scratch"))) {
      list.filter(
              p -> {
                try {
                  return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS)
                      .toInstant()
                      .isBefore(old);
                } catch (IOException e) {
                  return false;
                }
              })
          .forEach(ChartCache::deleteTree);
    } catch (IOException ignored) {
      // scratch space
    }
  }

  private static String hash(String... parts) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (String p : parts) {
        byte[] b = p.getBytes(StandardCharsets.UTF_8);
        d.update(Integer.toString(b.length).getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0);
        d.update(b);
      }
      return HexFormat.of().formatHex(d.digest()).substring(0, 40);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}

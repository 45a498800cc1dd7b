package dev.fleetwarden.charts;

import dev.fleetwarden.fleet.ChartAllowList;
import dev.fleetwarden.fleet.ChartLock;
import dev.fleetwarden.fleet.ChartRef;
import dev.fleetwarden.fleet.Fleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * The fetch step, before rendering: every remote chart the clusters render, with its dependencies,
 * into the {@link ChartCache}, from where the renderer reads it offline. For each chart, in this
 * order:
 *
 * <ol>
 *   <li>its repository or registry must be on the operator's allow-list;
 *   <li>the digest it must have is the one {@code fleet.lock} gives (when the repo has the file,
 *       which must then hold the chart), else the one an earlier fetch resolved; if the cache holds
 *       that entry, nothing is requested;
 *   <li>otherwise the repository's index (or the registry's manifest) gives the version's digest,
 *       which must equal the lock's (a re-tagged chart is refused); the archive is downloaded,
 *       checked against that digest, unpacked ({@link ChartArchive}), its missing dependencies
 *       fetched the same way into its {@code charts/}, and the entry moved into the cache.
 * </ol>
 *
 * One fetch per chart at a time, whatever the number of clusters that need it; a failure is not
 * remembered, so the next fetch tries again.
 */
public final class ChartFetcher {
  private static final int MAX_DEPENDENCY_DEPTH = 5;

  private final ChartAllowList allowList;
  private final ChartSource source;
  private final ChartCache cache;
  private final Map<String, CompletableFuture<Fetched>> fetched = new ConcurrentHashMap<>();

  /** A chart in the cache: its digest, its unpacked directory and the dependencies fetched. */
  public record Fetched(
      ChartRef chart, String digest, Path directory, List<ChartLock.Entry> dependencies) {}

  public ChartFetcher(ChartAllowList allowList, ChartSource source, ChartCache cache) {
    this.allowList = allowList;
    this.source = source;
    this.cache = cache;
  }

  /** The operator's allow-list this step enforces (the loader reports against the same list). */
  public ChartAllowList allowList() {
    return allowList;
  }

  public ChartCache cache() {
    return cache;
  }

  /** Fetches the charts the named clusters render; one chart's failure never stops the others. */
  public FetchedCharts fetch(Fleet fleet, Collection<String> clusters) {
    Map<ChartRef, Path> directories = new LinkedHashMap<>();
    Map<ChartRef, ChartFetchException> failures = new LinkedHashMap<>();
    for (ChartRef chart : fleet.chartsOf(clusters)) {
      try {
        directories.put(chart, fetch(chart, fleet.lock()).directory());
      } catch (ChartFetchException e) {
        failures.put(chart, e);
      }
    }
    return new FetchedCharts(directories, failures);
  }

  /**
   * One chart and its dependencies into the cache.
   *
   * @param lock the fleet's {@code fleet.lock} (null: the repo has none)
   */
  public Fetched fetch(ChartRef chart, ChartLock lock) throws ChartFetchException {
    return fetch(chart, lock, true, List.of());
  }

  /**
   * The entries of {@code fleet.lock} for every chart the fleet names and their dependencies,
   * asking each repository for its digest (nothing is taken from the cache's memory of earlier
   * fetches). A chart whose digest differs from the current lock's is a failure: it was re-tagged.
   * Every chart is tried; the ones that could not be locked are added to {@code failures} and the
   * returned lock is then incomplete (not to be written).
   */
  public ChartLock lock(Fleet fleet, List<ChartFetchException> failures) {
    Map<ChartRef, ChartLock.Entry> entries = new LinkedHashMap<>();
    for (ChartRef chart : fleet.declaredCharts()) {
      try {
        lockEntries(chart, fleet.lock(), entries, List.of());
      } catch (ChartFetchException e) {
        failures.add(e);
      }
    }
    return new ChartLock(new ArrayList<>(entries.values()));
  }

  private void lockEntries(
      ChartRef chart, ChartLock current, Map<ChartRef, ChartLock.Entry> out, List<ChartRef> path)
      throws ChartFetchException {
    if (out.containsKey(chart)) {
      return;
    }
    checkPath(chart, path);
    ChartSource.Located located = locate(chart, current);
    Fetched f = entryFor(chart, located, current, false, path);
    out.put(
        chart, new ChartLock.Entry(chart.repository(), chart.chart(), chart.version(), f.digest()));
    List<ChartRef> deeper = deeper(path, chart);
    for (ChartLock.Entry d : f.dependencies()) {
      lockEntries(d.ref(), current, out, deeper);
    }
  }

  private Fetched fetch(ChartRef chart, ChartLock lock, boolean strict, List<ChartRef> path)
      throws ChartFetchException {
    checkPath(chart, path);
    if (!allowList.allows(chart.location())) {
      throw new ChartFetchException(
          chart,
          "chart source "
              + chart.location()
              + " is not allowed by the operator; add its repository to helm.allowedRepositories");
    }
    Optional<String> locked = lock == null ? Optional.empty() : lock.digestOf(chart);
    if (strict && lock != null && locked.isEmpty()) {
      throw new ChartFetchException(
          chart,
          chart + " is not in " + ChartLock.FILE + "; run `fleetwarden lock` and commit the file");
    }
    String key =
        chart.repository()
            + "\n"
            + chart.chart()
            + "\n"
            + chart.version()
            + "\n"
            + locked.orElse("");
    CompletableFuture<Fetched> mine = new CompletableFuture<>();
    CompletableFuture<Fetched> existing = fetched.putIfAbsent(key, mine);
    if (existing != null) {
      return await(chart, existing);
    }
    try {
      Fetched f = fetchNow(chart, lock, locked.orElse(null), strict, path);
      mine.complete(f);
      return f;
    } catch (ChartFetchException | RuntimeException e) {
      fetched.remove(key, mine);
      mine.completeExceptionally(e);
      throw e;
    }
  }

  private Fetched fetchNow(
      ChartRef chart, ChartLock lock, String locked, boolean strict, List<ChartRef> path)
      throws ChartFetchException {
    String known = locked != null ? locked : cache.resolved(chart).orElse(null);
    if (known != null) {
      Optional<Path> dir = cache.chart(chart, known);
      if (dir.isPresent()) {
        return new Fetched(chart, known, dir.get(), cache.dependencies(chart, known));
      }
    }
    return entryFor(chart, locate(chart, lock), lock, strict, path);
  }

  /** Asks the repository for the version's digest; it must be the lock's. */
  private ChartSource.Located locate(ChartRef chart, ChartLock lock) throws ChartFetchException {
    if (!allowList.allows(chart.location())) {
      throw new ChartFetchException(
          chart,
          "chart source "
              + chart.location()
              + " is not allowed by the operator; add its repository to helm.allowedRepositories");
    }
    ChartSource.Located located = source.locate(chart);
    Optional<String> locked = lock == null ? Optional.empty() : lock.digestOf(chart);
    if (locked.isPresent() && !locked.get().equals(located.digest())) {
      throw new ChartFetchException(
          chart,
          chart
              + " now has digest "
              + located.digest()
              + " but "
              + ChartLock.FILE
              + " locks "
              + locked.get()
              + ": the chart was re-tagged under the same version; refused. If the new archive is"
              + " trusted, delete its entry from "
              + ChartLock.FILE
              + " and run `fleetwarden lock`");
    }
    return located;
  }

  /** The cache entry of a located archive: downloaded, checked and unpacked unless present. */
  private Fetched entryFor(
      ChartRef chart,
      ChartSource.Located located,
      ChartLock lock,
      boolean strict,
      List<ChartRef> path)
      throws ChartFetchException {
    String digest = located.digest();
    Optional<Path> present = cache.chart(chart, digest);
    if (present.isPresent()) {
      remember(chart, digest);
      return new Fetched(chart, digest, present.get(), cache.dependencies(chart, digest));
    }
    Path scratch = null;
    try {
      scratch = cache.scratch();
      Path archive = scratch.resolve("archive.tgz");
      source.download(located, archive);
      Path entry = Files.createDirectory(scratch.resolve("entry"));
      Path chartDir;
      try {
        chartDir = ChartArchive.extract(archive, entry, chart.chart());
      } catch (ChartArchive.UnsafeArchiveException e) {
        throw new ChartFetchException(
            chart, chart.archiveName() + " is refused: " + e.getMessage(), e);
      }
      List<ChartLock.Entry> dependencies = new ArrayList<>();
      List<ChartRef> deeper = deeper(path, chart);
      for (ChartDependencies.Needed d : ChartDependencies.needed(chart, chartDir)) {
        Fetched dep;
        try {
          dep = fetch(d.chart(), lock, strict, deeper);
        } catch (ChartFetchException e) {
          throw new ChartFetchException(
              chart,
              "dependency " + d.name() + " of " + chart.archiveName() + ": " + e.getMessage(),
              e);
        }
        copyTree(dep.directory(), chartDir.resolve("charts").resolve(d.name()));
        dependencies.add(
            new ChartLock.Entry(
                dep.chart().repository(),
                dep.chart().chart(),
                dep.chart().version(),
                dep.digest()));
      }
      Path dir = cache.commit(chart, digest, entry, dependencies);
      remember(chart, digest);
      return new Fetched(chart, digest, dir, dependencies);
    } catch (IOException e) {
      throw new ChartFetchException(
          chart, "cannot write " + chart.archiveName() + " to the chart cache: " + e, e);
    } finally {
      ChartCache.deleteTree(scratch);
    }
  }

  private void remember(ChartRef chart, String digest) throws ChartFetchException {
    try {
      cache.resolve(chart, digest);
    } catch (IOException e) {
      throw new ChartFetchException(chart, "cannot write to the chart cache: " + e, e);
    }
  }

  private static void checkPath(ChartRef chart, List<ChartRef> path) throws ChartFetchException {
    if (path.contains(chart)) {
      throw new ChartFetchException(chart, "the chart depends on itself through " + path);
    }
    if (path.size() > MAX_DEPENDENCY_DEPTH) {
      throw new ChartFetchException(
          chart, "dependencies nest deeper than " + MAX_DEPENDENCY_DEPTH + " charts; refused");
    }
  }

  private static List<ChartRef> deeper(List<ChartRef> path, ChartRef chart) {
    List<ChartRef> d = new ArrayList<>(path);
    d.add(chart);
    return d;
  }

  private static Fetched await(ChartRef chart, CompletableFuture<Fetched> future)
      throws ChartFetchException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChartFetchException(chart, "interrupted while fetching " + chart);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ChartFetchException c) {
        throw c;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Copies an unpacked chart (files and folders only: the cache holds nothing else). */
  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(target);
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}

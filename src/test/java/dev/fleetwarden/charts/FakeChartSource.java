package dev.fleetwarden.charts;

import dev.fleetwarden.fleet.ChartRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link ChartSource} with fault switches: archives by chart, calls counted, the
 * repository down, or an index that lies about a digest.
 */
final class FakeChartSource implements ChartSource {
  final Map<ChartRef, byte[]> archives = new ConcurrentHashMap<>();
  final Map<ChartRef, String> claimedDigests = new ConcurrentHashMap<>();
  final AtomicInteger locates = new AtomicInteger();
  final AtomicInteger downloads = new AtomicInteger();
  volatile boolean down;

  FakeChartSource publish(ChartRef chart, byte[] archive) {
    archives.put(chart, archive);
    claimedDigests.remove(chart);
    return this;
  }

  int calls() {
    return locates.get() + downloads.get();
  }

  @Override
  public Located locate(ChartRef chart) throws ChartFetchException {
    locates.incrementAndGet();
    if (down) {
      throw new ChartFetchException(chart, "cannot reach " + chart.repository() + ": down");
    }
    byte[] archive = archives.get(chart);
    if (archive == null) {
      throw new ChartFetchException(chart, "no version " + chart.version());
    }
    return new Located(
        chart, claimedDigests.getOrDefault(chart, TarGz.sha256(archive)), "fake:" + chart);
  }

  @Override
  public void download(Located archive, Path target) throws ChartFetchException {
    downloads.incrementAndGet();
    if (down) {
      throw new ChartFetchException(archive.chart(), "down");
    }
    byte[] bytes = archives.get(archive.chart());
    if (!TarGz.sha256(bytes).equals(archive.digest())) {
      throw new ChartFetchException(archive.chart(), "digest mismatch");
    }
    try {
      Files.write(target, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.fleetwarden.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@link Scans} in memory; {@link InMemoryFindings} and {@link InMemoryRevisions} append to it. */
public final class InMemoryScans implements Scans {
  private final List<ScanRecord> records = new ArrayList<>();
  private long sequence;

  /** Appends an entry, numbering it like the table's identity column. */
  synchronized void append(ScanRecord r) {
    records.add(
        new ScanRecord(
            ++sequence,
            r.cluster(),
            r.scope(),
            r.at(),
            r.revision(),
            r.status(),
            r.newCount(),
            r.changedCount(),
            r.resolvedCount(),
            r.openCount(),
            r.duration(),
            r.message()));
  }

  @Override
  public synchronized List<ScanRecord> recent(String cluster, int limit) {
    return records.stream()
        .filter(r -> r.cluster().equals(cluster))
        .sorted(Comparator.comparing(ScanRecord::at).thenComparingLong(ScanRecord::id).reversed())
        .limit(Math.max(0, limit))
        .toList();
  }

  @Override
  public synchronized List<ScanRecord> lastOfEachCluster() {
    Map<String, ScanRecord> last = new TreeMap<>();
    for (ScanRecord r : records) {
      last.merge(r.cluster(), r, (a, b) -> a.id() > b.id() ? a : b);
    }
    return new ArrayList<>(last.values());
  }

  @Override
  public synchronized int prune(Instant before) {
    int size = records.size();
    records.removeIf(r -> r.at().isBefore(before));
    return size - records.size();
  }
}

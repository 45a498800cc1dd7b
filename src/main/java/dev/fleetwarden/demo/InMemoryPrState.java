package dev.fleetwarden.demo;

import dev.fleetwarden.remediate.PrRecord;
import dev.fleetwarden.remediate.PrStatePort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** {@link PrStatePort} in memory: for tests and for runs without a store. Thread-safe. */
public final class InMemoryPrState implements PrStatePort {
  private final Map<String, PrRecord> records = new ConcurrentSkipListMap<>();

  private static String key(String cluster, String fingerprint) {
    return cluster + "\u0000" + fingerprint;
  }

  @Override
  public Optional<PrRecord> find(String cluster, String fingerprint) {
    return Optional.ofNullable(records.get(key(cluster, fingerprint)));
  }

  @Override
  public List<PrRecord> open(String cluster) {
    List<PrRecord> out = new ArrayList<>();
    for (PrRecord r : records.values()) {
      if (r.cluster().equals(cluster) && r.state() == PrRecord.State.OPEN) {
        out.add(r);
      }
    }
    return out;
  }

  @Override
  public void save(PrRecord record) {
    records.put(key(record.cluster(), record.fingerprint()), record);
  }

  @Override
  public void delete(String cluster, String fingerprint) {
    records.remove(key(cluster, fingerprint));
  }

  /** Every record, for tests. */
  public List<PrRecord> all() {
    return List.copyOf(records.values());
  }
}

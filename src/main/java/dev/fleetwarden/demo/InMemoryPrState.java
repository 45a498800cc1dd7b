package dev.fleetwarden.demo;

import dev.fleetwarden.ledger.PullRequestState;
import dev.fleetwarden.ledger.PullRequests;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** {@link PullRequests} in memory, for the demo (a run without a store). Thread-safe. */
public final class InMemoryPrState implements PullRequests {
  private final Map<String, PullRequestState> records = new ConcurrentSkipListMap<>();

  @Override
  public Optional<PullRequestState> find(String cluster, String fingerprint) {
    return Optional.ofNullable(records.get(fingerprint)).filter(r -> r.cluster().equals(cluster));
  }

  @Override
  public List<PullRequestState> open(String cluster) {
    List<PullRequestState> out = new ArrayList<>();
    for (PullRequestState r : records.values()) {
      if (r.cluster().equals(cluster) && r.status() == PullRequestState.Status.OPEN) {
        out.add(r);
      }
    }
    return out;
  }

  @Override
  public void save(PullRequestState record) {
    records.put(record.fingerprint(), record);
  }

  @Override
  public void delete(String cluster, String fingerprint) {
    records.computeIfPresent(fingerprint, (k, r) -> r.cluster().equals(cluster) ? null : r);
  }
}

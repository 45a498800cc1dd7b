package dev.fleetwarden.reconcile;

import dev.fleetwarden.remediate.PrRecord;
import dev.fleetwarden.remediate.PrStatePort;
import dev.fleetwarden.store.ActionStateStore;
import dev.fleetwarden.store.PullRequestState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pull request state on the store's pull-request table, so that a restarted service (or another
 * node) follows the pull requests it opened: their number, branch, last pushed commit and why they
 * were closed.
 */
public final class StorePrState implements PrStatePort {
  private final ActionStateStore store;

  public StorePrState(ActionStateStore store) {
    this.store = store;
  }

  @Override
  public Optional<PrRecord> find(String cluster, String fingerprint) {
    return store
        .pullRequestState(fingerprint)
        .filter(s -> s.cluster().equals(cluster))
        .map(StorePrState::record);
  }

  @Override
  public List<PrRecord> open(String cluster) {
    List<PrRecord> out = new ArrayList<>();
    for (PullRequestState s : store.pullRequests(PullRequestState.Status.OPEN)) {
      if (s.cluster().equals(cluster)) {
        out.add(record(s));
      }
    }
    return out;
  }

  @Override
  public void save(PrRecord r) {
    store.savePullRequestState(
        new PullRequestState(
            r.fingerprint(),
            r.cluster(),
            r.resource(),
            r.branch(),
            r.number() > 0 ? r.number() : null,
            r.url(),
            r.commit(),
            PullRequestState.Status.valueOf(r.state().name()),
            null));
  }

  @Override
  public void delete(String cluster, String fingerprint) {
    if (find(cluster, fingerprint).isPresent()) {
      store.deletePullRequestState(fingerprint);
    }
  }

  private static PrRecord record(PullRequestState s) {
    return new PrRecord(
        s.cluster(),
        s.fingerprint(),
        s.resource(),
        s.branch(),
        s.number() == null ? 0 : s.number(),
        s.url(),
        s.commit(),
        PrRecord.State.valueOf(s.status().name()));
  }
}

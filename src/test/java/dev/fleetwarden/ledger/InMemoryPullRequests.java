package dev.fleetwarden.ledger;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@link PullRequests} in memory, kept per fingerprint as the store keeps them. */
public final class InMemoryPullRequests implements PullRequests {
  private final Map<String, PullRequestState> states = new TreeMap<>();
  private final Clock clock;

  public InMemoryPullRequests(Clock clock) {
    this.clock = clock;
  }

  public InMemoryPullRequests() {
    this(Clock.systemUTC());
  }

  @Override
  public synchronized Optional<PullRequestState> find(String cluster, String fingerprint) {
    return Optional.ofNullable(states.get(fingerprint)).filter(s -> s.cluster().equals(cluster));
  }

  @Override
  public synchronized List<PullRequestState> open(String cluster) {
    return states.values().stream()
        .filter(s -> s.cluster().equals(cluster))
        .filter(s -> s.status() == PullRequestState.Status.OPEN)
        .toList();
  }

  @Override
  public synchronized void save(PullRequestState s) {
    states.put(
        s.fingerprint(),
        s.updatedAt() != null
            ? s
            : new PullRequestState(
                s.cluster(),
                s.fingerprint(),
                s.resource(),
                s.branch(),
                s.number(),
                s.url(),
                s.commit(),
                s.status(),
                clock.instant(),
                s.members()));
  }

  @Override
  public synchronized void delete(String cluster, String fingerprint) {
    find(cluster, fingerprint).ifPresent(s -> states.remove(fingerprint));
  }

  /** Every state, by fingerprint. */
  public synchronized List<PullRequestState> all() {
    return List.copyOf(states.values());
  }
}

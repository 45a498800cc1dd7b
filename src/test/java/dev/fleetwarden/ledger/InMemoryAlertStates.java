package dev.fleetwarden.ledger;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link AlertStates} in memory, kept per fingerprint as the store keeps them, with a fault switch
 * that makes saves fail.
 */
public final class InMemoryAlertStates implements AlertStates {
  private final Map<String, AlertState> states = new LinkedHashMap<>();
  private final Clock clock;

  /** Fault switch: saves throw while set. */
  public volatile boolean failSaves;

  public InMemoryAlertStates(Clock clock) {
    this.clock = clock;
  }

  public InMemoryAlertStates() {
    this(Clock.systemUTC());
  }

  @Override
  public synchronized Optional<AlertState> find(String cluster, String fingerprint) {
    return Optional.ofNullable(states.get(fingerprint)).filter(s -> s.cluster().equals(cluster));
  }

  @Override
  public synchronized List<AlertState> openOf(String cluster) {
    return states.values().stream()
        .filter(s -> s.cluster().equals(cluster) && s.status() == AlertStatus.OPEN)
        .sorted(java.util.Comparator.comparing(AlertState::fingerprint))
        .toList();
  }

  @Override
  public synchronized void save(AlertState state) {
    if (failSaves) {
      throw new IllegalStateException("store down (test fault)");
    }
    AlertState stamped =
        state.updatedAt() != null
            ? state
            : state.updated(state.payloadHash(), state.status(), clock.instant());
    states.put(state.fingerprint(), stamped);
  }

  /** The states of one cluster by fingerprint (what the planner takes). */
  public synchronized Map<String, AlertState> forCluster(String cluster) {
    Map<String, AlertState> result = new LinkedHashMap<>();
    states.forEach(
        (fingerprint, state) -> {
          if (state.cluster().equals(cluster)) {
            result.put(fingerprint, state);
          }
        });
    return result;
  }

  public synchronized int size() {
    return states.size();
  }
}

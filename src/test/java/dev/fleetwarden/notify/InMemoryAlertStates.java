package dev.fleetwarden.notify;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Alert states in memory, with a fault switch that makes saves fail. */
final class InMemoryAlertStates implements AlertStatePort {
  private final Map<String, AlertState> states = new LinkedHashMap<>();

  /** Fault switch: saves throw while set. */
  boolean failSaves;

  @Override
  public synchronized Optional<AlertState> find(String cluster, String fingerprint) {
    return Optional.ofNullable(states.get(cluster + "/" + fingerprint));
  }

  @Override
  public synchronized void save(AlertState state) {
    if (failSaves) {
      throw new IllegalStateException("store down (test fault)");
    }
    states.put(state.cluster() + "/" + state.fingerprint(), state);
  }

  synchronized Map<String, AlertState> forCluster(String cluster) {
    Map<String, AlertState> result = new LinkedHashMap<>();
    states.forEach(
        (k, v) -> {
          if (v.cluster().equals(cluster)) {
            result.put(v.fingerprint(), v);
          }
        });
    return result;
  }

  synchronized int size() {
    return states.size();
  }
}

package dev.fleetwarden.notify;

import java.util.Optional;

/**
 * Where the alert state per (cluster, fingerprint) is kept. The store implements it; writes must be
 * durable when {@link #save} returns.
 */
public interface AlertStatePort {

  /** The state of the alert for a drift fingerprint of a cluster, if its message was ever sent. */
  Optional<AlertState> find(String cluster, String fingerprint);

  /** Inserts or replaces the state of {@code (state.cluster(), state.fingerprint())}. */
  void save(AlertState state);
}

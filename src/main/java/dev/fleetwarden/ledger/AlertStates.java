package dev.fleetwarden.ledger;

import java.util.Optional;

/**
 * The alert state per drift fingerprint: which Slack message shows the drift, and what it shows.
 * Fingerprints are unique across clusters ({@link Fingerprints} hashes the cluster), so a state is
 * kept per fingerprint and found by cluster and fingerprint. Writes are durable when {@link #save}
 * returns.
 */
public interface AlertStates {

  /** The state of the alert for a drift fingerprint of a cluster, if its message was ever sent. */
  Optional<AlertState> find(String cluster, String fingerprint);

  /**
   * Inserts or replaces the state of {@code state.fingerprint()}; a null {@code updatedAt} is
   * stamped with the time of saving.
   */
  void save(AlertState state);
}

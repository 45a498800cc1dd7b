package dev.fleetwarden.ledger;

import java.util.List;
import java.util.Optional;

/**
 * The alert state per alert key: which Slack message shows an incident (or a drift alerted on its
 * own before incidents existed), and what it shows. Keys are unique across clusters (incident keys
 * and {@link Fingerprints} both hash the cluster), so a state is kept per key and found by cluster
 * and key. Writes are durable when {@link #save} returns.
 */
public interface AlertStates {

  /**
   * The state of the alert of a key (incident key or fingerprint), if its message was ever sent.
   */
  Optional<AlertState> find(String cluster, String fingerprint);

  /**
   * The alert states of a cluster whose message shows its alert open ({@link AlertStatus#OPEN}),
   * ordered by key: what a fleet-wide group message needs to know which groups it still tells.
   */
  List<AlertState> openOf(String cluster);

  /**
   * Inserts or replaces the state of {@code state.fingerprint()}; a null {@code updatedAt} is
   * stamped with the time of saving.
   */
  void save(AlertState state);
}

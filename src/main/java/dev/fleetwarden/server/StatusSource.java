package dev.fleetwarden.server;

/**
 * Where the status API reads the fleet's state from. Implemented by the application wiring (e.g.
 * over the store); the server never reaches further.
 */
public interface StatusSource {

  /**
   * The latest state, as one consistent snapshot. Called on every status request: must be cheap and
   * must not block on a running scan.
   *
   * @return the snapshot, or null before the first scan finished
   */
  StatusSnapshot current();
}

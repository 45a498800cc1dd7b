package dev.fleetwarden.ledger;

import java.time.Instant;

/**
 * The render state of one cluster across commits: the last revision that rendered, and the last
 * render error (null once a later revision rendered again). A broken commit leaves the last good
 * revision in place, so callers can keep comparing against it.
 */
public record RevisionState(
    String cluster,
    String goodRevision,
    Instant goodAt,
    String errorRevision,
    String errorMessage,
    Instant errorAt) {

  /** True when the latest render attempt failed. */
  public boolean broken() {
    return errorMessage != null;
  }
}

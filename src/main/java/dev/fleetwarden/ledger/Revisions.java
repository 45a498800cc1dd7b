package dev.fleetwarden.ledger;

import java.util.Optional;

/**
 * The render state of each cluster across fleet commits: the last revision that rendered (set by
 * {@link RenderHistory#save}) and the last render error.
 */
public interface Revisions {

  /**
   * Records that {@code revision} could not be rendered for the cluster: keeps the last good
   * revision and saved render, and appends a {@code render-error} entry to the {@link Scans scan
   * history}. {@code message} must not contain secret values.
   */
  void recordRenderError(String cluster, String revision, String message);

  /** The render state of a cluster, or empty when nothing was recorded yet. */
  Optional<RevisionState> state(String cluster);
}

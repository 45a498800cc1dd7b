package dev.fleetwarden.store;

import dev.fleetwarden.model.ResourceId;
import java.util.Collection;
import java.util.Optional;

/** The last render per cluster (for orphan detection) and the last good revision / error. */
public interface RenderStore {

  /** The resource ids of the cluster's last saved render, or empty before the first one. */
  Optional<PreviousRender> previousRender(String cluster);

  /**
   * Replaces the cluster's saved render with this one, marks {@code revision} as the last good
   * revision and clears any render error.
   */
  void saveRender(String cluster, String revision, Collection<ResourceId> ids);

  /**
   * Records that {@code revision} could not be rendered for the cluster: keeps the last good
   * revision and saved render, and appends a {@code render-error} entry to the scan history. {@code
   * message} must not contain secret values.
   */
  void recordRenderError(String cluster, String revision, String message);

  /** The render state of a cluster, or empty when nothing was recorded yet. */
  Optional<RevisionState> revisionState(String cluster);
}

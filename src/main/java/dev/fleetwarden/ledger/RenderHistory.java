package dev.fleetwarden.ledger;

import dev.fleetwarden.model.ResourceId;
import java.util.Collection;
import java.util.Set;

/**
 * What the previous successful render of each cluster held: an object that was rendered before, is
 * not rendered now and is still live is an orphan (Git removed it, nobody pruned it). The service
 * keeps it in the store, the CLI in files.
 */
public interface RenderHistory {
  /** Ids of the previous successful render of the cluster; empty when there was none. */
  Set<ResourceId> previous(String cluster);

  /**
   * Records a successful render; never called for a failed one. A ledger that also keeps {@link
   * Revisions} marks {@code revision} as the cluster's last good revision and clears its render
   * error.
   */
  void save(String cluster, String revision, Collection<ResourceId> ids);
}

package dev.fleetwarden.reconcile;

import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.store.PreviousRender;
import dev.fleetwarden.store.RenderStore;
import java.util.Collection;
import java.util.Set;

/** Previous renders kept in the store (the service); the CLI uses {@link FileRenderHistory}. */
public final class StoreRenderHistory implements RenderHistory {
  private final RenderStore store;

  public StoreRenderHistory(RenderStore store) {
    this.store = store;
  }

  @Override
  public Set<ResourceId> previous(String cluster) {
    return store.previousRender(cluster).map(PreviousRender::resources).orElse(Set.of());
  }

  @Override
  public void save(String cluster, String revision, Collection<ResourceId> ids) {
    store.saveRender(cluster, revision, ids);
  }
}

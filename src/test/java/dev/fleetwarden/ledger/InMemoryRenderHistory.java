package dev.fleetwarden.ledger;

import dev.fleetwarden.model.ResourceId;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** {@link RenderHistory} in memory; saving a render marks its revision good. */
public final class InMemoryRenderHistory implements RenderHistory {
  private final Map<String, Set<ResourceId>> renders = new HashMap<>();
  private final Clock clock;
  private final InMemoryRevisions revisions;

  public InMemoryRenderHistory(Clock clock, InMemoryRevisions revisions) {
    this.clock = clock;
    this.revisions = revisions;
  }

  @Override
  public synchronized Set<ResourceId> previous(String cluster) {
    return new TreeSet<>(renders.getOrDefault(cluster, Set.of()));
  }

  @Override
  public synchronized void save(String cluster, String revision, Collection<ResourceId> ids) {
    renders.put(cluster, new TreeSet<>(ids));
    revisions.markGood(cluster, revision, clock.instant());
  }
}

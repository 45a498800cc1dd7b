package dev.fleetwarden.watch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.ResourceId;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Watches on clusters' API servers, keeping a trimmed copy ({@link CacheTrim}) of every live object
 * a scan would read: for each kind of the desired state, its objects in the namespaces the desired
 * state uses (all of them for cluster-scoped kinds), plus the objects of namespaced kinds carrying
 * the ownership label in any namespace. A dropped watch is re-established with a relist (so nothing
 * changed meanwhile is lost, whatever the server keeps), with backoff while it fails; a {@code 410
 * Gone} relists at once. Implementations are thread-safe.
 */
public interface LiveWatches extends AutoCloseable {

  /**
   * Starts watching a cluster, or changes what is watched to the kinds and namespaces of {@code
   * desired} (watches of new kinds start, those of kinds no longer desired stop).
   */
  void watch(String cluster, Collection<DesiredObject> desired, WatchListener listener);

  /** Stops watching a cluster and forgets its cache. */
  void stop(String cluster);

  /** The clusters watched (whatever their state). */
  Set<String> clusters();

  /** The cached object with this id (the cluster segment names the cluster), or null. */
  JsonNode cached(ResourceId id);

  /**
   * Every cached object of a cluster while it is {@link WatchState#WATCHING}; null otherwise (the
   * cache may be incomplete).
   */
  List<JsonNode> cachedObjects(String cluster);

  /**
   * Kinds the cluster does not serve (their list answered 404: CRD absent), named as resource ids
   * name them ({@code Kind.group}); their objects can be neither found nor missed.
   */
  Set<String> unservedKinds(String cluster);

  /** The cluster's watch status; {@link WatchState#UNKNOWN} for a cluster not watched. */
  WatchStatus status(String cluster);

  /** Stops every watch. */
  @Override
  void close();
}

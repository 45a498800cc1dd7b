package dev.fleetwarden.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.ResourceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** Live clusters in memory, with a fault switch for unreachable clusters. */
final class FakeLiveSource implements LiveSource {
  final Map<String, Map<ResourceId, ObjectNode>> clusters = new ConcurrentHashMap<>();
  final Set<String> unreachable = ConcurrentHashMap.newKeySet();

  /** Runs inside {@link #observe} before the live objects are read (a change racing a scan). */
  volatile Runnable duringObserve = () -> {};

  /** Makes a cluster hold exactly the given desired objects (as a GitOps tool would). */
  void sync(String cluster, List<DesiredObject> objects) {
    Map<ResourceId, ObjectNode> live = new ConcurrentHashMap<>();
    for (DesiredObject o : objects) {
      live.put(o.id(), o.manifest().deepCopy());
    }
    clusters.put(cluster, live);
  }

  void edit(ResourceId id, Consumer<ObjectNode> change) {
    change.accept(clusters.get(id.cluster()).get(id));
  }

  @Override
  public Observation observe(String cluster, List<DesiredObject> desired) {
    if (unreachable.contains(cluster)) {
      return Observation.unknown("connection refused");
    }
    duringObserve.run();
    return Observation.of(new ArrayList<>(clusters.getOrDefault(cluster, Map.of()).values()));
  }
}

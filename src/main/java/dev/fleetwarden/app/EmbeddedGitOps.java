package dev.fleetwarden.app;

import dev.fleetwarden.demo.EmbeddedFleet;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.ResourceId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the embedded defaults, the GitOps tool a real installation has: when a commit changes a
 * cluster's desired state, the objects it adds or changes are applied to that embedded cluster (as
 * Argo CD or Flux would sync them), so a commit to the local origin is not itself drift. Live
 * changes of the other objects stay; objects the commit removes stay too (nothing prunes them, so
 * they show as orphans).
 */
final class EmbeddedGitOps {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedGitOps.class);

  private final EmbeddedFleet clusters;
  private final Map<String, Map<ResourceId, DesiredObject>> applied = new ConcurrentHashMap<>();

  /**
   * @param renders the renders the embedded clusters hold now (applied or restored)
   */
  EmbeddedGitOps(EmbeddedFleet clusters, Map<String, ClusterRender> renders) {
    this.clusters = clusters;
    renders.values().stream().filter(r -> !r.failed()).forEach(this::remember);
  }

  /** Syncs the clusters a commit affected to their new renders. */
  void sync(Collection<String> affected, Function<String, ClusterRender> render) {
    for (String cluster : affected) {
      ClusterRender r = render.apply(cluster);
      if (r == null || r.failed() || !clusters.clusters().contains(cluster)) {
        continue;
      }
      Map<ResourceId, DesiredObject> before = applied.getOrDefault(cluster, Map.of());
      List<DesiredObject> changed = new ArrayList<>();
      for (DesiredObject d : r.objects()) {
        DesiredObject old = before.get(d.id());
        if (old == null || !old.manifest().equals(d.manifest())) {
          changed.add(d);
        }
      }
      if (!changed.isEmpty()) {
        clusters.apply(cluster, changed);
        LOG.info(
            "embedded cluster {}: the commit's {} new or changed object(s) applied, as a GitOps"
                + " tool would",
            cluster,
            changed.size());
      }
      remember(r);
    }
  }

  private void remember(ClusterRender r) {
    Map<ResourceId, DesiredObject> byId = new HashMap<>();
    r.objects().forEach(d -> byId.put(d.id(), d));
    applied.put(r.cluster(), byId);
  }
}

package dev.fleetwarden.kube;

import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.ResourceId;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One watch connection: a kind in one namespace, a cluster-scoped kind, or a namespaced kind in
 * every namespace restricted to objects carrying the ownership label (for orphans). The same lists
 * a scan makes ({@link Fabric8LiveStateReader}), each followed by a watch.
 *
 * @param namespace null for a cluster-scoped kind and for the ownership-label watch
 * @param ownerLabel whether this is the ownership-label watch of a namespaced kind
 */
record WatchTarget(ApiKind kind, String namespace, boolean ownerLabel)
    implements Comparable<WatchTarget> {

  /** The watches a desired state calls for; one API version per group and kind. */
  static SortedSet<WatchTarget> plan(Collection<DesiredObject> desired) {
    SortedMap<ApiKind, SortedSet<String>> lists = Fabric8LiveStateReader.plan(desired, Set.of());
    Set<String> groupKinds = new HashSet<>();
    SortedSet<WatchTarget> out = new TreeSet<>();
    lists.forEach(
        (kind, namespaces) -> {
          if (!groupKinds.add(ResourceId.groupKind(kind.group(), kind.kind()))) {
            return; // the same objects through another version: watched once
          }
          if (!kind.namespaced()) {
            out.add(new WatchTarget(kind, null, false));
            return;
          }
          namespaces.forEach(ns -> out.add(new WatchTarget(kind, ns, false)));
          out.add(new WatchTarget(kind, null, true));
        });
    return out;
  }

  /** Whether a cached object with this id may have come from this watch. */
  boolean covers(ResourceId id) {
    if (!id.kind().equals(kind.kind()) || !id.group().equals(kind.group())) {
      return false;
    }
    return namespace == null || namespace.equals(id.namespaceOrNull());
  }

  /** As logs and reasons name it: {@code deployments.apps in namespace web}. */
  String describe() {
    if (ownerLabel) {
      return kind.resourceName() + " labelled " + dev.fleetwarden.model.Ownership.LABEL;
    }
    return kind.resourceName() + (namespace == null ? "" : " in namespace " + namespace);
  }

  @Override
  public int compareTo(WatchTarget o) {
    int c = kind.compareTo(o.kind);
    if (c != 0) {
      return c;
    }
    c = Boolean.compare(ownerLabel, o.ownerLabel);
    if (c != 0) {
      return c;
    }
    return String.valueOf(namespace).compareTo(String.valueOf(o.namespace));
  }
}

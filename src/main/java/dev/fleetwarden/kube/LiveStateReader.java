package dev.fleetwarden.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.model.DesiredObject;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads the live state of clusters: the objects that correspond to a desired state, plus the
 * objects carrying fleetwarden's ownership label {@value dev.fleetwarden.model.Ownership#LABEL}
 * (for orphan detection).
 *
 * <p>Implementations list objects per (apiVersion, kind, namespace), never one request per object.
 * They do not throw for cluster trouble: an unreachable cluster, a timeout, or a 401/403 answer
 * gives {@link LiveState#unknown}, and a kind the cluster does not serve (404, e.g. CRD absent) is
 * a {@link LiveFinding} with that kind in {@link LiveState#unservedKinds()}.
 */
public interface LiveStateReader {
  /**
   * Reads one cluster.
   *
   * @param cluster the cluster name
   * @param desired the cluster's desired objects: their kinds and namespaces decide what is listed
   * @param orphanKinds further kinds to scan for objects carrying the ownership label, e.g. kinds
   *     of the previous render that the current render no longer has (may be empty)
   * @return the live state, or {@link LiveState#unknown} with a reason; never null
   */
  LiveState read(
      String cluster, Collection<DesiredObject> desired, Collection<ApiKind> orphanKinds);

  /** Reads one cluster, scanning for orphans only among the kinds of {@code desired}. */
  default LiveState read(String cluster, Collection<DesiredObject> desired) {
    return read(cluster, desired, List.of());
  }

  /**
   * Reads several clusters, several at once (the bound is the implementation's setting). A cluster
   * that fails does not affect the others.
   *
   * @param desiredByCluster each cluster's desired objects
   * @return a state for every cluster of the input, in the input's iteration order
   */
  Map<String, LiveState> readAll(Map<String, ? extends Collection<DesiredObject>> desiredByCluster);

  /**
   * The CustomResourceDefinitions the cluster serves (for the scope of a rendered custom resource
   * the fleet repo has no CRD for).
   *
   * @throws IllegalStateException when they cannot be read, saying why
   */
  default List<ObjectNode> crds(String cluster) {
    throw new IllegalStateException("this reader does not list CustomResourceDefinitions");
  }
}

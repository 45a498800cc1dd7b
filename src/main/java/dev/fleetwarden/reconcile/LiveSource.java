package dev.fleetwarden.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.model.DesiredObject;
import java.util.List;

/** Where live state comes from: a cluster's API server, or a directory of kubectl dumps. */
@FunctionalInterface
public interface LiveSource {
  /**
   * Observes the objects of the kinds and namespaces {@code desired} uses (plus objects carrying
   * the ownership label). Never throws for an unreachable cluster: returns {@link
   * Observation#unknown}.
   */
  Observation observe(String cluster, List<DesiredObject> desired);

  /**
   * The CustomResourceDefinitions the cluster serves: the render asks for them when a rendered kind
   * is neither built in nor defined by a CRD of the fleet repo.
   *
   * @throws IllegalStateException when they cannot be read, saying why
   */
  default List<? extends JsonNode> crds(String cluster) {
    throw new IllegalStateException("this live source does not list CustomResourceDefinitions");
  }
}

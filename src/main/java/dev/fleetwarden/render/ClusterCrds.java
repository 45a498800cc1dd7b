package dev.fleetwarden.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The CustomResourceDefinitions a cluster serves, for the scope of a rendered kind that neither the
 * vendored Kubernetes API nor a CRD of the fleet repo defines. Rendering itself stays offline: the
 * caller that can reach clusters supplies this (the service, {@code diff}); {@code validate} and
 * {@code render} do not, so such a kind is an error there.
 */
@FunctionalInterface
public interface ClusterCrds {
  /**
   * The CRD objects the cluster holds.
   *
   * @throws RuntimeException when they cannot be read; its message says why (it becomes part of the
   *     render error)
   */
  List<? extends JsonNode> crds(String cluster);
}

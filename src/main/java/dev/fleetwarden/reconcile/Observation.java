package dev.fleetwarden.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * What was observed live in one cluster: the objects of the kinds and namespaces the desired state
 * uses, the kinds the cluster does not serve (CRD absent, named as resource ids name them: {@code
 * Kind.group}, e.g. {@code ClusterPolicy.kyverno.io}), the CustomResourceDefinitions read for the
 * desired custom resources (their schemas key the lists), or why nothing could be observed. An
 * unknown observation must never be compared: it is not "everything missing".
 */
public record Observation(
    List<? extends JsonNode> objects,
    Set<String> absentKinds,
    String unknownReason,
    List<? extends JsonNode> crds) {
  public Observation {
    objects = objects == null ? List.of() : List.copyOf(objects);
    absentKinds = absentKinds == null ? Set.of() : Set.copyOf(absentKinds);
    crds = crds == null ? List.of() : List.copyOf(crds);
  }

  public Observation(
      List<? extends JsonNode> objects, Set<String> absentKinds, String unknownReason) {
    this(objects, absentKinds, unknownReason, List.of());
  }

  public static Observation of(List<? extends JsonNode> objects) {
    return new Observation(objects, Set.of(), null);
  }

  public static Observation unknown(String reason) {
    return new Observation(List.of(), Set.of(), reason);
  }

  public boolean isUnknown() {
    return unknownReason != null;
  }
}

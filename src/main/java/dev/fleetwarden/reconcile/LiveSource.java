package dev.fleetwarden.reconcile;

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
}

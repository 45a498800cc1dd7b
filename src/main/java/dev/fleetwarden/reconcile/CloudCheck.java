package dev.fleetwarden.reconcile;

import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.model.PartVerdict;

/** The cloud half of a cluster's verdict (Terraform). Never throws: failures are unknown. */
@FunctionalInterface
public interface CloudCheck {
  /** The verdict and the drifted or pending resources. */
  PartVerdict check(ClusterSpec cluster);
}

package dev.fleetwarden.reconcile;

import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.PartStatus;
import java.util.List;

/** The cloud half of a cluster's verdict (Terraform). Never throws: failures are unknown. */
@FunctionalInterface
public interface CloudCheck {
  /** The verdict and the drifted or pending resources. */
  record Result(PartStatus status, List<ObjectDrift> drifts) {}

  Result check(ClusterSpec cluster);
}

package dev.fleetwarden.terraform;

import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.PartStatus;
import java.util.List;

/**
 * The Terraform half of a cluster's verdict: in sync, drifted (cloud drift or pending fleet
 * changes, told apart by {@link ObjectDrift#type()}), or unknown with the reason.
 */
public record TerraformResult(PartStatus status, List<ObjectDrift> drifts) {
  public TerraformResult {
    drifts = drifts == null ? List.of() : List.copyOf(drifts);
  }

  public static TerraformResult unknown(String reason) {
    return new TerraformResult(PartStatus.unknown(reason), List.of());
  }

  public static TerraformResult of(List<ObjectDrift> drifts) {
    return new TerraformResult(PartStatus.of(!drifts.isEmpty()), drifts);
  }
}

package dev.fleetwarden.model;

import java.util.List;

/**
 * One half of a cluster's verdict, Kubernetes or Terraform: in sync, drifted (with the drifted
 * objects; for Terraform, cloud drift and pending fleet changes told apart by {@link
 * ObjectDrift#type()}), or unknown with the reason.
 */
public record PartVerdict(PartStatus status, List<ObjectDrift> drifts) {
  public PartVerdict {
    drifts = drifts == null ? List.of() : List.copyOf(drifts);
  }

  public static PartVerdict unknown(String reason) {
    return new PartVerdict(PartStatus.unknown(reason), List.of());
  }

  public static PartVerdict of(List<ObjectDrift> drifts) {
    return new PartVerdict(PartStatus.of(!drifts.isEmpty()), drifts);
  }
}

package dev.fleetwarden.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The verdict of one half of a cluster (its Kubernetes objects or its Terraform stack), with the
 * reason when it is not known.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PartStatus(ClusterStatus status, String reason) {
  public static final PartStatus NOT_CHECKED = new PartStatus(null, "not checked");

  public static PartStatus unknown(String reason) {
    return new PartStatus(ClusterStatus.UNKNOWN, reason);
  }

  public static PartStatus of(boolean drifted) {
    return new PartStatus(drifted ? ClusterStatus.DRIFTED : ClusterStatus.IN_SYNC, null);
  }
}

package dev.fleetwarden.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** The verdict for a cluster (or one half of it: Kubernetes or Terraform). */
public enum ClusterStatus {
  IN_SYNC("in-sync"),
  DRIFTED("drifted"),
  UNKNOWN("unknown"),
  RENDER_ERROR("render-error");

  private final String label;

  ClusterStatus(String label) {
    this.label = label;
  }

  @JsonValue
  public String label() {
    return label;
  }
}

package dev.fleetwarden.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** Which half of reality a drift was observed in. */
public enum DriftSource {
  KUBERNETES("kubernetes"),
  TERRAFORM("terraform");

  private final String label;

  DriftSource(String label) {
    this.label = label;
  }

  @JsonValue
  public String label() {
    return label;
  }
}

package dev.fleetwarden.model;

import com.fasterxml.jackson.annotation.JsonValue;

/** What kind of difference an object has. */
public enum DriftType {
  /** Live differs from desired in at least one field desired sets. */
  MODIFIED("modified", Severity.DRIFTED),
  /** Desired object (or Terraform resource) is absent live. */
  MISSING("missing", Severity.MISSING),
  /** An earlier render held it, the current one does not, and it is still live. */
  ORPHAN("orphan", Severity.DRIFTED),
  /**
   * Git does not set it, and a person did: a live-only field, list item or object written by a
   * human-operated client ({@code kubectl edit}, {@code kubectl patch}...), from {@code
   * managedFields}.
   */
  ADDED("added", Severity.DRIFTED),
  /** The fleet repo is ahead of reality and the change is not applied yet (Terraform). */
  PENDING("pending", Severity.PENDING);

  private final String label;
  private final Severity severity;

  DriftType(String label, Severity severity) {
    this.label = label;
    this.severity = severity;
  }

  @JsonValue
  public String label() {
    return label;
  }

  public Severity severity() {
    return severity;
  }
}

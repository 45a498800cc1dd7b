package dev.fleetwarden.model;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How bad a difference is, ranked: {@code in-sync < pending < drifted < missing < critical}. A
 * drift is {@link #CRITICAL} when a risk rule matched it (widened RBAC, weakened pod security, an
 * opened network path...: see {@link Risk}), whatever its type; otherwise its type decides. {@link
 * #UNKNOWN} means the state could not be observed (unreachable cluster, broken render); it is not
 * ranked against the others and never stands for "everything missing".
 */
public enum Severity {
  IN_SYNC("in-sync"),
  PENDING("pending"),
  DRIFTED("drifted"),
  MISSING("missing"),
  CRITICAL("critical"),
  UNKNOWN("unknown");

  private final String label;

  Severity(String label) {
    this.label = label;
  }

  @JsonValue
  public String label() {
    return label;
  }

  /** The worse of two known severities; UNKNOWN wins over IN_SYNC only. */
  public Severity max(Severity other) {
    if (this == UNKNOWN) {
      return other == IN_SYNC ? this : other;
    }
    if (other == UNKNOWN) {
      return this == IN_SYNC ? other : this;
    }
    return compareTo(other) >= 0 ? this : other;
  }
}

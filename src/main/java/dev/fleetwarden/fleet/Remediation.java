package dev.fleetwarden.fleet;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/**
 * What fleetwarden does about drift. Cluster setting wins over add-on; default {@link #ALERT}.
 * fleetwarden never writes to a cluster: there is no {@code apply} until server-side apply is
 * built, and the loader refuses the word rather than treating it as {@code alert} silently.
 */
public enum Remediation {
  ALERT("alert"),
  PULL_REQUEST("pull-request");

  private final String label;

  Remediation(String label) {
    this.label = label;
  }

  @JsonValue
  public String label() {
    return label;
  }

  public static Optional<Remediation> parse(String text) {
    return Arrays.stream(values()).filter(r -> r.label.equals(text)).findFirst();
  }
}

package dev.fleetwarden.fleet;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** What fleetwarden does about drift. Cluster setting wins over add-on; default {@link #ALERT}. */
public enum Remediation {
  ALERT("alert"),
  PULL_REQUEST("pull-request"),
  APPLY("apply");

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

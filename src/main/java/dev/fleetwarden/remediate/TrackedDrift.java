package dev.fleetwarden.remediate;

import dev.fleetwarden.model.ObjectDrift;
import java.util.Objects;

/**
 * A drift as the pull request flow sees it: its fingerprint (as the drift ledger computes it), the
 * drift, and the URL of its alert (null when there is none).
 */
public record TrackedDrift(String fingerprint, ObjectDrift drift, String alertUrl) {
  public TrackedDrift {
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(drift, "drift");
  }
}

package dev.fleetwarden.notify;

import dev.fleetwarden.model.ObjectDrift;
import java.time.Instant;
import java.util.Objects;

/** A drift whose content changed since the last scan: the drift as it was and as it is now. */
public record ChangedFinding(
    String fingerprint,
    ObjectDrift before,
    ObjectDrift after,
    Instant since,
    String pullRequestUrl) {
  public ChangedFinding {
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
  }
}

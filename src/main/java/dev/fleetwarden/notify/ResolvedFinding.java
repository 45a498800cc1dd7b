package dev.fleetwarden.notify;

import dev.fleetwarden.model.ObjectDrift;
import java.time.Instant;
import java.util.Objects;

/** A drift that is gone: the drift as last seen, when it was first seen, when it resolved. */
public record ResolvedFinding(
    String fingerprint,
    ObjectDrift last,
    Instant since,
    Instant resolvedAt,
    String pullRequestUrl) {
  public ResolvedFinding {
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(last, "last");
    Objects.requireNonNull(resolvedAt, "resolvedAt");
  }
}

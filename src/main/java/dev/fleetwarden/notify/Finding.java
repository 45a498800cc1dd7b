package dev.fleetwarden.notify;

import dev.fleetwarden.model.ObjectDrift;
import java.time.Instant;
import java.util.Objects;

/**
 * A drift of a scan with its fingerprint (one alert message per cluster and fingerprint), when it
 * was first seen, and the URL of its remediation pull request (null when none).
 */
public record Finding(String fingerprint, ObjectDrift drift, Instant since, String pullRequestUrl) {
  public Finding {
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(drift, "drift");
  }
}

package dev.fleetwarden.notify;

import dev.fleetwarden.model.ObjectDrift;
import java.time.Instant;
import java.util.Objects;

/**
 * One open drift for the daily digest: its cluster, fingerprint, drift and since when it is open.
 */
public record DigestItem(
    ClusterContext cluster, String fingerprint, ObjectDrift drift, Instant openSince) {
  public DigestItem {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(drift, "drift");
    Objects.requireNonNull(openSince, "openSince");
  }
}

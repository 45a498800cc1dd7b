package dev.fleetwarden.notify;

import java.time.Duration;

/**
 * How the outbox dispatcher works: rows claimed per pass, exponential backoff after a failed send
 * ({@code backoffBase * 2^attempts}, at most {@code backoffCap}), and how long an edit or thread
 * reply waits when its alert message has not been posted yet.
 */
public record DispatchSettings(
    int batchSize, Duration backoffBase, Duration backoffCap, Duration waitForPost) {
  public static final DispatchSettings DEFAULTS =
      new DispatchSettings(
          20, Duration.ofSeconds(15), Duration.ofMinutes(30), Duration.ofSeconds(30));

  public DispatchSettings {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
  }

  /** The delay before the next attempt of a row that failed {@code attempts} times before. */
  public Duration backoff(int attempts) {
    Duration d = backoffBase;
    for (int i = 0; i < attempts && d.compareTo(backoffCap) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(backoffCap) > 0 ? backoffCap : d;
  }
}

package dev.fleetwarden.notify;

import java.time.Duration;

/** The chat service answered HTTP 429: try again after {@link #retryAfter()}. */
public class RateLimitedException extends NotifyException {
  private final Duration retryAfter;

  public RateLimitedException(String method, Duration retryAfter) {
    super(method + " was rate limited; retrying after " + retryAfter.toSeconds() + " s");
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}

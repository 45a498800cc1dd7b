package dev.fleetwarden.notify;

/**
 * What one dispatcher pass did: rows sent (including edits found to be no-ops), rows deferred
 * because their alert message was not posted yet, rows that failed and wait for a retry, and
 * whether Slack rate limited the pass (which ends it).
 */
public record DispatchResult(int sent, int deferred, int failed, boolean rateLimited) {
  public int claimed() {
    return sent + deferred + failed;
  }
}

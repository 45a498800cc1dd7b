package dev.fleetwarden.server;

/** Told about verified pushes to the fleet repo, e.g. to fetch at once instead of on schedule. */
public interface WebhookListener {

  /**
   * A verified {@code push} event arrived. Called on the HTTP thread: hand the work off (e.g.
   * trigger a job) and return quickly; an exception answers the webhook with 500.
   *
   * @param ref the pushed ref, e.g. {@code refs/heads/main}
   * @param afterRevision the commit the ref points at after the push (all zeros for a deletion)
   */
  void onPush(String ref, String afterRevision);
}

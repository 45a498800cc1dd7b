package dev.fleetwarden.server;

/**
 * Told about verified webhook events: pushes to the fleet repo (to fetch at once instead of on
 * schedule) and pull requests to preview.
 */
public interface WebhookListener {

  /**
   * A verified {@code push} event arrived. Called on the HTTP thread: hand the work off (e.g.
   * trigger a job) and return quickly; an exception answers the webhook with 500.
   *
   * @param ref the pushed ref, e.g. {@code refs/heads/main}
   * @param afterRevision the commit the ref points at after the push (all zeros for a deletion)
   */
  void onPush(String ref, String afterRevision);

  /**
   * A verified {@code pull_request} event asks for a preview. Called on the HTTP thread: hand the
   * work off and return quickly; an exception answers the webhook with 500. Ignored by default.
   */
  default void onPullRequest(PullRequestEvent event) {}
}

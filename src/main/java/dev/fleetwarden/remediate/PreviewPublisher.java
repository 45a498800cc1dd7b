package dev.fleetwarden.remediate;

import dev.fleetwarden.model.CheckRun;
import dev.fleetwarden.remediate.PullRequestHost.HostException;

/**
 * Where a fleet pull request's preview is shown: one comment of fleetwarden's, found again by a
 * hidden marker and updated on every push, and a check run on the previewed commit (GitHub, or
 * files beside the local pull requests of the embedded defaults). One instance serves one
 * repository.
 */
public interface PreviewPublisher {

  /**
   * Updates fleetwarden's comment on pull request {@code number} (the one whose body starts with
   * {@code marker}, written by fleetwarden) to {@code body}, or creates it when there is none.
   * {@code body} starts with {@code marker}.
   *
   * @return the comment's URL
   */
  String upsertComment(int number, String marker, String body) throws HostException;

  /** Records a completed check run on a commit of the repository (a 40-character id). */
  void publishCheck(String commit, CheckRun run) throws HostException;
}

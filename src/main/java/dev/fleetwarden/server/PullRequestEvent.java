package dev.fleetwarden.server;

/**
 * A verified GitHub {@code pull_request} event that asks for a preview ({@code opened}, {@code
 * synchronize}, {@code reopened}), with the fields checked: a positive number, repositories as
 * {@code owner/name}, a plain branch name, 40-character commit ids.
 *
 * @param repository the repository the pull request targets ({@code repository.full_name})
 * @param headRepository the repository its head lives in (another one for a fork; null when GitHub
 *     no longer knows it, as for a deleted fork)
 * @param sender who triggered the event (fleetwarden itself for its own pull requests)
 */
public record PullRequestEvent(
    String action,
    int number,
    String repository,
    String baseBranch,
    String baseCommit,
    String headCommit,
    String headRepository,
    String sender) {

  /** Whether the head lives in another repository than the one the pull request targets. */
  public boolean fromFork() {
    return headRepository == null || !headRepository.equalsIgnoreCase(repository);
  }

  /** The ref holding the head in the target repository. */
  public String headRef() {
    return "refs/pull/" + number + "/head";
  }
}

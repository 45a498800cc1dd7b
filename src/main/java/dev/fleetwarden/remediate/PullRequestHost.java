package dev.fleetwarden.remediate;

import java.util.List;
import java.util.Optional;

/**
 * The code host holding the fleet repo's pull requests (GitHub or GitHub Enterprise). One instance
 * serves one repository.
 */
public interface PullRequestHost {

  /** Where a pull request is in its life. */
  enum Status {
    OPEN,
    CLOSED,
    MERGED
  }

  /** A pull request as the host reports it. */
  record PullRequest(int number, String url, Status status, String headBranch) {}

  /** What a new pull request says. */
  record NewPullRequest(
      String headBranch, String baseBranch, String title, String body, List<String> labels) {
    public NewPullRequest {
      labels = labels == null ? List.of() : List.copyOf(labels);
    }
  }

  /** The open pull request whose head is {@code headBranch} of this repository, if any. */
  Optional<PullRequest> findOpen(String headBranch) throws HostException;

  /** Opens a pull request and adds its labels. */
  PullRequest create(NewPullRequest request) throws HostException;

  /** Adds a comment to a pull request. */
  void comment(int number, String body) throws HostException;

  /** Comments on a pull request, then closes it without merging. */
  void close(int number, String comment) throws HostException;

  /** The current state of a pull request (merged counts as {@link Status#MERGED}). */
  PullRequest get(int number) throws HostException;

  /** A call to the host failed; the message names the repository and the step, never a token. */
  class HostException extends Exception {
    public HostException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

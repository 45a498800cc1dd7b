package dev.fleetwarden.remediate;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Writes remediation branches to the fleet repo's remote: each branch is the base branch's head
 * plus one commit. Implementations keep their own working copy; callers only read the checkout
 * returned by {@link #fetchBase()}.
 */
public interface BranchPublisher {

  /** The base branch's head, checked out in a directory the caller may read but not change. */
  record BaseCheckout(Path root, String commit) {}

  /** Fetches the remote and checks out the head of the base branch. */
  BaseCheckout fetchBase() throws PublishException;

  /**
   * Creates one commit on top of {@code baseCommit} that writes {@code files} (repo-relative path
   * to full content) and pushes it to {@code refs/heads/<branch>}.
   *
   * @param force replace the branch even when the push is not a fast-forward (the drift changed)
   * @return the id of the pushed commit
   * @throws BranchRejectedException when the remote refuses the update (its status is attached)
   */
  String publish(
      String branch, String baseCommit, Map<String, String> files, String message, boolean force)
      throws PublishException;

  /** The commit the remote branch points at, or empty when the branch does not exist. */
  Optional<String> remoteHead(String branch) throws PublishException;

  /** Deletes the remote branch; nothing happens when it does not exist. */
  void delete(String branch) throws PublishException;

  /** A Git operation against the fleet remote failed; the message says what to check. */
  class PublishException extends Exception {
    private final String branch;

    public PublishException(String branch, String message, Throwable cause) {
      super(message, cause);
      this.branch = branch;
    }

    /** The branch involved, or null for operations on the base branch. */
    public String branch() {
      return branch;
    }
  }

  /** The remote refused a branch update (non-fast-forward, protected branch, hook...). */
  class BranchRejectedException extends PublishException {
    private final String status;

    public BranchRejectedException(String branch, String status, String remoteMessage) {
      super(
          branch,
          "the fleet remote rejected the push of branch "
              + branch
              + " ("
              + status
              + (remoteMessage == null ? "" : ": " + remoteMessage)
              + "); check branch protection rules for fleetwarden/* branches and the token's"
              + " write access",
          null);
      this.status = status;
    }

    /** The JGit {@code RemoteRefUpdate.Status} name, e.g. {@code REJECTED_NONFASTFORWARD}. */
    public String status() {
      return status;
    }
  }
}

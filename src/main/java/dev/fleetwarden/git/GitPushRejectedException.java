package dev.fleetwarden.git;

/**
 * The remote refused a push (it does not throw in JGit: the ref update comes back with a status).
 * Carries the branch and the status, e.g. {@code REJECTED_NONFASTFORWARD} when the branch moved and
 * the push was not forced.
 */
public class GitPushRejectedException extends GitException {
  private final String branch;
  private final String status;

  public GitPushRejectedException(String remote, String branch, String status, String detail) {
    super(
        remote,
        "push of branch '"
            + branch
            + "' to "
            + remote
            + " was rejected ("
            + status
            + (detail == null ? "" : ": " + detail)
            + "); fetch and rebuild the branch, push with force, or check the remote's branch"
            + " protection and the credentials' write permission",
        null);
    this.branch = branch;
    this.status = status;
  }

  public String branch() {
    return branch;
  }

  /** The JGit {@code RemoteRefUpdate.Status} name. */
  public String status() {
    return status;
  }
}

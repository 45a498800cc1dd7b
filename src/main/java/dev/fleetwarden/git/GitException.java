package dev.fleetwarden.git;

/**
 * A Git operation on the fleet repo failed. The message names the (redacted) remote and what to
 * check next; it never carries a credential, and neither does the cause chain.
 */
public class GitException extends RuntimeException {
  private final String remote;

  public GitException(String remote, String message, Throwable redactedCause) {
    super(message, redactedCause);
    this.remote = remote;
  }

  /** The remote URL involved, with user info removed. */
  public String remote() {
    return remote;
  }
}

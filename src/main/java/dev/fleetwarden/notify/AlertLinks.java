package dev.fleetwarden.notify;

/**
 * Links shown with an alert: the fleet commit the desired state was rendered from (its id and a web
 * URL, either may be null) and the remediation pull request, when one exists.
 */
public record AlertLinks(String commit, String commitUrl, String pullRequestUrl) {
  public static final AlertLinks NONE = new AlertLinks(null, null, null);

  /** The first 7 characters of the commit id, as people read it. */
  public String shortCommit() {
    return commit == null ? null : commit.substring(0, Math.min(7, commit.length()));
  }
}

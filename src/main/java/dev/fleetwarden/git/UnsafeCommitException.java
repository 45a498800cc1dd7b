package dev.fleetwarden.git;

import java.util.List;

/**
 * A commit of the fleet repo holds symbolic links, which fleetwarden refuses to check out: a link
 * to a host file ({@code /etc/passwd}, a service-account token) would be read as fleet content. The
 * work directory stays at the commit it held; the commit is a broken commit, like one that fails
 * validation.
 */
public final class UnsafeCommitException extends GitException {
  private final String revision;
  private final List<String> paths;

  public UnsafeCommitException(String remote, String revision, List<String> paths) {
    super(remote, message(revision, paths), null);
    this.revision = revision;
    this.paths = List.copyOf(paths);
  }

  /** The refused commit. */
  public String revision() {
    return revision;
  }

  /** Repo-relative paths of the links in the commit, sorted. */
  public List<String> paths() {
    return paths;
  }

  private static String message(String revision, List<String> paths) {
    String more = paths.size() > 1 ? " (and " + (paths.size() - 1) + " more)" : "";
    return "commit "
        + revision.substring(0, Math.min(10, revision.length()))
        + " is refused: "
        + paths.get(0)
        + more
        + ": symlinks are not allowed in the fleet repo; replace each link with a copy of the"
        + " file it points to";
  }
}

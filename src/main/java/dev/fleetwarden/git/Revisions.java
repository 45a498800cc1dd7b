package dev.fleetwarden.git;

import java.nio.file.Path;
import java.util.SortedSet;

/**
 * The history of a fleet repo, read only: what a preview of a change needs (the commits of both
 * sides, the paths between them, and each side's files). Revisions are anything Git resolves to a
 * commit ({@code main}, {@code HEAD~1}, a commit id); results are full 40-character commit ids.
 * Every failure is a {@link GitException} whose message names the repository without credentials.
 *
 * <p>A commit that holds a symbolic link is never written out: {@link #checkout} throws {@link
 * UnsafeCommitException} naming the links.
 */
public interface Revisions {

  /**
   * The commit id a revision names.
   *
   * @throws GitException when the revision names no commit
   */
  String resolve(String revision);

  /**
   * Repo-relative paths ({@code /}-separated) that differ between two revisions: added, modified,
   * deleted, and for a rename both the old and the new path.
   *
   * @param fromRevision the older revision; null means "nothing": every path of {@code toRevision}
   *     is reported
   * @param toRevision the newer revision
   */
  SortedSet<String> changedPaths(String fromRevision, String toRevision);

  /**
   * Writes the files of a revision into {@code dir} (created if missing; files already there that
   * the revision also holds are overwritten, others are left alone, so pass an empty directory),
   * e.g. to load the fleet as it was before a change. The work directory is not touched.
   *
   * @return {@code dir}
   */
  Path checkout(String revision, Path dir);

  /**
   * The best common ancestor of two revisions (what GitHub compares a pull request's head with), or
   * null when they share no history.
   */
  String mergeBase(String revision, String other);
}

package dev.fleetwarden.git;

import java.nio.file.Path;
import java.util.Map;

/**
 * The fleet Git repo as fleetwarden sees it: one tracked branch of one remote, mirrored in a local
 * work directory whose files are the fleet at {@link #head()}. Revisions are full 40-character
 * commit ids. Every failure is a {@link GitException} whose message names the remote without its
 * credentials.
 *
 * <p>A commit that holds a symbolic link is never checked out: {@link #open()}, {@link #fetch()}
 * and {@link #checkout} throw {@link UnsafeCommitException} naming the links, and the work
 * directory keeps the commit it held. Its history is read through {@link Revisions}.
 *
 * <p>Implementations are safe to call from several threads; calls are serialized.
 */
public interface FleetRepository extends Revisions, AutoCloseable {

  /**
   * Clones the remote into the work directory, or opens the clone that is already there, and checks
   * out the tracked branch. Idempotent; the other methods call it when needed.
   *
   * @return the head revision of the tracked branch
   * @throws GitException when the remote cannot be reached, the branch does not exist, or the work
   *     directory holds something that is not a clone of this remote
   */
  String open();

  /**
   * Fetches the tracked branch from the remote and moves the work directory to its newest commit (a
   * hard reset: local edits in the work directory are discarded; a force-pushed branch is
   * followed).
   *
   * @return the new head revision (equal to the previous {@link #head()} when nothing changed)
   * @throws UnsafeCommitException when the newest commit holds a symbolic link (again at every
   *     fetch until a newer commit removes it); the work directory is not moved
   */
  String fetch();

  /** The revision the work directory holds, or null before {@link #open()}. */
  String head();

  /** The work directory: the fleet repo files at {@link #head()}. */
  Path workTree();

  /**
   * Fetches one ref of the remote (a pull request's {@code refs/pull/7/head}, a branch's {@code
   * refs/heads/main}) into the clone, without moving the work directory or the tracked branch.
   *
   * @return the commit id the ref points at
   * @throws IllegalArgumentException when {@code remoteRef} is not a full ref name
   * @throws GitException when the remote cannot be reached or has no such ref
   */
  String fetchRef(String remoteRef);

  /** Author, time and message of a commit. */
  CommitInfo commitInfo(String revision);

  /**
   * Commits files on top of the tracked branch's head and pushes the commit to {@code branchName}
   * on the remote, for a remediation pull request. The work directory is not touched.
   *
   * @param branchName the remote branch (without {@code refs/heads/}); must not be the tracked
   *     branch
   * @param files repo-relative path to new content (UTF-8); a null content deletes the file
   * @param message the commit message
   * @param force whether to overwrite the branch when it holds commits this one does not descend
   *     from (a branch regenerated for a changed drift); without force such a push is rejected
   * @return the id of the pushed commit
   * @throws UnsafePathException when a path is absolute, contains {@code ..} or points into {@code
   *     .git}; nothing is committed
   * @throws GitPushRejectedException when the remote refuses the update
   */
  String commitAndPush(String branchName, Map<String, String> files, String message, boolean force);

  /** Releases the local repository and transport resources. */
  @Override
  void close();
}

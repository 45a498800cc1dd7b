package dev.fleetwarden.git;

import java.nio.file.Path;
import java.util.Map;
import java.util.SortedSet;

/**
 * A fleet read straight from a directory, uncommitted edits included: what {@code diff} compares on
 * a laptop. It has one revision, {@value #REVISION}, which never changes; it cannot check out other
 * revisions or push branches.
 */
public final class WorkingTree implements FleetRepository {
  /** The one revision of a working tree. */
  public static final String REVISION = "working-tree";

  private final Path dir;

  public WorkingTree(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
  }

  @Override
  public String open() {
    return REVISION;
  }

  @Override
  public String fetch() {
    return REVISION;
  }

  @Override
  public String head() {
    return REVISION;
  }

  @Override
  public Path workTree() {
    return dir;
  }

  @Override
  public SortedSet<String> changedPaths(String fromRevision, String toRevision) {
    throw new UnsupportedOperationException("a working tree has a single revision");
  }

  @Override
  public Path checkout(String revision, Path into) {
    throw new UnsupportedOperationException("a working tree has a single revision");
  }

  @Override
  public String resolve(String revision) {
    if (REVISION.equals(revision)) {
      return REVISION;
    }
    throw new UnsupportedOperationException("a working tree has a single revision");
  }

  @Override
  public String mergeBase(String revision, String other) {
    throw new UnsupportedOperationException("a working tree has a single revision");
  }

  @Override
  public String fetchRef(String remoteRef) {
    throw new UnsupportedOperationException("a working tree has no remote to fetch from");
  }

  @Override
  public CommitInfo commitInfo(String revision) {
    throw new UnsupportedOperationException("a working tree has no commits");
  }

  @Override
  public String commitAndPush(
      String branchName, Map<String, String> files, String message, boolean force) {
    throw new UnsupportedOperationException("a working tree has no remote to push to");
  }

  @Override
  public void close() {}
}

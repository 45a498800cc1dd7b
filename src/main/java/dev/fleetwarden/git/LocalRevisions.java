package dev.fleetwarden.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The history of a fleet repo on this machine, read in place ({@code preview} on a laptop): nothing
 * is fetched, written or configured in the repository, and its work tree is never touched. The
 * fleet may be a directory inside a larger repository: paths are then relative to that directory,
 * and only its files are written out.
 */
public final class LocalRevisions implements Revisions, AutoCloseable {
  private final Repository repo;
  private final String prefix;
  private final String name;

  private LocalRevisions(Repository repo, String prefix, String name) {
    this.repo = repo;
    this.prefix = prefix;
    this.name = name;
  }

  /**
   * Opens the Git repository that holds {@code fleetDir} (the directory itself or one above it).
   *
   * @throws GitException when no Git repository holds the directory
   */
  public static LocalRevisions open(Path fleetDir) {
    Path dir = fleetDir.toAbsolutePath().normalize();
    FileRepositoryBuilder builder = new FileRepositoryBuilder().findGitDir(dir.toFile());
    if (builder.getGitDir() == null) {
      throw new GitException(
          dir.toString(),
          dir
              + " is not in a Git repository; preview compares commits: run it in a clone of the"
              + " fleet repo or pass --repo DIR",
          null);
    }
    try {
      Repository repo = builder.setMustExist(true).build();
      String prefix = "";
      if (!repo.isBare()) {
        Path top = repo.getWorkTree().toPath().toRealPath();
        Path real = Files.isDirectory(dir) ? dir.toRealPath() : dir;
        if (real.startsWith(top) && !real.equals(top)) {
          prefix = top.relativize(real).toString().replace('\\', '/') + "/";
        }
      }
      return new LocalRevisions(repo, prefix, dir.toString());
    } catch (IOException e) {
      throw new GitException(dir.toString(), "cannot open the Git repository of " + dir, e);
    }
  }

  /** Where the fleet sits in the repository: {@code ""} at its top, else {@code dir/}. */
  public String prefix() {
    return prefix;
  }

  @Override
  public String resolve(String revision) {
    return id(revision).name();
  }

  @Override
  public SortedSet<String> changedPaths(String fromRevision, String toRevision) {
    try {
      SortedSet<String> all =
          CommitTrees.changedPaths(
              repo, fromRevision == null ? null : id(fromRevision), id(toRevision));
      SortedSet<String> mine = new TreeSet<>();
      for (String p : all) {
        if (p.startsWith(prefix)) {
          mine.add(p.substring(prefix.length()));
        }
      }
      return Collections.unmodifiableSortedSet(mine);
    } catch (IOException e) {
      throw new GitException(
          name,
          "cannot compare revisions " + fromRevision + " and " + toRevision + " in " + name,
          e);
    }
  }

  @Override
  public Path checkout(String revision, Path dir) {
    try {
      CommitTrees.write(repo, id(revision), dir, name, prefix);
      return dir;
    } catch (IOException e) {
      throw new GitException(name, "cannot write revision " + revision + " into " + dir, e);
    }
  }

  @Override
  public String mergeBase(String revision, String other) {
    try {
      ObjectId base = CommitTrees.mergeBase(repo, id(revision), id(other));
      return base == null ? null : base.name();
    } catch (IOException e) {
      throw new GitException(
          name, "cannot find the merge base of " + revision + " and " + other, e);
    }
  }

  private ObjectId id(String revision) {
    try {
      ObjectId id = CommitTrees.resolve(repo, revision);
      if (id == null) {
        throw new GitException(
            name,
            "unknown revision '" + revision + "' in " + name + "; give a branch, tag or commit",
            null);
      }
      return id;
    } catch (IOException | RuntimeException e) {
      if (e instanceof GitException g) {
        throw g;
      }
      throw new GitException(name, "cannot read revision '" + revision + "' in " + name, e);
    }
  }

  @Override
  public void close() {
    repo.close();
  }
}

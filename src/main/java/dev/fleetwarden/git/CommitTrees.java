package dev.fleetwarden.git;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * Reading commits of a repository without a checkout: the one place that writes a commit's files
 * into a directory (refusing symbolic links first) and compares two commits' trees, for the
 * service's clone and for a local repository alike.
 */
final class CommitTrees {
  private CommitTrees() {}

  /** The commit a revision names, or null. */
  static ObjectId resolve(Repository repo, String revision) throws IOException {
    if (revision == null || revision.isBlank()) {
      return null;
    }
    return repo.resolve(revision + "^{commit}");
  }

  /** Paths that differ between two commits ({@code from} null: every path of {@code to}). */
  static SortedSet<String> changedPaths(Repository repo, ObjectId from, ObjectId to)
      throws IOException {
    try (RevWalk walk = new RevWalk(repo);
        TreeWalk tree = new TreeWalk(repo)) {
      tree.setRecursive(true);
      if (from == null) {
        tree.addTree(new EmptyTreeIterator());
      } else {
        tree.addTree(walk.parseCommit(from).getTree());
      }
      tree.addTree(walk.parseCommit(to).getTree());
      // Without rename detection a rename is a delete plus an add: both paths are reported.
      tree.setFilter(TreeFilter.ANY_DIFF);
      SortedSet<String> paths = new TreeSet<>();
      while (tree.next()) {
        paths.add(tree.getPathString());
      }
      return Collections.unmodifiableSortedSet(paths);
    }
  }

  /** The symbolic links a commit holds, sorted (empty when none). */
  static List<String> symlinks(Repository repo, RevCommit commit) throws IOException {
    List<String> links = new ArrayList<>();
    try (TreeWalk tree = new TreeWalk(repo)) {
      tree.setRecursive(true);
      tree.addTree(commit.getTree());
      while (tree.next()) {
        if (tree.getFileMode(0) == FileMode.SYMLINK) {
          links.add(tree.getPathString());
        }
      }
    }
    return links;
  }

  /**
   * Writes the regular files of a commit into {@code dir}, after refusing a commit that holds a
   * symbolic link (before any file is written).
   *
   * @param remote the repository as messages name it (no credentials)
   */
  static void write(Repository repo, ObjectId commitId, Path dir, String remote)
      throws IOException {
    write(repo, commitId, dir, remote, "");
  }

  /**
   * As {@link #write(Repository, ObjectId, Path, String)}, for the files under {@code prefix} only
   * ({@code ""}: all; else a {@code /}-terminated directory of the repository), written relative to
   * it; links elsewhere in the commit are not looked at.
   */
  static void write(Repository repo, ObjectId commitId, Path dir, String remote, String prefix)
      throws IOException {
    try (RevWalk walk = new RevWalk(repo);
        TreeWalk tree = new TreeWalk(repo)) {
      Files.createDirectories(dir);
      RevCommit commit = walk.parseCommit(commitId);
      List<String> links =
          symlinks(repo, commit).stream().filter(p -> p.startsWith(prefix)).toList();
      if (!links.isEmpty()) {
        throw new UnsafeCommitException(remote, commit.name(), links);
      }
      Path root = dir.toAbsolutePath().normalize();
      tree.setRecursive(true);
      tree.addTree(commit.getTree());
      while (tree.next()) {
        FileMode mode = tree.getFileMode(0);
        // Submodules are not part of a fleet; skipping them keeps every write inside dir.
        if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
          continue;
        }
        String path = tree.getPathString();
        if (!path.startsWith(prefix)) {
          continue;
        }
        Path target = root.resolve(path.substring(prefix.length())).normalize();
        if (!target.startsWith(root)) {
          continue;
        }
        Files.createDirectories(target.getParent());
        try (InputStream in = repo.open(tree.getObjectId(0)).openStream()) {
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        if (mode == FileMode.EXECUTABLE_FILE) {
          target.toFile().setExecutable(true);
        }
      }
    }
  }

  /** The best common ancestor of two commits, or null when they share no history. */
  static ObjectId mergeBase(Repository repo, ObjectId a, ObjectId b) throws IOException {
    try (RevWalk walk = new RevWalk(repo)) {
      walk.setRevFilter(RevFilter.MERGE_BASE);
      walk.markStart(walk.parseCommit(a));
      walk.markStart(walk.parseCommit(b));
      RevCommit base = walk.next();
      return base == null ? null : base.getId();
    }
  }
}

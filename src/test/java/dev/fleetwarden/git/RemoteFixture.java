package dev.fleetwarden.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * A real bare repo standing in for the fleet remote, plus a developer clone that commits and pushes
 * to it with JGit. Commits are never signed, whatever the user config says.
 */
public final class RemoteFixture implements AutoCloseable {
  public final Path bare;
  public final Path developerDir;
  public final Git developer;
  public final Repository bareRepo;

  public RemoteFixture(Path root) throws Exception {
    bare = root.resolve("fleet.git");
    developerDir = root.resolve("developer");
    try (Git init =
        Git.init().setBare(true).setInitialBranch("main").setDirectory(bare.toFile()).call()) {
      // closed: reopened below
    }
    bareRepo = Git.open(bare.toFile()).getRepository();
    developer = Git.init().setInitialBranch("main").setDirectory(developerDir.toFile()).call();
    developer
        .remoteAdd()
        .setName("origin")
        .setUri(new org.eclipse.jgit.transport.URIish(fileUrl()))
        .call();
  }

  public String fileUrl() {
    return bare.toUri().toString();
  }

  /** Writes files (null content deletes), commits as "Dana Dev", pushes main; returns the id. */
  public String commit(Map<String, String> files, String message) throws Exception {
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path p = developerDir.resolve(f.getKey());
      if (f.getValue() == null) {
        developer.rm().addFilepattern(f.getKey()).call();
      } else {
        Files.createDirectories(p.getParent());
        Files.writeString(p, f.getValue());
        developer.add().addFilepattern(f.getKey()).call();
      }
    }
    PersonIdent dana = new PersonIdent("Dana Dev", "dana@example.org");
    RevCommit c =
        developer
            .commit()
            .setMessage(message)
            .setAuthor(dana)
            .setCommitter(dana)
            .setSign(false)
            .call();
    developer
        .push()
        .setRemote("origin")
        .setRefSpecs(new RefSpec("+refs/heads/main:refs/heads/main"))
        .call();
    return c.name();
  }

  /**
   * Commits symbolic links (path to link target) as Git stores them (mode 120000), and pushes main;
   * returns the id.
   */
  String commitLinks(Map<String, String> links, String message) throws Exception {
    for (Map.Entry<String, String> l : links.entrySet()) {
      Path p = developerDir.resolve(l.getKey());
      Files.createDirectories(p.getParent());
      Files.deleteIfExists(p);
      Files.createSymbolicLink(p, Path.of(l.getValue()));
      developer.add().addFilepattern(l.getKey()).call();
    }
    return commit(Map.of(), message);
  }

  /** Rewrites main on the remote to a new root commit from an unrelated repo (a force push). */
  String forcePushNewHistory(Map<String, String> files, String message) throws Exception {
    Path other = developerDir.resolveSibling("rewriter");
    try (Git rewriter = Git.init().setInitialBranch("main").setDirectory(other.toFile()).call()) {
      for (Map.Entry<String, String> f : files.entrySet()) {
        Path p = other.resolve(f.getKey());
        Files.createDirectories(p.getParent());
        Files.writeString(p, f.getValue());
        rewriter.add().addFilepattern(f.getKey()).call();
      }
      PersonIdent dana = new PersonIdent("Dana Dev", "dana@example.org");
      String id =
          rewriter
              .commit()
              .setMessage(message)
              .setAuthor(dana)
              .setCommitter(dana)
              .setSign(false)
              .call()
              .name();
      rewriter
          .push()
          .setRemote(fileUrl())
          .setRefSpecs(new RefSpec("+refs/heads/main:refs/heads/main"))
          .call();
      return id;
    }
  }

  /** The commit a remote branch points at, or null. */
  public String remoteBranch(String branch) throws IOException {
    ObjectId id = bareRepo.resolve("refs/heads/" + branch);
    return id == null ? null : id.name();
  }

  /** A file's content at a remote revision, or null when absent. */
  public String remoteFile(String revision, String path) throws IOException {
    try (RevWalk walk = new RevWalk(bareRepo)) {
      RevCommit c = walk.parseCommit(bareRepo.resolve(revision));
      try (TreeWalk tw = TreeWalk.forPath(bareRepo, path, c.getTree())) {
        if (tw == null) {
          return null;
        }
        return new String(bareRepo.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
      }
    }
  }

  /** The parent of a remote commit. */
  public String parentOf(String revision) throws IOException {
    try (RevWalk walk = new RevWalk(bareRepo)) {
      return walk.parseCommit(bareRepo.resolve(revision)).getParent(0).name();
    }
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    developer.close();
    bareRepo.close();
  }
}

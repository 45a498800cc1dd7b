package dev.fleetwarden.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link FleetRepository} on JGit. Remotes: HTTPS with a token ({@link GitSettings#tokenFile()} or
 * {@link GitSettings#tokenEnv()}), SSH with a private key and known_hosts (Apache MINA sshd), and
 * local paths or {@code file://} URLs. The token is read at every remote call, so a rotated token
 * file is picked up without a restart.
 */
public final class JGitFleetRepository implements FleetRepository {
  private static final Logger LOG = LoggerFactory.getLogger(JGitFleetRepository.class);

  /**
   * Where {@link #fetchRef} keeps what it fetched: {@code refs/fleetwarden/fetched/pull/7/head}.
   */
  static final String FETCHED_REFS = "refs/fleetwarden/fetched/";

  private final GitSettings settings;
  private final String trackingRef;
  private final GitTransport transport;
  private Git git;

  public JGitFleetRepository(GitSettings settings) {
    this(settings, System::getenv);
  }

  /** With an explicit environment lookup (for {@link GitSettings#tokenEnv()}), e.g. in tests. */
  public JGitFleetRepository(GitSettings settings, UnaryOperator<String> environment) {
    this.settings = settings;
    this.transport = new GitTransport(settings, environment);
    this.trackingRef = Constants.R_REMOTES + "origin/" + settings.branch();
  }

  public GitSettings settings() {
    return settings;
  }

  @Override
  public synchronized String open() {
    if (git != null) {
      return head();
    }
    Path workDir = settings.workDir();
    GitTransport.Call call = transport.local();
    boolean cloning = false;
    try {
      if (Files.isDirectory(workDir.resolve(Constants.DOT_GIT))) {
        git = Git.open(workDir.toFile());
        pointOriginAtSettings();
        WorkTrees.neverCheckOutSymlinks(git.getRepository());
        if (git.getRepository().resolve(trackingRef) == null) {
          return fetch();
        }
        return moveWorkTreeTo(git.getRepository().resolve(trackingRef));
      }
      if (Files.isDirectory(workDir) && !isEmpty(workDir)) {
        throw new GitException(
            settings.redactedUrl(),
            "work directory "
                + workDir
                + " exists, is not empty and is not a Git clone; empty it or point workDir"
                + " elsewhere",
            null);
      }
      Files.createDirectories(workDir);
      cloning = true;
      call = transport.begin();
      git =
          call.configure(
                  Git.cloneRepository()
                      .setURI(settings.url())
                      .setDirectory(workDir.toFile())
                      .setBranch(Constants.R_HEADS + settings.branch())
                      .setNoCheckout(true)
                      .setCloneAllBranches(false)
                      .setBranchesToClone(List.of(Constants.R_HEADS + settings.branch())))
              .call();
      WorkTrees.neverCheckOutSymlinks(git.getRepository());
      ObjectId head = git.getRepository().resolve(trackingRef);
      if (head == null) {
        throw new GitException(
            settings.redactedUrl(),
            "branch '"
                + settings.branch()
                + "' not found at "
                + settings.redactedUrl()
                + "; push a first commit to it or set the branch that holds the fleet",
            null);
      }
      LOG.info("Cloned {} branch {} at {}", settings.redactedUrl(), settings.branch(), head.name());
      return moveWorkTreeTo(head);
    } catch (UnsafeCommitException e) {
      throw e; // the clone is fine, only its head is refused: keep it for the next commit
    } catch (GitException e) {
      if (cloning) {
        abandonPartialClone(workDir);
      }
      throw e;
    } catch (Exception e) {
      if (cloning) {
        abandonPartialClone(workDir);
      }
      String hint =
          String.valueOf(e.getMessage()).contains("not found in upstream")
              ? "; check the branch setting ('" + settings.branch() + "')"
              : "";
      throw failure("cannot clone or open the fleet repo in " + workDir + hint, e, call);
    }
  }

  @Override
  public synchronized String fetch() {
    ensureOpen();
    GitTransport.Call call = transport.local();
    try {
      call = transport.begin();
      String branchRef = Constants.R_HEADS + settings.branch();
      call.configure(git.fetch())
          .setRemote(settings.url())
          .setRefSpecs(new RefSpec("+" + branchRef + ":" + trackingRef))
          .call();
      ObjectId head = git.getRepository().resolve(trackingRef);
      if (head == null) {
        throw new GitException(
            settings.redactedUrl(),
            "branch '"
                + settings.branch()
                + "' not found at "
                + settings.redactedUrl()
                + "; check the branch setting",
            null);
      }
      String previous = currentHead();
      String now = moveWorkTreeTo(head);
      if (!now.equals(previous)) {
        LOG.info("Fleet repo {} moved {} -> {}", settings.redactedUrl(), previous, now);
      }
      return now;
    } catch (GitException e) {
      throw e;
    } catch (Exception e) {
      throw failure("cannot fetch branch '" + settings.branch() + "'", e, call);
    }
  }

  @Override
  public synchronized String head() {
    if (git == null) {
      return null;
    }
    return currentHead();
  }

  @Override
  public Path workTree() {
    return settings.workDir();
  }

  @Override
  public synchronized SortedSet<String> changedPaths(String fromRevision, String toRevision) {
    ensureOpen();
    Repository repo = git.getRepository();
    try {
      return CommitTrees.changedPaths(
          repo, fromRevision == null ? null : resolveId(fromRevision), resolveId(toRevision));
    } catch (GitException e) {
      throw e;
    } catch (IOException e) {
      throw failure("cannot compare revisions " + fromRevision + " and " + toRevision, e);
    }
  }

  @Override
  public synchronized Path checkout(String revision, Path dir) {
    ensureOpen();
    try {
      CommitTrees.write(git.getRepository(), resolveId(revision), dir, settings.redactedUrl());
      return dir;
    } catch (GitException e) {
      throw e;
    } catch (IOException e) {
      throw failure("cannot write revision " + revision + " into " + dir, e);
    }
  }

  @Override
  public synchronized String resolve(String revision) {
    ensureOpen();
    try {
      return resolveId(revision).name();
    } catch (IOException e) {
      throw failure("cannot read revision " + revision, e);
    }
  }

  @Override
  public synchronized String mergeBase(String revision, String other) {
    ensureOpen();
    try {
      ObjectId base =
          CommitTrees.mergeBase(git.getRepository(), resolveId(revision), resolveId(other));
      return base == null ? null : base.name();
    } catch (IOException e) {
      throw failure("cannot find the merge base of " + revision + " and " + other, e);
    }
  }

  @Override
  public synchronized String fetchRef(String remoteRef) {
    if (remoteRef == null
        || !remoteRef.startsWith(Constants.R_REFS)
        || !Repository.isValidRefName(remoteRef)) {
      throw new IllegalArgumentException(
          "not a ref name: '" + remoteRef + "'; want e.g. refs/pull/7/head");
    }
    ensureOpen();
    GitTransport.Call call = transport.local();
    // Kept apart from the branches and tags the clone tracks; refreshed at every fetch.
    String local = FETCHED_REFS + remoteRef.substring(Constants.R_REFS.length());
    try {
      call = transport.begin();
      call.configure(git.fetch())
          .setRemote(settings.url())
          .setRefSpecs(new RefSpec("+" + remoteRef + ":" + local))
          .call();
      ObjectId id = git.getRepository().resolve(local);
      if (id == null) {
        throw new GitException(
            settings.redactedUrl(),
            "ref " + remoteRef + " not found at " + settings.redactedUrl(),
            null);
      }
      return id.name();
    } catch (GitException e) {
      throw e;
    } catch (Exception e) {
      throw failure("cannot fetch " + remoteRef, e, call);
    }
  }

  @Override
  public synchronized CommitInfo commitInfo(String revision) {
    ensureOpen();
    try (RevWalk walk = new RevWalk(git.getRepository())) {
      RevCommit commit = walk.parseCommit(resolveId(revision));
      PersonIdent author = commit.getAuthorIdent();
      return new CommitInfo(
          commit.name(),
          author.getName(),
          author.getEmailAddress(),
          author.getWhenAsInstant(),
          commit.getFullMessage());
    } catch (GitException e) {
      throw e;
    } catch (IOException e) {
      throw failure("cannot read commit " + revision, e);
    }
  }

  @Override
  public synchronized String commitAndPush(
      String branchName, Map<String, String> files, String message, boolean force) {
    validateBranch(branchName);
    Map<String, String> sorted = new TreeMap<>();
    files.forEach((path, content) -> sorted.put(safePath(path), content));
    ensureOpen();
    Repository repo = git.getRepository();
    GitTransport.Call call = transport.local();
    ObjectId commitId;
    try (RevWalk walk = new RevWalk(repo);
        ObjectInserter inserter = repo.newObjectInserter();
        ObjectReader reader = repo.newObjectReader()) {
      ObjectId base = repo.resolve(trackingRef);
      if (base == null) {
        throw new GitException(
            settings.redactedUrl(),
            "the tracked branch '" + settings.branch() + "' has not been fetched yet; call fetch()",
            null);
      }
      RevCommit baseCommit = walk.parseCommit(base);
      DirCache index = DirCache.read(reader, baseCommit.getTree());
      DirCacheEditor editor = index.editor();
      for (Map.Entry<String, String> file : sorted.entrySet()) {
        if (file.getValue() == null) {
          editor.add(new DirCacheEditor.DeletePath(file.getKey()));
          continue;
        }
        ObjectId blob =
            inserter.insert(Constants.OBJ_BLOB, file.getValue().getBytes(StandardCharsets.UTF_8));
        editor.add(
            new DirCacheEditor.PathEdit(file.getKey()) {
              @Override
              public void apply(DirCacheEntry entry) {
                if (entry.getFileMode() != FileMode.EXECUTABLE_FILE) {
                  entry.setFileMode(FileMode.REGULAR_FILE);
                }
                entry.setObjectId(blob);
              }
            });
      }
      editor.finish();
      ObjectId treeId = index.writeTree(inserter);
      // Commits are built from objects directly: no hooks, no user config, and never signed.
      PersonIdent ident =
          new PersonIdent(
              settings.authorName(), settings.authorEmail(), Instant.now(), ZoneOffset.UTC);
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(treeId);
      commit.setParentId(baseCommit);
      commit.setAuthor(ident);
      commit.setCommitter(ident);
      commit.setMessage(message);
      commitId = inserter.insert(commit);
      inserter.flush();
    } catch (GitException e) {
      throw e;
    } catch (IOException e) {
      throw failure("cannot build the commit for branch '" + branchName + "'", e, call);
    }
    try {
      call = transport.begin();
      String spec = (force ? "+" : "") + commitId.name() + ":" + Constants.R_HEADS + branchName;
      Iterable<PushResult> results =
          call.configure(git.push())
              .setRemote(settings.url())
              .setRefSpecs(new RefSpec(spec))
              .setForce(force)
              .call();
      for (PushResult result : results) {
        for (RemoteRefUpdate update : result.getRemoteUpdates()) {
          RemoteRefUpdate.Status status = update.getStatus();
          if (status != RemoteRefUpdate.Status.OK && status != RemoteRefUpdate.Status.UP_TO_DATE) {
            throw new GitPushRejectedException(
                settings.redactedUrl(), branchName, status.name(), call.text(update.getMessage()));
          }
        }
      }
      LOG.info("Pushed {} to branch {} of {}", commitId.name(), branchName, settings.redactedUrl());
      return commitId.name();
    } catch (GitException e) {
      throw e;
    } catch (Exception e) {
      throw failure("cannot push branch '" + branchName + "'", e, call);
    }
  }

  @Override
  public synchronized void close() {
    if (git != null) {
      git.close();
      git = null;
    }
    transport.close();
  }

  // --- internals

  /**
   * After a failed first clone, empties the work directory again (it was empty before) so that the
   * next try clones afresh instead of opening a half-made clone.
   */
  private void abandonPartialClone(Path workDir) {
    if (git != null) {
      git.close();
      git = null;
    }
    try (Stream<Path> walk = Files.walk(workDir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        if (!p.equals(workDir)) {
          Files.delete(p);
        }
      }
    } catch (IOException e) {
      LOG.warn("Could not remove the partial clone in {}: {}", workDir, e.toString());
    }
  }

  private void ensureOpen() {
    if (git == null) {
      open();
    }
  }

  private String currentHead() {
    try {
      ObjectId id = git.getRepository().resolve(Constants.HEAD);
      return id == null ? null : id.name();
    } catch (IOException e) {
      throw failure("cannot read HEAD", e);
    }
  }

  private String moveWorkTreeTo(ObjectId commit) throws Exception {
    Repository repo = git.getRepository();
    try (RevWalk walk = new RevWalk(repo)) {
      refuseSymlinks(walk.parseCommit(commit));
    }
    String branchRef = Constants.R_HEADS + settings.branch();
    if (repo.exactRef(branchRef) == null) {
      git.branchCreate().setName(settings.branch()).setStartPoint(commit.name()).call();
    }
    if (!branchRef.equals(repo.getFullBranch())) {
      git.checkout().setName(settings.branch()).setForced(true).call();
    }
    git.reset().setMode(ResetCommand.ResetType.HARD).setRef(commit.name()).call();
    git.clean().setCleanDirectories(true).setForce(true).call();
    pruneEmptyDirectories(settings.workDir());
    return commit.name();
  }

  /**
   * Git does not track directories: a reset leaves the emptied directories of deleted files behind,
   * and an empty {@code clusters/<name>/} would look like a cluster without its file.
   */
  private static void pruneEmptyDirectories(Path root) throws IOException {
    List<Path> dirs;
    try (Stream<Path> walk = Files.walk(root)) {
      dirs =
          walk.filter(Files::isDirectory)
              .filter(d -> !d.equals(root))
              .filter(d -> !root.relativize(d).startsWith(Constants.DOT_GIT))
              .sorted(java.util.Comparator.reverseOrder())
              .toList();
    }
    for (Path dir : dirs) {
      if (isEmpty(dir)) {
        Files.delete(dir);
      }
    }
  }

  /**
   * Refuses a commit that holds a symbolic link before any of its files is written: a link in the
   * work tree would let a fleet file show a host file.
   */
  private void refuseSymlinks(RevCommit commit) throws IOException {
    List<String> links = CommitTrees.symlinks(git.getRepository(), commit);
    if (!links.isEmpty()) {
      throw new UnsafeCommitException(settings.redactedUrl(), commit.name(), links);
    }
  }

  private void pointOriginAtSettings() throws IOException {
    StoredConfig config = git.getRepository().getConfig();
    if (!settings.url().equals(config.getString("remote", "origin", "url"))) {
      config.setString("remote", "origin", "url", settings.url());
      config.save();
    }
  }

  private ObjectId resolveId(String revision) throws IOException {
    if (revision == null || revision.isBlank()) {
      throw new GitException(settings.redactedUrl(), "no revision given", null);
    }
    ObjectId id = CommitTrees.resolve(git.getRepository(), revision);
    if (id == null) {
      throw new GitException(
          settings.redactedUrl(),
          "unknown revision '" + revision + "' in " + settings.workDir() + "; fetch first",
          null);
    }
    return id;
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  private void validateBranch(String branchName) {
    if (branchName == null
        || branchName.isBlank()
        || !org.eclipse.jgit.lib.Repository.isValidRefName(Constants.R_HEADS + branchName)) {
      throw new IllegalArgumentException(
          "invalid branch name '" + branchName + "'; use e.g. fleetwarden/drift-<fingerprint>");
    }
    if (branchName.equals(settings.branch())) {
      throw new IllegalArgumentException(
          "refusing to push to the tracked branch '"
              + branchName
              + "'; remediation goes through a separate branch and a pull request");
    }
  }

  /** Normalizes a repo-relative path and refuses anything that could leave the repo. */
  static String safePath(String path) {
    if (path == null || path.isBlank()) {
      throw new UnsafePathException(String.valueOf(path), "empty path");
    }
    if (path.startsWith("/") || path.contains("\\") || path.matches("^[A-Za-z]:.*")) {
      throw new UnsafePathException(path, "absolute paths and backslashes are not allowed");
    }
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        throw new UnsafePathException(path, "'..' would leave the repo");
      }
      if (part.equalsIgnoreCase(Constants.DOT_GIT)) {
        throw new UnsafePathException(path, "paths inside .git are not allowed");
      }
      if (part.indexOf('\0') >= 0) {
        throw new UnsafePathException(path, "NUL character");
      }
      parts.add(part);
    }
    if (parts.isEmpty()) {
      throw new UnsafePathException(path, "empty path");
    }
    return String.join("/", parts);
  }

  private GitException failure(String what, Exception e, GitTransport.Call call) {
    return new GitException(
        settings.redactedUrl(),
        what + " (" + settings.redactedUrl() + "): " + call.detail(e),
        call.redacted(e));
  }

  /** For failures before or without a remote call: nothing secret was read. */
  private GitException failure(String what, Exception e) {
    return failure(what, e, transport.local());
  }
}

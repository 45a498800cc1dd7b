package dev.fleetwarden.remediate;

import dev.fleetwarden.git.GitException;
import dev.fleetwarden.git.GitSettings;
import dev.fleetwarden.git.GitTransport;
import dev.fleetwarden.git.WorkTrees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.URIish;

/**
 * {@link BranchPublisher} over JGit: a working clone of the fleet remote in {@code workDir}
 * (created on first use), branches built on the fetched base head, commits by a fixed author with
 * signing off, and every push's {@link RemoteRefUpdate.Status} checked (JGit reports a rejected
 * push as a status, not an exception). Every remote call authenticates through the same {@link
 * GitTransport} as the fleet repository (HTTPS token, or SSH key with known_hosts), and failure
 * texts never carry the token or key material. Not thread-safe: one publisher per working
 * directory.
 */
public final class JGitBranchPublisher implements BranchPublisher {
  /** Author of remediation commits unless configured otherwise. */
  public static final PersonIdent DEFAULT_AUTHOR =
      new PersonIdent("fleetwarden", "fleetwarden@users.noreply");

  private static final String REMOTE = "origin";

  private final String remoteUri;
  private final String baseBranch;
  private final Path workDir;
  private final GitTransport transport;
  private final PersonIdent author;

  /**
   * @param remoteUri the fleet remote (file://, https://, ssh://)
   * @param baseBranch the branch pull requests target
   * @param workDir directory of the working clone (fleetwarden's own; created when missing)
   * @param transport how to authenticate to {@code remoteUri} (its URL is not used); null for
   *     remotes that need no credentials (local paths, {@code file://}). The caller closes it.
   * @param author commit author and committer; null for {@link #DEFAULT_AUTHOR}
   */
  public JGitBranchPublisher(
      String remoteUri,
      String baseBranch,
      Path workDir,
      GitTransport transport,
      PersonIdent author) {
    this.remoteUri = remoteUri;
    this.baseBranch = baseBranch;
    this.workDir = workDir;
    this.transport =
        transport == null
            ? new GitTransport(GitSettings.of(remoteUri, baseBranch, workDir))
            : transport;
    this.author = author == null ? DEFAULT_AUTHOR : author;
  }

  /** Publishes to the transport's remote URL with its credentials. */
  public JGitBranchPublisher(
      GitTransport transport, String baseBranch, Path workDir, PersonIdent author) {
    this(transport.url(), baseBranch, workDir, transport, author);
  }

  @Override
  public BaseCheckout fetchBase() throws PublishException {
    GitTransport.Call call = begin(null);
    try (Git git = open(call)) {
      call.configure(git.fetch())
          .setRemote(REMOTE)
          .setRefSpecs(
              new RefSpec(
                  "+refs/heads/" + baseBranch + ":refs/remotes/" + REMOTE + "/" + baseBranch))
          .call();
      Ref base = git.getRepository().findRef("refs/remotes/" + REMOTE + "/" + baseBranch);
      if (base == null) {
        throw new PublishException(
            null,
            "the fleet remote has no branch "
                + baseBranch
                + "; set fleet.yaml spec.pullRequests.baseBranch to an existing branch",
            null);
      }
      checkoutClean(git, base.getObjectId().name());
      return new BaseCheckout(workDir, base.getObjectId().name());
    } catch (GitAPIException | IOException e) {
      throw new PublishException(
          null,
          "cannot fetch "
              + baseBranch
              + " from the fleet remote "
              + transport.redactedUrl()
              + ": "
              + call.detail(e)
              + "; check that the branch exists (fleet.yaml spec.pullRequests.baseBranch)",
          call.redacted(e));
    }
  }

  @Override
  public String publish(
      String branch, String baseCommit, Map<String, String> files, String message, boolean force)
      throws PublishException {
    GitTransport.Call call = begin(branch);
    try (Git git = open(call)) {
      checkoutClean(git, baseCommit);
      for (Map.Entry<String, String> e : files.entrySet()) {
        String rel = RepoPaths.normalize(e.getKey());
        Path file = RepoPaths.resolve(workDir, rel);
        Files.createDirectories(file.getParent());
        Files.writeString(file, e.getValue(), StandardCharsets.UTF_8);
        git.add().addFilepattern(rel).call();
      }
      PersonIdent when = new PersonIdent(author, new java.util.Date());
      RevCommit commit =
          git.commit()
              .setMessage(message)
              .setAuthor(when)
              .setCommitter(when)
              .setSign(false)
              .setAllowEmpty(false)
              .call();
      push(git, call, (force ? "+" : "") + commit.name() + ":refs/heads/" + branch, branch);
      checkoutClean(git, baseCommit);
      return commit.name();
    } catch (GitAPIException | IOException e) {
      throw new PublishException(
          branch,
          "cannot build or push branch "
              + branch
              + " to "
              + transport.redactedUrl()
              + ": "
              + call.detail(e),
          call.redacted(e));
    }
  }

  @Override
  public Optional<String> remoteHead(String branch) throws PublishException {
    GitTransport.Call call = begin(branch);
    try {
      Map<String, Ref> refs =
          call.configure(Git.lsRemoteRepository()).setRemote(remoteUri).setHeads(true).callAsMap();
      Ref ref = refs.get("refs/heads/" + branch);
      return ref == null ? Optional.empty() : Optional.of(ref.getObjectId().name());
    } catch (GitAPIException e) {
      throw new PublishException(
          branch,
          "cannot list the branches of the fleet remote "
              + transport.redactedUrl()
              + ": "
              + call.detail(e),
          call.redacted(e));
    }
  }

  @Override
  public void delete(String branch) throws PublishException {
    if (remoteHead(branch).isEmpty()) {
      return;
    }
    GitTransport.Call call = begin(branch);
    try (Git git = open(call)) {
      push(git, call, ":refs/heads/" + branch, branch);
    } catch (GitAPIException | IOException e) {
      throw new PublishException(
          branch,
          "cannot delete branch "
              + branch
              + " of "
              + transport.redactedUrl()
              + ": "
              + call.detail(e),
          call.redacted(e));
    }
  }

  /** The credentials for one operation; a token that cannot be read fails it with its reason. */
  private GitTransport.Call begin(String branch) throws PublishException {
    try {
      return transport.begin();
    } catch (GitException e) {
      throw new PublishException(branch, e.getMessage(), null);
    }
  }

  private void push(Git git, GitTransport.Call call, String refSpec, String branch)
      throws GitAPIException, BranchRejectedException {
    Iterable<PushResult> results =
        call.configure(git.push()).setRemote(REMOTE).setRefSpecs(new RefSpec(refSpec)).call();
    for (PushResult result : results) {
      for (RemoteRefUpdate update : result.getRemoteUpdates()) {
        RemoteRefUpdate.Status status = update.getStatus();
        if (status != RemoteRefUpdate.Status.OK
            && status != RemoteRefUpdate.Status.UP_TO_DATE
            && status != RemoteRefUpdate.Status.NON_EXISTING) {
          throw new BranchRejectedException(branch, status.name(), update.getMessage());
        }
      }
    }
  }

  private Git open(GitTransport.Call call) throws GitAPIException, IOException {
    if (!Files.isDirectory(workDir.resolve(".git"))) {
      Files.createDirectories(workDir);
      // No checkout yet: links in the fleet repo must never become links on this host.
      Git clone =
          call.configure(Git.cloneRepository())
              .setURI(remoteUri)
              .setDirectory(workDir.toFile())
              .setRemote(REMOTE)
              .setBranch(baseBranch)
              .setNoCheckout(true)
              .call();
      WorkTrees.neverCheckOutSymlinks(clone.getRepository());
      return clone;
    }
    Git git = Git.open(workDir.toFile());
    WorkTrees.neverCheckOutSymlinks(git.getRepository());
    StoredConfig config = git.getRepository().getConfig();
    if (!remoteUri.equals(config.getString("remote", REMOTE, "url"))) {
      try {
        git.remoteSetUrl().setRemoteName(REMOTE).setRemoteUri(new URIish(remoteUri)).call();
      } catch (java.net.URISyntaxException e) {
        git.close();
        throw new IOException("the configured fleet remote is not a Git URL", e);
      }
    }
    return git;
  }

  private static void checkoutClean(Git git, String commit) throws GitAPIException, IOException {
    ObjectId id = git.getRepository().resolve(commit);
    if (id == null) {
      throw new IOException("commit " + commit + " is not in the working clone; fetch the base");
    }
    if (git.getRepository().resolve(org.eclipse.jgit.lib.Constants.HEAD) != null) {
      git.reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).call();
    }
    git.clean().setCleanDirectories(true).setForce(true).call();
    git.checkout().setForced(true).setName(id.name()).call();
  }
}

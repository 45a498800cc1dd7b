package dev.fleetwarden.remediate;

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
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * {@link BranchPublisher} over JGit: a working clone of the fleet remote in {@code workDir}
 * (created on first use), branches built on the fetched base head, commits by a fixed author with
 * signing off, and every push's {@link RemoteRefUpdate.Status} checked (JGit reports a rejected
 * push as a status, not an exception). Not thread-safe: one publisher per working directory.
 */
public final class JGitBranchPublisher implements BranchPublisher {
  /** Author of remediation commits unless configured otherwise. */
  public static final PersonIdent DEFAULT_AUTHOR =
      new PersonIdent("fleetwarden", "fleetwarden@users.noreply");

  private static final String REMOTE = "origin";

  private final String remoteUri;
  private final String baseBranch;
  private final Path workDir;
  private final CredentialsProvider credentials;
  private final PersonIdent author;

  /**
   * @param remoteUri the fleet remote (file://, https://, ssh://)
   * @param baseBranch the branch pull requests target
   * @param workDir directory of the working clone (fleetwarden's own; created when missing)
   * @param credentials null for remotes that need none; see {@link #tokenCredentials}
   * @param author commit author and committer; null for {@link #DEFAULT_AUTHOR}
   */
  public JGitBranchPublisher(
      String remoteUri,
      String baseBranch,
      Path workDir,
      CredentialsProvider credentials,
      PersonIdent author) {
    this.remoteUri = remoteUri;
    this.baseBranch = baseBranch;
    this.workDir = workDir;
    this.credentials = credentials;
    this.author = author == null ? DEFAULT_AUTHOR : author;
  }

  /** HTTPS token credentials (GitHub accepts any user name with a token as password). */
  public static CredentialsProvider tokenCredentials(String token) {
    return new UsernamePasswordCredentialsProvider("x-access-token", token);
  }

  @Override
  public BaseCheckout fetchBase() throws PublishException {
    try (Git git = open()) {
      git.fetch()
          .setRemote(REMOTE)
          .setCredentialsProvider(credentials)
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
              + " from the fleet remote: "
              + e.getMessage()
              + "; check the remote URL, its credentials, and that the branch exists"
              + " (fleet.yaml spec.pullRequests.baseBranch)",
          e);
    }
  }

  @Override
  public String publish(
      String branch, String baseCommit, Map<String, String> files, String message, boolean force)
      throws PublishException {
    try (Git git = open()) {
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
      push(git, (force ? "+" : "") + commit.name() + ":refs/heads/" + branch, branch);
      checkoutClean(git, baseCommit);
      return commit.name();
    } catch (GitAPIException | IOException e) {
      throw new PublishException(
          branch, "cannot build or push branch " + branch + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<String> remoteHead(String branch) throws PublishException {
    try {
      Map<String, Ref> refs =
          Git.lsRemoteRepository()
              .setRemote(remoteUri)
              .setCredentialsProvider(credentials)
              .setHeads(true)
              .callAsMap();
      Ref ref = refs.get("refs/heads/" + branch);
      return ref == null ? Optional.empty() : Optional.of(ref.getObjectId().name());
    } catch (GitAPIException e) {
      throw new PublishException(
          branch, "cannot list the branches of the fleet remote: " + e.getMessage(), e);
    }
  }

  @Override
  public void delete(String branch) throws PublishException {
    if (remoteHead(branch).isEmpty()) {
      return;
    }
    try (Git git = open()) {
      push(git, ":refs/heads/" + branch, branch);
    } catch (GitAPIException | IOException e) {
      throw new PublishException(branch, "cannot delete branch " + branch + ": " + e, e);
    }
  }

  private void push(Git git, String refSpec, String branch)
      throws GitAPIException, BranchRejectedException {
    Iterable<PushResult> results =
        git.push()
            .setRemote(REMOTE)
            .setCredentialsProvider(credentials)
            .setRefSpecs(new RefSpec(refSpec))
            .call();
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

  private Git open() throws GitAPIException, IOException {
    if (!Files.isDirectory(workDir.resolve(".git"))) {
      Files.createDirectories(workDir);
      // No checkout yet: links in the fleet repo must never become links on this host.
      Git clone =
          Git.cloneRepository()
              .setURI(remoteUri)
              .setDirectory(workDir.toFile())
              .setCredentialsProvider(credentials)
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

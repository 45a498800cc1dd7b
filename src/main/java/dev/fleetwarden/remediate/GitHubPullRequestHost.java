package dev.fleetwarden.remediate;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;

/**
 * {@link PullRequestHost} over the GitHub REST API (hub4j {@code github-api}). The API URL is
 * configurable for GitHub Enterprise ({@code https://HOST/api/v3}). The token is held only by the
 * client and never appears in messages or logs.
 */
public final class GitHubPullRequestHost implements PullRequestHost {
  private final String repository;
  private final String owner;
  private final GitHub github;
  private GHRepository repo;

  /**
   * @param apiUrl e.g. {@code https://api.github.com}
   * @param repository {@code owner/name}
   * @param token a token with pull-request write access to the repository
   * @param login the token's user (saves the client a {@code GET /user} at start)
   */
  public GitHubPullRequestHost(String apiUrl, String repository, String token, String login)
      throws HostException {
    if (repository == null || !repository.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
      throw new HostException(
          "pull request repository '"
              + repository
              + "' is not owner/name; fix fleet.yaml spec.pullRequests.repository",
          null);
    }
    this.repository = repository;
    this.owner = repository.substring(0, repository.indexOf('/'));
    try {
      this.github =
          new GitHubBuilder()
              .withEndpoint(apiUrl)
              .withOAuthToken(token, login == null ? "fleetwarden" : login)
              .build();
    } catch (IOException e) {
      throw new HostException("cannot set up the GitHub client for " + apiUrl, e);
    }
  }

  @Override
  public Optional<PullRequest> findOpen(String headBranch) throws HostException {
    try {
      List<GHPullRequest> prs =
          repo()
              .queryPullRequests()
              .head(owner + ":" + headBranch)
              .state(GHIssueState.OPEN)
              .list()
              .toList();
      for (GHPullRequest pr : prs) {
        if (headBranch.equals(pr.getHead().getRef())) {
          return Optional.of(info(pr, Status.OPEN));
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw failure("list open pull requests of " + headBranch, e);
    }
  }

  @Override
  public PullRequest create(NewPullRequest request) throws HostException {
    try {
      GHPullRequest pr =
          repo()
              .createPullRequest(
                  request.title(), request.headBranch(), request.baseBranch(), request.body());
      if (!request.labels().isEmpty()) {
        pr.addLabels(request.labels().toArray(String[]::new));
      }
      return info(pr, Status.OPEN);
    } catch (IOException e) {
      throw failure("open a pull request from " + request.headBranch(), e);
    }
  }

  @Override
  public void comment(int number, String body) throws HostException {
    try {
      repo().getPullRequest(number).comment(body);
    } catch (IOException e) {
      throw failure("comment on pull request #" + number, e);
    }
  }

  @Override
  public void close(int number, String comment) throws HostException {
    try {
      GHPullRequest pr = repo().getPullRequest(number);
      pr.comment(comment);
      pr.close();
    } catch (IOException e) {
      throw failure("close pull request #" + number, e);
    }
  }

  @Override
  public PullRequest get(int number) throws HostException {
    try {
      GHPullRequest pr = repo().getPullRequest(number);
      Status status =
          pr.isMerged()
              ? Status.MERGED
              : pr.getState() == GHIssueState.OPEN ? Status.OPEN : Status.CLOSED;
      return info(pr, status);
    } catch (IOException e) {
      throw failure("read pull request #" + number, e);
    }
  }

  private GHRepository repo() throws IOException {
    if (repo == null) {
      repo = github.getRepository(repository);
    }
    return repo;
  }

  private static PullRequest info(GHPullRequest pr, Status status) {
    return new PullRequest(
        pr.getNumber(),
        pr.getHtmlUrl() == null ? null : pr.getHtmlUrl().toString(),
        status,
        pr.getHead() == null ? null : pr.getHead().getRef());
  }

  private HostException failure(String step, IOException e) {
    return new HostException(
        "GitHub: cannot "
            + step
            + " in "
            + repository
            + ": "
            + e.getMessage()
            + "; check github.apiUrl, the token's access to the repository, and GitHub's status",
        e);
  }
}

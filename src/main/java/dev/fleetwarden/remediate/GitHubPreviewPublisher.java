package dev.fleetwarden.remediate;

import dev.fleetwarden.model.CheckRun;
import dev.fleetwarden.remediate.PullRequestHost.HostException;
import java.io.IOException;
import java.util.Date;
import java.util.Locale;
import org.kohsuke.github.GHCheckRun;
import org.kohsuke.github.GHCheckRunBuilder;
import org.kohsuke.github.GHCommitState;
import org.kohsuke.github.GHFileNotFoundException;
import org.kohsuke.github.GHIssue;
import org.kohsuke.github.GHIssueComment;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PreviewPublisher} over the GitHub REST API (hub4j {@code github-api}), GitHub Enterprise
 * included. The comment is found among the pull request's comments by its marker at the very start
 * of the body and by its author: the token's own user ({@code GET /user}), or for a GitHub App's
 * token, which has no user, a bot account. A comment someone else wrote is never edited, whatever
 * it holds. Check runs need a GitHub App's token; with a personal token GitHub refuses them (403),
 * and the check becomes a commit status of the same name (no neutral conclusion there: neutral is
 * posted as success, its description saying why; no annotations).
 */
public final class GitHubPreviewPublisher implements PreviewPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(GitHubPreviewPublisher.class);

  private final String repository;
  private final GitHub github;
  private GHRepository repo;
  private String self;
  private boolean selfKnown;

  /**
   * @param apiUrl e.g. {@code https://api.github.com}
   * @param repository {@code owner/name}
   * @param token a token that may comment on pull requests and write checks
   */
  public GitHubPreviewPublisher(String apiUrl, String repository, String token)
      throws HostException {
    if (repository == null || !repository.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
      throw new HostException(
          "pull request repository '"
              + repository
              + "' is not owner/name; fix fleet.yaml spec.pullRequests.repository",
          null);
    }
    this.repository = repository;
    try {
      this.github =
          new GitHubBuilder().withEndpoint(apiUrl).withOAuthToken(token, "fleetwarden").build();
    } catch (IOException e) {
      throw new HostException("cannot set up the GitHub client for " + apiUrl, e);
    }
  }

  @Override
  public synchronized String upsertComment(int number, String marker, String body)
      throws HostException {
    try {
      GHIssue issue = repo().getIssue(number);
      GHIssueComment mine = null;
      for (GHIssueComment c : issue.listComments()) {
        if (c.getBody() != null && c.getBody().startsWith(marker) && writtenByUs(c.getUserName())) {
          mine = c;
          break;
        }
      }
      if (mine == null) {
        return url(issue.comment(body));
      }
      if (!body.equals(mine.getBody())) {
        mine.update(body);
      }
      return url(mine);
    } catch (IOException e) {
      throw failure("write the preview comment on pull request #" + number, e);
    }
  }

  @Override
  public synchronized void publishCheck(String commit, CheckRun run) throws HostException {
    try {
      GHCheckRunBuilder.Output output =
          new GHCheckRunBuilder.Output(cap(run.title(), 255), cap(run.summary(), 65_535));
      for (CheckRun.Annotation a : run.annotations()) {
        GHCheckRunBuilder.Annotation annotation =
            new GHCheckRunBuilder.Annotation(
                a.file(),
                Math.max(1, a.line()),
                a.failure()
                    ? GHCheckRun.AnnotationLevel.FAILURE
                    : GHCheckRun.AnnotationLevel.WARNING,
                cap(a.message(), 64 * 1024));
        output.add(annotation);
      }
      repo()
          .createCheckRun(run.name(), commit)
          .withStatus(GHCheckRun.Status.COMPLETED)
          .withConclusion(conclusion(run.conclusion()))
          .withCompletedAt(new Date())
          .add(output)
          .create();
    } catch (HttpException e) {
      if (e.getResponseCode() != 403) {
        throw failure("create check run " + run.name() + " on " + commit, e);
      }
      LOG.info(
          "GitHub refused a check run (a GitHub App's token is needed); posting a commit status"
              + " instead");
      status(commit, run);
    } catch (IOException e) {
      throw failure("create check run " + run.name() + " on " + commit, e);
    }
  }

  private void status(String commit, CheckRun run) throws HostException {
    GHCommitState state =
        run.conclusion() == CheckRun.Conclusion.FAILURE
            ? GHCommitState.FAILURE
            : GHCommitState.SUCCESS;
    try {
      repo().createCommitStatus(commit, state, null, cap(run.title(), 140), run.name());
    } catch (IOException e) {
      throw failure("set commit status " + run.name() + " on " + commit, e);
    }
  }

  private boolean writtenByUs(String login) throws IOException {
    if (login == null) {
      return false;
    }
    if (!selfKnown) {
      try {
        self = github.getMyself().getLogin();
      } catch (GHFileNotFoundException | HttpException e) {
        self = null; // an App's installation token has no user
      }
      selfKnown = true;
    }
    if (self != null) {
      return self.equalsIgnoreCase(login);
    }
    // A GitHub App comments as "<app>[bot]"; no person's login can end so.
    return login.toLowerCase(Locale.ROOT).endsWith("[bot]");
  }

  private static GHCheckRun.Conclusion conclusion(CheckRun.Conclusion c) {
    return switch (c) {
      case SUCCESS -> GHCheckRun.Conclusion.SUCCESS;
      case NEUTRAL -> GHCheckRun.Conclusion.NEUTRAL;
      case FAILURE -> GHCheckRun.Conclusion.FAILURE;
    };
  }

  private static String url(GHIssueComment c) {
    return c.getHtmlUrl() == null ? null : c.getHtmlUrl().toString();
  }

  private static String cap(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  private GHRepository repo() throws IOException {
    if (repo == null) {
      repo = github.getRepository(repository);
    }
    return repo;
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

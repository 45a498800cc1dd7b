package dev.fleetwarden.remediate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * WireMock as the GitHub API of one repository for the pull-request tests, and what a branch they
 * pushed changes.
 */
final class GitHubStub {
  static final String REPO = "/repos/example-org/fleet";
  private final WireMockServer github;

  GitHubStub(WireMockServer github) {
    this.github = github;
  }

  /**
   * A pull request manager on the fleet {@code seed} (its pull-request settings), pushing to {@code
   * remote} from a fresh work directory below {@code tmp}, with this stub as GitHub.
   *
   * @param ignoreRules the ignore-rule planner, or null for none
   */
  PullRequestManager manager(
      Path seed,
      Path remote,
      Path tmp,
      dev.fleetwarden.ledger.PullRequests state,
      IgnoreRulePlanner ignoreRules)
      throws Exception {
    return new PullRequestManager(
        new JGitBranchPublisher(
            remote.toUri().toString(),
            "main",
            tmp.resolve("work-" + System.nanoTime()),
            null,
            null),
        new GitHubPullRequestHost(github.baseUrl(), "example-org/fleet", "token", "bot"),
        state,
        new RemediationPlanner(RemediateFixture.RERENDER),
        dev.fleetwarden.fleet.FleetLoader.load(seed).settings().pullRequests(),
        ignoreRules);
  }

  /** Every cluster's scan in turn (by name), each knowing the fleet's open findings. */
  static java.util.List<PrOutcome> scanAll(
      PullRequestManager m, java.util.List<dev.fleetwarden.ledger.Finding> open) {
    java.util.List<PrOutcome> out = new java.util.ArrayList<>();
    TreeMap<String, java.util.List<dev.fleetwarden.ledger.Finding>> byCluster = new TreeMap<>();
    open.forEach(
        f -> byCluster.computeIfAbsent(f.cluster(), k -> new java.util.ArrayList<>()).add(f));
    byCluster.forEach((c, fs) -> out.addAll(m.reconcile(c, true, fs, Map.of(), open)));
    return out;
  }

  /** The description of the last pull request created. */
  String lastBody() {
    List<com.github.tomakehurst.wiremock.verification.LoggedRequest> posts =
        github.findAll(postRequestedFor(urlEqualTo(REPO + "/pulls")));
    String json = posts.get(posts.size() - 1).getBodyAsString();
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).path("body").asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The files a branch's head changes against {@code baseRevision}, with their new content. */
  static Map<String, String> changedFiles(Path remote, String baseRevision, String branch)
      throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Git git = Git.open(remote.toFile())) {
      Repository repo = git.getRepository();
      ObjectId head = repo.resolve("refs/heads/" + branch);
      assertThat(head).as("branch %s pushed", branch).isNotNull();
      try (RevWalk walk = new RevWalk(repo)) {
        RevCommit commit = walk.parseCommit(head);
        RevCommit base = walk.parseCommit(repo.resolve(baseRevision));
        try (TreeWalk tw = new TreeWalk(repo)) {
          tw.addTree(base.getTree());
          tw.addTree(commit.getTree());
          tw.setRecursive(true);
          while (tw.next()) {
            if (!tw.getObjectId(0).equals(tw.getObjectId(1))) {
              out.put(
                  tw.getPathString(),
                  tw.getObjectId(1).equals(ObjectId.zeroId())
                      ? null
                      : new String(repo.open(tw.getObjectId(1)).getBytes()));
            }
          }
        }
      }
    }
    return out;
  }

  /** The repository, and no open pull request for any branch. */
  void stubRepository() {
    github.stubFor(
        get(urlEqualTo(REPO))
            .willReturn(
                json(
                    "{\"id\":1,\"name\":\"fleet\",\"full_name\":\"example-org/fleet\","
                        + "\"owner\":{\"login\":\"example-org\",\"id\":2},"
                        + "\"url\":\""
                        + github.baseUrl()
                        + REPO
                        + "\",\"html_url\":\"https://github.example/example-org/fleet\"}")));
    github.stubFor(get(urlPathEqualTo(REPO + "/pulls")).atPriority(10).willReturn(json("[]")));
  }

  /** An open pull request {@code number} found by its branch. */
  void stubOpenList(int number, String branch) {
    github.stubFor(
        get(urlPathEqualTo(REPO + "/pulls"))
            .withQueryParam("head", equalTo("example-org:" + branch))
            .atPriority(1)
            .willReturn(json("[" + pr(number, branch, "open") + "]")));
  }

  /** Creating, labelling, commenting on, reading and closing pull request {@code number}. */
  void stubPullRequest(int number, String branch) {
    github.stubFor(
        post(urlEqualTo(REPO + "/pulls"))
            .withRequestBody(matchingJsonPath("$.head", equalTo(branch)))
            .willReturn(json(pr(number, branch, "open")).withStatus(201)));
    github.stubFor(
        post(urlEqualTo(REPO + "/issues/" + number + "/labels"))
            .willReturn(json("[{\"name\":\"drift\"}]")));
    github.stubFor(
        post(urlEqualTo(REPO + "/issues/" + number + "/comments"))
            .willReturn(json("{\"id\":" + (900 + number) + ",\"body\":\"ok\"}").withStatus(201)));
    github.stubFor(
        get(urlEqualTo(REPO + "/pulls/" + number))
            .atPriority(5)
            .willReturn(json(pr(number, branch, "open"))));
    github.stubFor(
        patch(urlEqualTo(REPO + "/pulls/" + number))
            .willReturn(json(pr(number, branch, "closed"))));
  }

  /** A pull request as GitHub answers it (not merged). */
  String pr(int number, String branch, String prState) {
    return pr(number, branch, prState, false);
  }

  /** A pull request as GitHub answers it. */
  String pr(int number, String branch, String prState, boolean merged) {
    return "{\"id\":"
        + (1000 + number)
        + ",\"number\":"
        + number
        + ",\"state\":\""
        + prState
        + "\",\"merged\":"
        + merged
        + ",\"title\":\"t\",\"url\":\""
        + github.baseUrl()
        + REPO
        + "/pulls/"
        + number
        + "\",\"html_url\":\"https://github.example/example-org/fleet/pull/"
        + number
        + "\",\"head\":{\"ref\":\""
        + branch
        + "\",\"sha\":\"abc\"},\"base\":{\"ref\":\"main\",\"sha\":\"def\"}}";
  }

  static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
    return aResponse().withHeader("Content-Type", "application/json").withBody(body);
  }
}

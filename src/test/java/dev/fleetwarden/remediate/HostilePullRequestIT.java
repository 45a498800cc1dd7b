package dev.fleetwarden.remediate;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.fleetwarden.HostileStrings;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.fleet.FleetSettings;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.InMemoryPullRequests;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile live value and field manager of a ConfigMap through the real pull request flow (real
 * drift engine, renderer, JGit remote, GitHub client against WireMock): the pull request's title,
 * body and commit message show them without letting them add HTML, links, images, mentions or
 * lines; a 1 MB live value is never written into the fleet repo.
 */
class HostilePullRequestIT {
  private static final String REPO = GitHubStub.REPO;
  private static final String CONFIG_MAP = "prod-1/ConfigMap/policy-system/policy-settings";
  private static final String HOSTILE =
      "audit`](https://evil.example) <img src=x onerror=alert(1)> @here @octocat #1"
          + "\n- [x] approved\n\n<script>x</script>\u001b[31m";
  private static final String MANAGER = "kubectl @octocat [me](https://evil.example)\n# merged";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  WireMockServer github;
  GitHubStub stub;
  Path remote;
  Path seed;
  FleetSettings.PullRequestSettings settings;
  JGitBranchPublisher publisher;
  GitHubPullRequestHost host;

  @BeforeEach
  void setUp() throws Exception {
    github = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    github.start();
    remote = tmp.resolve("remote.git");
    seed = RemediateFixture.copy(tmp.resolve("seed"));
    RemediateFixture.pushAsRemote(seed, remote);
    settings = FleetLoader.load(seed).settings().pullRequests();
    publisher =
        new JGitBranchPublisher(remote.toUri().toString(), "main", tmp.resolve("work"), null, null);
    host = new GitHubPullRequestHost(github.baseUrl(), "example-org/fleet", "ghp_test", "bot");
    stub = new GitHubStub(github);
    stub.stubRepository();
  }

  @AfterEach
  void stop() {
    github.stop();
  }

  private Finding hostileConfigMap(String live, String manager) {
    var drift =
        RemediateFixture.drift(
            seed,
            CONFIG_MAP,
            o -> {
              ((ObjectNode) o.path("data")).put("mode", live);
              RemediateFixture.managedBy(
                  o, manager, "2026-11-23T08:00:00Z", "{\"f:data\":{\"f:mode\":{}}}");
            });
    return Finding.observed(drift, Instant.EPOCH, null);
  }

  private PullRequestManager manager() {
    return new PullRequestManager(
        publisher,
        host,
        new InMemoryPullRequests(),
        new RemediationPlanner(RemediateFixture.RERENDER),
        settings);
  }

  @Test
  void titleBodyAndCommitShowTheValueButCannotMarkUpOrMention() throws Exception {
    Finding drift = hostileConfigMap(HOSTILE, MANAGER);
    String branch = PullRequestText.branch("prod-1", drift.fingerprint());
    stub.stubPullRequest(21, branch);

    List<PrOutcome> outcomes = manager().reconcile("prod-1", true, List.of(drift));
    assertThat(outcomes)
        .singleElement()
        .satisfies(o -> assertThat(o.action()).as(o.detail()).isEqualTo(PrOutcome.Action.CREATED));

    LoggedRequest create = github.findAll(postRequestedFor(urlEqualTo(REPO + "/pulls"))).get(0);
    JsonNode request = JSON.readTree(create.getBodyAsString());
    String title = request.path("title").asText();
    String body = request.path("body").asText();
    assertThat(title).doesNotContain("`").doesNotContain("\n");
    assertInertMarkdown(body);
    assertThat(body)
        .as("the value is there for the reviewer, inside a code span")
        .contains("`audit\u02cb](https://evil.example) <img src=x onerror=alert(1)> @here");
    assertThat(body).contains("kubectl @\u200boctocat \\[me\\]\\(https:\u200b//evil.example\\)");

    RevCommit commit = remoteCommit(branch);
    String message = commit.getFullMessage();
    assertThat(message).doesNotContain("\u001b").doesNotContain("`");
    for (String line : message.split("\n")) {
      assertThat(line)
          .doesNotStartWith("- [x]")
          .doesNotStartWith("<script>")
          .doesNotStartWith("# merged");
    }
    assertThat(message.replaceAll("@\u200b", "")).as("no mention").doesNotContain("@");
  }

  @Test
  void aOneMegabyteLiveValueStaysAnAlertAndNothingIsPushed() throws Exception {
    Finding drift = hostileConfigMap(HostileStrings.HUGE, "kubectl-edit");
    String branch = PullRequestText.branch("prod-1", drift.fingerprint());
    stub.stubPullRequest(22, branch);

    List<PrOutcome> outcomes = manager().reconcile("prod-1", true, List.of(drift));

    assertThat(outcomes)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.action()).isEqualTo(PrOutcome.Action.ALERT_ONLY);
              assertThat(o.detail())
                  .contains("/data/mode")
                  .contains(HostileStrings.HUGE_BYTES + " bytes")
                  .contains(RemediationPlanner.DEFAULT_MAX_VALUE_BYTES + " bytes")
                  .hasSizeLessThan(500);
            });
    assertThat(github.findAll(postRequestedFor(urlEqualTo(REPO + "/pulls")))).isEmpty();
    try (Git git = Git.open(remote.toFile())) {
      assertThat(git.getRepository().getRefDatabase().getRefsByPrefix("refs/heads/fleetwarden/"))
          .isEmpty();
    }
  }

  /** Outside code spans nothing starts markup; no value starts a line; code spans are closed. */
  private static void assertInertMarkdown(String body) {
    assertThat(HostileStrings.hasControl(body.replace("\n", ""))).as(body).isFalse();
    for (String line : body.split("\n")) {
      assertThat(line)
          .doesNotStartWith("- [x]")
          .doesNotStartWith("<script>")
          .doesNotStartWith("# merged");
      assertThat(line.chars().filter(c -> c == '`').count() % 2).as(line).isZero();
      String outside = line.replaceAll("`[^`]*`", "").replaceAll("\\\\.", "");
      assertThat(outside.replace("<sub>", "").replace("</sub>", ""))
          .as(line)
          .doesNotContain("<")
          .doesNotContain("](")
          .doesNotContain("![");
      for (int i = outside.indexOf('@'); i >= 0; i = outside.indexOf('@', i + 1)) {
        assertThat(outside.charAt(i + 1)).as("mention in " + line).isEqualTo('\u200b');
      }
    }
  }

  private RevCommit remoteCommit(String branch) throws Exception {
    try (Git git = Git.open(remote.toFile());
        RevWalk walk = new RevWalk(git.getRepository())) {
      Ref ref = git.getRepository().findRef("refs/heads/" + branch);
      assertThat(ref).as("branch %s on the remote", branch).isNotNull();
      return walk.parseCommit(ref.getObjectId());
    }
  }
}

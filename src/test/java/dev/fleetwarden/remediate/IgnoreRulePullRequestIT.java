package dev.fleetwarden.remediate;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.fleetwarden.drift.IgnoreRules;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.ledger.DriftGroups;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.InMemoryPullRequests;
import dev.fleetwarden.ledger.PullRequestState;
import dev.fleetwarden.model.ObjectDrift;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Controller noise becomes an ignore-rule pull request: the same field written by a controller on
 * three clusters, against a real bare Git repository as the fleet remote, the real drift engine for
 * the findings and the ignore matching, and WireMock standing in for GitHub.
 */
class IgnoreRulePullRequestIT {
  private static final String REPO = "/repos/example-org/fleet";
  private static final String INGRESS = "Deployment.apps/ingress-system/ingress-controller";
  private static final String ADDON = "addons/ingress/addon.yaml";
  private static final String MEMORY =
      "/spec/template/spec/containers/name=controller/resources/limits/memory";
  private static final String MEMORY_FIELDS =
      "{\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"controller\\\"}\":"
          + "{\"f:resources\":{\"f:limits\":{\"f:memory\":{}}}}}}}}}";

  @TempDir Path tmp;
  WireMockServer github;
  GitHubStub stub;
  Path remote;
  Path seed;
  String mainHead;
  InMemoryPullRequests state = new InMemoryPullRequests();

  @AfterEach
  void stop() {
    if (github != null) {
      github.stop();
    }
  }

  /** The fixture fleet with every cluster asking for pull requests. */
  private void start() throws Exception {
    github = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    stub = new GitHubStub(github);
    github.start();
    seed = RemediateFixture.copy(RemediateFixture.source(), tmp.resolve("seed"));
    RemediateFixture.write(
        seed,
        "clusters/dev-1/cluster.yaml",
        RemediateFixture.read(seed, "clusters/dev-1/cluster.yaml")
            .replace("remediation: alert", "remediation: pull-request"));
    remote = tmp.resolve("remote.git");
    mainHead = RemediateFixture.pushAsRemote(seed, remote);
    stub.stubRepository();
  }

  private PullRequestManager manager() throws Exception {
    return stub.manager(seed, remote, tmp, state, new IgnoreRulePlanner(IgnoreRules::ignores, 3));
  }

  /** The controller container's memory limit raised to 512Mi by {@code manager}. */
  private Finding memory(String cluster, String manager) {
    ObjectDrift d =
        RemediateFixture.drift(
            seed,
            cluster + "/" + INGRESS,
            o -> {
              ((ObjectNode) o.at("/spec/template/spec/containers/0/resources/limits"))
                  .put("memory", "512Mi");
              RemediateFixture.managedBy(o, manager, "2026-11-30T10:00:00Z", MEMORY_FIELDS);
            });
    return Finding.observed(d, Instant.parse("2026-11-30T10:05:00Z"), null);
  }

  private List<Finding> onEveryCluster(String manager) {
    return List.of(memory("dev-1", manager), memory("prod-1", manager), memory("prod-2", manager));
  }

  @Test
  void aControllerWritingTheSameFieldOnThreeClustersGetsOneIgnoreRulePullRequest()
      throws Exception {
    start();
    List<Finding> open = onEveryCluster("vpa-recommender");
    assertThat(open.get(0).drift().fields())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.path()).isEqualTo(MEMORY);
              assertThat(f.manager()).isEqualTo("vpa-recommender");
            });
    String gfp = DriftGroups.fingerprintOf(open.get(0).drift());
    String branch = PullRequestText.ignoreBranch(gfp);
    stub.stubPullRequest(51, branch);

    List<PrOutcome> out = GitHubStub.scanAll(manager(), open);

    assertThat(out)
        .filteredOn(o -> o.action() == PrOutcome.Action.CREATED)
        .singleElement()
        .satisfies(
            o ->
                assertThat(o.detail())
                    .isEqualTo(
                        "ignore rule by manager in " + ADDON + " for dev-1, prod-1, prod-2"));
    // one pull request, the rule's; no adoption pull request of the group nor of a cluster
    github.verify(1, postRequestedFor(urlEqualTo(REPO + "/pulls")));
    github.verify(
        1,
        postRequestedFor(urlEqualTo(REPO + "/pulls"))
            .withRequestBody(matchingJsonPath("$.head", equalTo(branch))));
    assertThat(state.find(PullRequestState.FLEET, gfp)).isEmpty();
    Map<String, String> files = GitHubStub.changedFiles(remote, mainHead, branch);
    assertThat(files).containsOnlyKeys(ADDON);
    String before = RemediateFixture.read(seed, ADDON);
    assertThat(files.get(ADDON))
        .isEqualTo(
            before.replace(
                "  clusterSelector: {}\n",
                "  clusterSelector: {}\n"
                    + "  drift:\n"
                    + "    ignore:\n"
                    + "      # Written by vpa-recommender on 3 clusters: controller-owned, not drift"
                    + " (fleetwarden drift group "
                    + gfp.substring(0, RemediationPlanner.SHORT_FINGERPRINT)
                    + ").\n"
                    + "      - {group: apps, kind: Deployment, namespace: ingress-system, name:"
                    + " ingress-controller, managers: [vpa-recommender]}\n"));
    // the rule really hides the drift: the fleet loaded from the branch ignores every member's
    Path merged = RemediateFixture.copy(seed, tmp.resolve("merged"));
    RemediateFixture.write(merged, ADDON, files.get(ADDON));
    var rules = FleetLoader.load(merged).addons().get("ingress").ignore();
    for (Finding f : open) {
      assertThat(IgnoreRules.ignores(rules, f.resource(), f.drift().fields().get(0))).isTrue();
    }
    String body = stub.lastBody();
    assertThat(body)
        .contains("`vpa-recommender`")
        .contains("| `dev-1` | 2026-11-30T10:05:00Z | `vpa-recommender at 2026-11-30T10:00:00Z` |")
        .contains("`prod-1`")
        .contains("`prod-2`")
        .contains("512Mi")
        .contains("by field manager")
        .contains("`" + ADDON + "`");
    assertThat(lastTitle())
        .isEqualTo(
            "Ignore vpa-recommender's writes to Deployment.apps/ingress-system/ingress-controller"
                + " (3 clusters)");
    assertThat(state.find(PullRequestState.FLEET, PullRequestManager.IGNORE_KEY + gfp))
        .get()
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(PullRequestState.Status.OPEN);
              assertThat(r.members()).containsExactly("dev-1", "prod-1", "prod-2");
            });
    // the alerts link the rule's pull request
    assertThat(manager().urls("prod-1", List.of(open.get(1))))
        .containsEntry(
            open.get(1).fingerprint(), "https://github.example/example-org/fleet/pull/51");
  }

  @Test
  void theSameChangeByAPersonGetsTheGroupsAdoptionPullRequest() throws Exception {
    start();
    List<Finding> open = onEveryCluster("kubectl-edit");
    String gfp = DriftGroups.fingerprintOf(open.get(0).drift());
    String branch = PullRequestText.groupBranch(gfp);
    stub.stubPullRequest(52, branch);

    List<PrOutcome> out = GitHubStub.scanAll(manager(), open);

    assertThat(out)
        .filteredOn(o -> o.action() == PrOutcome.Action.CREATED)
        .singleElement()
        .satisfies(o -> assertThat(o.fingerprint()).isEqualTo(gfp));
    github.verify(1, postRequestedFor(urlEqualTo(REPO + "/pulls")));
    assertThat(state.find(PullRequestState.FLEET, PullRequestManager.IGNORE_KEY + gfp)).isEmpty();
    assertThat(GitHubStub.changedFiles(remote, mainHead, branch).values())
        .noneMatch(content -> content.contains("ignore:"));
    assertThat(stub.lastBody()).doesNotContain("drift.ignore");
  }

  @Test
  void noDuplicateAfterARestartAndClosedWhenTheDriftIsGoneEverywhere() throws Exception {
    start();
    List<Finding> open = onEveryCluster("vpa-recommender");
    String gfp = DriftGroups.fingerprintOf(open.get(0).drift());
    String branch = PullRequestText.ignoreBranch(gfp);
    stub.stubPullRequest(53, branch);
    GitHubStub.scanAll(manager(), open);

    // a restarted service: a new manager on the same stored state
    List<PrOutcome> again = GitHubStub.scanAll(manager(), open);
    assertThat(again).extracting(PrOutcome::action).containsOnly(PrOutcome.Action.UNCHANGED);
    // the state lost too: the open pull request is found by its branch, not opened again
    state = new InMemoryPullRequests();
    stub.stubOpenList(53, branch);
    List<PrOutcome> lost = GitHubStub.scanAll(manager(), open);
    assertThat(lost).extracting(PrOutcome::action).containsOnly(PrOutcome.Action.UNCHANGED);
    github.verify(1, postRequestedFor(urlEqualTo(REPO + "/pulls")));
    assertThat(state.find(PullRequestState.FLEET, PullRequestManager.IGNORE_KEY + gfp))
        .get()
        .extracting(PullRequestState::number)
        .isEqualTo(53);

    // two clusters back in sync: the pull request stays for the third and says so, nothing else
    // is opened
    List<PrOutcome> one =
        manager().reconcile("prod-1", true, List.of(open.get(1)), Map.of(), List.of(open.get(1)));
    assertThat(one).extracting(PrOutcome::action).containsOnly(PrOutcome.Action.UPDATED);
    github.verify(
        1,
        postRequestedFor(urlEqualTo(REPO + "/issues/53/comments"))
            .withRequestBody(containing("now on `prod-1`")));
    // the last one too: closed, branch deleted
    List<PrOutcome> gone = manager().reconcile("prod-1", true, List.of(), Map.of(), List.of());
    assertThat(gone).extracting(PrOutcome::action).containsExactly(PrOutcome.Action.CLOSED);
    github.verify(1, patchRequestedFor(urlEqualTo(REPO + "/pulls/53")));
    github.verify(1, postRequestedFor(urlEqualTo(REPO + "/pulls")));
    assertThat(state.open(PullRequestState.FLEET)).isEmpty();
    try (Git git = Git.open(remote.toFile())) {
      assertThat(git.getRepository().resolve("refs/heads/" + branch)).isNull();
    }
  }

  @Test
  void theGroupsOpenAdoptionPullRequestGivesWayWhenAThirdClusterJoins() throws Exception {
    start();
    List<Finding> all = onEveryCluster("vpa-recommender");
    String gfp = DriftGroups.fingerprintOf(all.get(0).drift());
    stub.stubPullRequest(54, PullRequestText.groupBranch(gfp));
    stub.stubPullRequest(55, PullRequestText.ignoreBranch(gfp));
    List<Finding> two = List.of(all.get(1), all.get(2));
    assertThat(GitHubStub.scanAll(manager(), two))
        .filteredOn(o -> o.action() == PrOutcome.Action.CREATED)
        .extracting(PrOutcome::number)
        .containsExactly(54);

    List<PrOutcome> out = GitHubStub.scanAll(manager(), all);

    assertThat(out)
        .extracting(o -> o.action() + " " + o.number())
        .contains("CREATED 55", "CLOSED 54");
    assertThat(state.find(PullRequestState.FLEET, gfp).orElseThrow().status())
        .isEqualTo(PullRequestState.Status.CLOSED_RESOLVED);
    github.verify(2, postRequestedFor(urlEqualTo(REPO + "/pulls")));
    // later scans keep the rule's pull request and open no adoption again
    GitHubStub.scanAll(manager(), all);
    github.verify(2, postRequestedFor(urlEqualTo(REPO + "/pulls")));
  }

  @Test
  void aReviewerWhoClosesTheRuleGetsTheAdoptionPullRequestAndTheRuleIsNotProposedAgain()
      throws Exception {
    start();
    List<Finding> open = onEveryCluster("vpa-recommender");
    String gfp = DriftGroups.fingerprintOf(open.get(0).drift());
    stub.stubPullRequest(56, PullRequestText.ignoreBranch(gfp));
    stub.stubPullRequest(57, PullRequestText.groupBranch(gfp));
    GitHubStub.scanAll(manager(), open);
    github.stubFor(
        get(urlEqualTo(REPO + "/pulls/56"))
            .atPriority(1)
            .willReturn(GitHubStub.json(stub.pr(56, PullRequestText.ignoreBranch(gfp), "closed"))));

    List<PrOutcome> out = GitHubStub.scanAll(manager(), open);

    assertThat(out)
        .extracting(o -> o.action() + " " + o.number())
        .contains("CLOSED_BY_REVIEWER 56", "CREATED 57");
    github.verify(2, postRequestedFor(urlEqualTo(REPO + "/pulls")));
    assertThat(state.find(PullRequestState.FLEET, gfp).orElseThrow().status())
        .isEqualTo(PullRequestState.Status.OPEN);
    GitHubStub.scanAll(manager(), open);
    github.verify(2, postRequestedFor(urlEqualTo(REPO + "/pulls")));
  }

  private String lastTitle() {
    List<com.github.tomakehurst.wiremock.verification.LoggedRequest> posts =
        github.findAll(postRequestedFor(urlEqualTo(REPO + "/pulls")));
    String json = posts.get(posts.size() - 1).getBodyAsString();
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(json)
          .path("title")
          .asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

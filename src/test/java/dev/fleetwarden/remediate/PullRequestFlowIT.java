package dev.fleetwarden.remediate;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.fleet.FleetSettings;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.InMemoryPullRequests;
import dev.fleetwarden.ledger.PullRequestState;
import dev.fleetwarden.ledger.PullRequests;
import dev.fleetwarden.model.ObjectDrift;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pull request flow: a real bare Git repository as the fleet remote (file://), the real
 * renderer for verification, and WireMock standing in for the GitHub REST API.
 */
class PullRequestFlowIT {
  private static final String REPO = GitHubStub.REPO;
  private static final String LIVE_SECRET = "live-secret-zq81";
  private static final String TOKEN = "ghp_test_token_never_logged";
  private static final String ALERT_URL = "https://slack.example/archives/C1/p42";

  @TempDir Path tmp;
  WireMockServer github;
  GitHubStub stub;
  Path remote;
  String mainHead;
  Path seed;
  FleetSettings.PullRequestSettings settings;
  InMemoryPullRequests state;
  JGitBranchPublisher publisher;
  GitHubPullRequestHost host;

  @BeforeEach
  void setUp() throws Exception {
    github = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    github.start();
    stub = new GitHubStub(github);
    remote = tmp.resolve("remote.git");
    seed = RemediateFixture.copy(tmp.resolve("seed"));
    mainHead = RemediateFixture.pushAsRemote(seed, remote);
    settings = FleetLoader.load(seed).settings().pullRequests();
    state = new InMemoryPullRequests();
    publisher = new JGitBranchPublisher(remoteUri(), "main", tmp.resolve("work"), null, null);
    host =
        new GitHubPullRequestHost(github.baseUrl(), "example-org/fleet", TOKEN, "fleetwarden-bot");
    stub.stubRepository();
  }

  @AfterEach
  void stop() {
    github.stop();
  }

  private String remoteUri() {
    return remote.toUri().toString();
  }

  private PullRequestManager manager(PullRequests prState) {
    return new PullRequestManager(
        publisher, host, prState, new RemediationPlanner(RemediateFixture.RERENDER), settings);
  }

  private static Finding tracked(ObjectDrift drift) {
    return Finding.observed(drift, Instant.EPOCH, null);
  }

  /** The same alert link for each finding, as the alerts would give them. */
  private static Map<String, String> alertLinks(Finding... findings) {
    Map<String, String> links = new java.util.HashMap<>();
    for (Finding f : findings) {
      links.put(f.fingerprint(), ALERT_URL);
    }
    return links;
  }

  private Finding replicas(int live) {
    return tracked(
        RemediateFixture.drift(
            seed,
            "prod-1/Deployment.apps/ingress-system/ingress-controller",
            o -> {
              ((ObjectNode) o.path("spec")).put("replicas", live);
              RemediateFixture.managedBy(
                  o, "kubectl-edit", "2025-05-01T10:00:00Z", "{\"f:spec\":{\"f:replicas\":{}}}");
            }));
  }

  private Finding secret() {
    return tracked(
        RemediateFixture.drift(
            seed,
            "prod-1/Secret/policy-system/policy-webhook",
            o -> ((ObjectNode) o.path("stringData")).put("token", LIVE_SECRET)));
  }

  @Test
  void aDriftGetsOneBranchOneCommitAndOnePullRequestAcrossScansThenClosesWhenResolved()
      throws Exception {
    Finding drift = replicas(6);
    String branch = PullRequestText.branch("prod-1", drift.fingerprint());
    stub.stubPullRequest(7, branch);

    List<PrOutcome> first =
        manager(state)
            .reconcile("prod-1", true, List.of(drift, secret()), alertLinks(drift, secret()));

    assertThat(actions(first))
        .containsEntry(drift.fingerprint(), PrOutcome.Action.CREATED)
        .containsEntry(secret().fingerprint(), PrOutcome.Action.ALERT_ONLY);
    // the branch: main's head plus one commit changing exactly the one line
    RevCommit commit = remoteCommit(branch);
    assertThat(commit.getParentCount()).isEqualTo(1);
    assertThat(commit.getParent(0).name()).isEqualTo(mainHead);
    assertThat(commit.getAuthorIdent().getName()).isEqualTo("fleetwarden");
    assertThat(commit.getAuthorIdent().getEmailAddress()).isEqualTo("fleetwarden@users.noreply");
    String valuesFile = "clusters/prod-1/values/ingress.yaml";
    assertThat(changedFiles(commit)).containsExactly(valuesFile);
    assertThat(fileAt(commit, valuesFile))
        .isEqualTo(
            RemediateFixture.read(seed, valuesFile)
                .replace("replicas: 4   # sized", "replicas: 6   # sized"));
    assertThat(commit.getFullMessage())
        .contains("prod-1/Deployment.apps/ingress-system/ingress-controller")
        .contains("/spec/replicas: 4 -> 6 (changed by kubectl-edit at 2025-05-01T10:00:00Z)")
        .contains("Drift-Fingerprint: " + drift.fingerprint());
    // the pull request: title, base, head, body and labels
    List<LoggedRequest> creates = github.findAll(postRequestedFor(urlEqualTo(REPO + "/pulls")));
    assertThat(creates).hasSize(1);
    String createBody = creates.get(0).getBodyAsString();
    assertThat(createBody)
        .contains("\"head\":\"" + branch + "\"")
        .contains("\"base\":\"main\"")
        .contains("Adopt live /spec/replicas of Deployment.apps/ingress-system/ingress-controller")
        .contains(ALERT_URL)
        .contains("Merge")
        .contains("Close** to keep Git's value and let fleetwarden alert until someone reverts")
        .contains("Blast radius")
        .contains("clusters/prod-1/values/ingress.yaml");
    assertThat(github.findAll(postRequestedFor(urlEqualTo(REPO + "/issues/7/labels"))))
        .singleElement()
        .satisfies(r -> assertThat(r.getBodyAsString()).contains("drift").contains("fleetwarden"));

    // the same drift again: nothing new
    List<PrOutcome> second = manager(state).reconcile("prod-1", true, List.of(drift, secret()));
    assertThat(actions(second)).containsEntry(drift.fingerprint(), PrOutcome.Action.UNCHANGED);
    // state lost: the open pull request is found by its branch
    stub.stubOpenList(7, branch);
    List<PrOutcome> third =
        manager(new InMemoryPullRequests()).reconcile("prod-1", true, List.of(drift));
    assertThat(actions(third)).containsEntry(drift.fingerprint(), PrOutcome.Action.UNCHANGED);
    assertThat(github.findAll(postRequestedFor(urlEqualTo(REPO + "/pulls")))).hasSize(1);
    assertThat(remoteCommit(branch).name()).isEqualTo(commit.name());

    // the drift changes: same branch force-updated, a comment on the same PR
    Finding changed = replicas(7);
    List<PrOutcome> fourth = manager(state).reconcile("prod-1", true, List.of(changed));
    assertThat(actions(fourth)).containsEntry(changed.fingerprint(), PrOutcome.Action.UPDATED);
    RevCommit updated = remoteCommit(branch);
    assertThat(updated.name()).isNotEqualTo(commit.name());
    assertThat(updated.getParent(0).name()).isEqualTo(mainHead);
    assertThat(fileAt(updated, valuesFile)).contains("replicas: 7   # sized");
    assertThat(github.findAll(postRequestedFor(urlEqualTo(REPO + "/issues/7/comments"))))
        .singleElement()
        .satisfies(r -> assertThat(r.getBodyAsString()).contains("force-updated"));
    assertThat(github.findAll(postRequestedFor(urlEqualTo(REPO + "/pulls")))).hasSize(1);

    // the drift resolves: the PR is closed with a comment and the branch deleted
    List<PrOutcome> fifth = manager(state).reconcile("prod-1", true, List.of());
    assertThat(actions(fifth)).containsEntry(changed.fingerprint(), PrOutcome.Action.CLOSED);
    List<LoggedRequest> comments =
        github.findAll(postRequestedFor(urlEqualTo(REPO + "/issues/7/comments")));
    assertThat(comments).hasSize(2);
    assertThat(comments.get(1).getBodyAsString()).contains("is gone");
    assertThat(github.findAll(patchRequestedFor(urlEqualTo(REPO + "/pulls/7"))))
        .singleElement()
        .satisfies(r -> assertThat(r.getBodyAsString()).contains("closed"));
    assertThat(remoteRef(branch)).isNull();
    assertThat(state.find("prod-1", changed.fingerprint()).orElseThrow().status())
        .isEqualTo(PullRequestState.Status.CLOSED_RESOLVED);

    assertNoSecretOrTokenLeft();
  }

  @Test
  void manifestValueAndPatchFileCasesEachCommitExactlyTheAdoptedValue() throws Exception {
    Finding manifest =
        tracked(
            RemediateFixture.drift(
                seed,
                "prod-1/ConfigMap/policy-system/policy-settings",
                o -> ((ObjectNode) o.path("data")).put("mode", "audit")));
    Finding value = replicas(6);
    Finding patchCase =
        tracked(
            RemediateFixture.drift(
                seed,
                "prod-2/Deployment.apps/ingress-system/ingress-controller",
                o ->
                    ((ObjectNode) o.at("/spec/template/spec/containers/0"))
                        .put("imagePullPolicy", "Always")));
    stub.stubPullRequest(11, PullRequestText.branch("prod-1", manifest.fingerprint()));
    stub.stubPullRequest(12, PullRequestText.branch("prod-1", value.fingerprint()));
    stub.stubPullRequest(13, PullRequestText.branch("prod-2", patchCase.fingerprint()));

    List<PrOutcome> prod1 =
        manager(state).reconcile("prod-1", true, List.of(manifest, value, secret()));
    List<PrOutcome> prod2 = manager(state).reconcile("prod-2", true, List.of(patchCase));

    assertThat(actions(prod1))
        .containsEntry(manifest.fingerprint(), PrOutcome.Action.CREATED)
        .containsEntry(value.fingerprint(), PrOutcome.Action.CREATED);
    assertThat(actions(prod2)).containsEntry(patchCase.fingerprint(), PrOutcome.Action.CREATED);

    String manifestFile = "addons/policies/manifests/defaults.yaml";
    RevCommit a = remoteCommit(PullRequestText.branch("prod-1", manifest.fingerprint()));
    assertThat(changedFiles(a)).containsExactly(manifestFile);
    assertThat(fileAt(a, manifestFile))
        .isEqualTo(
            RemediateFixture.read(seed, manifestFile)
                .replace("mode: \"enforce\"   #", "mode: \"audit\"   #"));

    String valuesFile = "clusters/prod-1/values/ingress.yaml";
    RevCommit b = remoteCommit(PullRequestText.branch("prod-1", value.fingerprint()));
    assertThat(changedFiles(b)).containsExactly(valuesFile);
    assertThat(b.getParent(0).name()).isEqualTo(mainHead);

    String patchFile =
        "clusters/prod-2/patches/fleetwarden-" + patchCase.fingerprint().substring(0, 10) + ".yaml";
    RevCommit c = remoteCommit(PullRequestText.branch("prod-2", patchCase.fingerprint()));
    assertThat(changedFiles(c)).containsExactly(patchFile);
    // the renderer applies the committed patch: checked out, prod-2 renders the live value
    Path checkout = tmp.resolve("check");
    try (Git git =
        Git.cloneRepository()
            .setURI(remoteUri())
            .setDirectory(checkout.toFile())
            .setBranch(PullRequestText.branch("prod-2", patchCase.fingerprint()))
            .call()) {
      var render = RemediateFixture.render(checkout, "prod-2");
      assertThat(
              RemediateFixture.object(
                      render, "prod-2/Deployment.apps/ingress-system/ingress-controller")
                  .manifest()
                  .at("/spec/template/spec/containers/0/imagePullPolicy")
                  .asText())
          .isEqualTo("Always");
    }
    assertThat(github.findAll(postRequestedFor(urlEqualTo(REPO + "/pulls")))).hasSize(3);
    assertNoSecretOrTokenLeft();
  }

  @Test
  void oneDriftsFieldsGoToAManifestLineAPatchLineAndANewKeyedPatchInOnePullRequest()
      throws Exception {
    // An older patch of this cluster holds one field of the manifest's ConfigMap.
    String retries = "clusters/prod-1/patches/retries.yaml";
    RemediateFixture.write(
        seed,
        retries,
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Patch
        metadata:
          name: retries
        spec:
          target: {kind: ConfigMap, namespace: policy-system, name: policy-settings}
          patch:
            data:
              retries: "3"   # the webhook times out under load
        """);
    mainHead = commitToRemote("prod-1: more webhook retries");
    Finding drift =
        tracked(
            RemediateFixture.drift(
                seed,
                "prod-1/ConfigMap/policy-system/policy-settings",
                o -> {
                  ObjectNode data = (ObjectNode) o.path("data");
                  data.put("mode", "audit");
                  data.put("retries", "5");
                  data.remove("failurePolicy");
                }));
    assertThat(drift.drift().fields())
        .extracting(f -> f.path())
        .containsExactlyInAnyOrder("/data/failurePolicy", "/data/mode", "/data/retries");
    String branch = PullRequestText.branch("prod-1", drift.fingerprint());
    String newPatch =
        "clusters/prod-1/patches/fleetwarden-" + drift.fingerprint().substring(0, 10) + ".yaml";
    stub.stubPullRequest(41, branch);

    List<PrOutcome> outcomes = manager(state).reconcile("prod-1", true, List.of(drift));

    assertThat(outcomes)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.action()).as(o.detail()).isEqualTo(PrOutcome.Action.CREATED);
              assertThat(o.detail()).isEqualTo("manifest + value + patch");
            });
    assertThat(github.findAll(postRequestedFor(urlEqualTo(REPO + "/pulls")))).hasSize(1);
    RevCommit commit = remoteCommit(branch);
    assertThat(commit.getParent(0).name()).isEqualTo(mainHead);
    String manifestFile = "addons/policies/manifests/defaults.yaml";
    assertThat(changedFiles(commit)).containsExactlyInAnyOrder(manifestFile, retries, newPatch);
    assertThat(fileAt(commit, manifestFile))
        .isEqualTo(
            RemediateFixture.read(seed, manifestFile)
                .replace("mode: \"enforce\"   #", "mode: \"audit\"   #"));
    assertThat(fileAt(commit, retries))
        .isEqualTo(
            RemediateFixture.read(seed, retries)
                .replace("retries: \"3\"   #", "retries: \"5\"   #"));
    String patch = fileAt(commit, newPatch);
    assertThat(patch)
        .contains("/data/failurePolicy: null")
        .doesNotContain("/data/mode")
        .doesNotContain("/data/retries:");
    int patchLine = patch.lines().toList().indexOf("    /data/failurePolicy: null") + 1;
    // the description says where each field went
    String body =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(
                github
                    .findAll(postRequestedFor(urlEqualTo(REPO + "/pulls")))
                    .get(0)
                    .getBodyAsString())
            .path("body")
            .asText();
    assertThat(body)
        .contains("| field | adopted in |")
        .contains(
            "| `/data/failurePolicy` | new patch (this cluster only) `"
                + newPatch
                + ":"
                + patchLine
                + "` |")
        .contains("| `/data/mode` | manifest line `" + manifestFile + ":16` |")
        .contains("| `/data/retries` | patch line `" + retries + ":9` |")
        .contains("sets only `/data/failurePolicy`");
    assertThat(commit.getFullMessage())
        .contains("Adopted in:")
        .contains("- /data/mode: " + manifestFile + ":16 (manifest)")
        .contains("- /data/retries: " + retries + ":9 (value)")
        .contains("- /data/failurePolicy: " + newPatch + ":" + patchLine + " (patch)");
    // checked out, the branch renders the live ConfigMap
    Path checkout = tmp.resolve("check-mixed");
    try (Git git =
        Git.cloneRepository()
            .setURI(remoteUri())
            .setDirectory(checkout.toFile())
            .setBranch(branch)
            .call()) {
      var data =
          RemediateFixture.object(
                  RemediateFixture.render(checkout, "prod-1"),
                  "prod-1/ConfigMap/policy-system/policy-settings")
              .manifest()
              .path("data");
      assertThat(data.path("mode").asText()).isEqualTo("audit");
      assertThat(data.path("retries").asText()).isEqualTo("5");
      assertThat(data.has("failurePolicy")).isFalse();
    }
  }

  /** Commits the seed's changes and pushes them to the remote's main; returns the commit. */
  private String commitToRemote(String message) throws Exception {
    try (Git git = Git.open(seed.toFile())) {
      git.add().addFilepattern(".").call();
      String head =
          git.commit()
              .setMessage(message)
              .setAuthor("platform", "platform@example.com")
              .setCommitter("platform", "platform@example.com")
              .setSign(false)
              .call()
              .name();
      git.push().setRemote("origin").add("main").call();
      return head;
    }
  }

  @Test
  void afterARestartTheStoredStateStillClosesTheResolvedDriftsPullRequest() throws Exception {
    Finding drift = replicas(6);
    String branch = PullRequestText.branch("prod-1", drift.fingerprint());
    stub.stubPullRequest(7, branch);
    Path storeDir = tmp.resolve("store");
    try (dev.fleetwarden.store.JdbcStore store =
        dev.fleetwarden.store.JdbcStore.open(
            dev.fleetwarden.store.StoreConfig.embedded(storeDir))) {
      List<PrOutcome> first =
          manager(store.pullRequests()).reconcile("prod-1", true, List.of(drift));
      assertThat(actions(first)).containsEntry(drift.fingerprint(), PrOutcome.Action.CREATED);
    }

    List<PrOutcome> afterRestart;
    try (dev.fleetwarden.store.JdbcStore store =
        dev.fleetwarden.store.JdbcStore.open(
            dev.fleetwarden.store.StoreConfig.embedded(storeDir))) {
      afterRestart = manager(store.pullRequests()).reconcile("prod-1", true, List.of());
    }

    assertThat(actions(afterRestart)).containsEntry(drift.fingerprint(), PrOutcome.Action.CLOSED);
    assertThat(github.findAll(patchRequestedFor(urlEqualTo(REPO + "/pulls/7"))))
        .singleElement()
        .satisfies(r -> assertThat(r.getBodyAsString()).contains("closed"));
    assertThat(remoteRef(branch)).isNull();
    assertThat(github.findAll(postRequestedFor(urlEqualTo(REPO + "/pulls")))).hasSize(1);
  }

  @Test
  void aMergedPullRequestIsReportedAsResolvedByMerge() throws Exception {
    Finding drift = replicas(6);
    String branch = PullRequestText.branch("prod-1", drift.fingerprint());
    stub.stubPullRequest(21, branch);
    manager(state).reconcile("prod-1", true, List.of(drift));
    github.stubFor(
        get(urlEqualTo(REPO + "/pulls/21"))
            .atPriority(1)
            .willReturn(GitHubStub.json(stub.pr(21, branch, "closed", true))));

    List<PrOutcome> next = manager(state).reconcile("prod-1", true, List.of());

    assertThat(actions(next))
        .containsEntry(drift.fingerprint(), PrOutcome.Action.RESOLVED_BY_MERGE);
    assertThat(github.findAll(patchRequestedFor(urlEqualTo(REPO + "/pulls/21")))).isEmpty();
    assertThat(state.find("prod-1", drift.fingerprint()).orElseThrow().status())
        .isEqualTo(PullRequestState.Status.MERGED);
  }

  @Test
  void anIncompleteScanNeitherOpensNorClosesAnything() throws Exception {
    Finding drift = replicas(6);
    stub.stubPullRequest(31, PullRequestText.branch("prod-1", drift.fingerprint()));
    manager(state).reconcile("prod-1", true, List.of(drift));

    assertThat(manager(state).reconcile("prod-1", false, List.of())).isEmpty();
    assertThat(github.findAll(patchRequestedFor(urlEqualTo(REPO + "/pulls/31")))).isEmpty();
  }

  // ---------------------------------------------------------------- helpers

  private static Map<String, PrOutcome.Action> actions(List<PrOutcome> outcomes) {
    Map<String, PrOutcome.Action> map = new LinkedHashMap<>();
    outcomes.forEach(o -> map.put(o.fingerprint(), o.action()));
    return map;
  }

  private void assertNoSecretOrTokenLeft() throws Exception {
    for (LoggedRequest r :
        github.findAll(
            com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.anyUrl()))) {
      assertThat(r.getBodyAsString()).doesNotContain(LIVE_SECRET);
      assertThat(r.getUrl()).doesNotContain(TOKEN);
    }
    try (Repository repo = Git.open(remote.toFile()).getRepository();
        RevWalk walk = new RevWalk(repo)) {
      for (Ref ref : repo.getRefDatabase().getRefsByPrefix("refs/heads/fleetwarden/")) {
        RevCommit commit = walk.parseCommit(ref.getObjectId());
        assertThat(commit.getFullMessage()).doesNotContain(LIVE_SECRET);
        for (String file : changedFiles(commit)) {
          assertThat(fileAt(commit, file)).doesNotContain(LIVE_SECRET);
        }
      }
    }
  }

  private Ref remoteRef(String branch) throws Exception {
    try (Git git = Git.open(remote.toFile())) {
      return git.getRepository().findRef("refs/heads/" + branch);
    }
  }

  private RevCommit remoteCommit(String branch) throws Exception {
    try (Git git = Git.open(remote.toFile());
        RevWalk walk = new RevWalk(git.getRepository())) {
      Ref ref = git.getRepository().findRef("refs/heads/" + branch);
      assertThat(ref).as("branch %s on the remote", branch).isNotNull();
      RevCommit c = walk.parseCommit(ref.getObjectId());
      walk.parseHeaders(c.getParent(0));
      return c;
    }
  }

  private List<String> changedFiles(RevCommit commit) throws Exception {
    try (Git git = Git.open(remote.toFile());
        RevWalk walk = new RevWalk(git.getRepository())) {
      Repository repo = git.getRepository();
      RevCommit c = walk.parseCommit(commit);
      RevCommit parent = walk.parseCommit(c.getParent(0));
      CanonicalTreeParser oldTree = new CanonicalTreeParser();
      CanonicalTreeParser newTree = new CanonicalTreeParser();
      try (var reader = repo.newObjectReader()) {
        oldTree.reset(reader, parent.getTree());
        newTree.reset(reader, c.getTree());
      }
      List<String> out = new ArrayList<>();
      for (DiffEntry e : git.diff().setOldTree(oldTree).setNewTree(newTree).call()) {
        out.add(e.getChangeType() == DiffEntry.ChangeType.DELETE ? e.getOldPath() : e.getNewPath());
      }
      return out;
    }
  }

  private String fileAt(RevCommit commit, String path) throws Exception {
    try (Git git = Git.open(remote.toFile());
        RevWalk walk = new RevWalk(git.getRepository())) {
      Repository repo = git.getRepository();
      RevCommit c = walk.parseCommit(commit);
      try (TreeWalk tw = TreeWalk.forPath(repo, path, c.getTree())) {
        assertThat(tw).as("%s in %s", path, c.name()).isNotNull();
        ObjectId blob = tw.getObjectId(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        repo.open(blob).copyTo(out);
        return out.toString(StandardCharsets.UTF_8);
      }
    }
  }
}

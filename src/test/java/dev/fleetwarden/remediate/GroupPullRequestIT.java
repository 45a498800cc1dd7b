package dev.fleetwarden.remediate;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.fleetwarden.ledger.DriftGroups;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.InMemoryPullRequests;
import dev.fleetwarden.ledger.PullRequestState;
import dev.fleetwarden.model.ObjectDrift;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One pull request per fleet-wide drift group, against a real bare Git repository as the fleet
 * remote, the real renderer for verification and WireMock standing in for GitHub.
 */
class GroupPullRequestIT {
  private static final String REPO = "/repos/example-org/fleet";
  private static final String INGRESS = "Deployment.apps/ingress-system/ingress-controller";

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

  private void start(Path fleet, Consumer<Path> change) throws Exception {
    github = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    stub = new GitHubStub(github);
    github.start();
    seed = RemediateFixture.copy(fleet, tmp.resolve("seed"));
    change.accept(seed);
    remote = tmp.resolve("remote.git");
    mainHead = RemediateFixture.pushAsRemote(seed, remote);
    stub.stubRepository();
  }

  private PullRequestManager manager() throws Exception {
    return stub.manager(seed, remote, tmp, state, null);
  }

  private Finding drift(String cluster, Consumer<ObjectNode> change) {
    ObjectDrift d =
        RemediateFixture.drift(
            seed,
            cluster + "/" + INGRESS,
            o -> {
              change.accept(o);
              RemediateFixture.managedBy(
                  o, "kubectl-edit", "2026-11-30T10:00:00Z", "{\"f:spec\":{\"f:replicas\":{}}}");
            });
    return Finding.observed(d, Instant.EPOCH, null);
  }

  private static Consumer<ObjectNode> tag(String image) {
    return o -> ((ObjectNode) o.at("/spec/template/spec/containers/0")).put("image", image);
  }

  @Test
  void anEnvironmentWideDriftGivesOnePullRequestEditingTheEnvironmentFile() throws Exception {
    start(RemediateFixture.source(), root -> {});
    String image = "registry.example.com/ingress/controller:1.12.0";
    List<Finding> open = List.of(drift("prod-1", tag(image)), drift("prod-2", tag(image)));
    String gfp = DriftGroups.fingerprintOf(open.get(0).drift());
    String branch = PullRequestText.groupBranch(gfp);
    stub.stubPullRequest(21, branch);

    List<PrOutcome> out = GitHubStub.scanAll(manager(), open);

    assertThat(out)
        .filteredOn(o -> o.action() == PrOutcome.Action.CREATED)
        .singleElement()
        .satisfies(o -> assertThat(o.detail()).startsWith("environment prod for prod-1, prod-2"));
    github.verify(1, postRequestedFor(urlEqualTo(REPO + "/pulls")));
    Map<String, String> files = GitHubStub.changedFiles(remote, mainHead, branch);
    String env = "environments/prod.yaml";
    assertThat(files).containsOnlyKeys(env);
    assertThat(files.get(env))
        .isEqualTo(
            RemediateFixture.read(seed, env) + "        image:\n          tag: \"1.12.0\"\n");
    String body = stub.lastBody();
    assertThat(body).contains("`prod-1`, `prod-2`").contains("`environment prod`");
    assertThat(state.find(PullRequestState.FLEET, gfp).orElseThrow().members())
        .containsExactly("prod-1", "prod-2");
  }

  @Test
  void aGroupOnAllClustersRunningTheAddonEditsTheAddonDefault() throws Exception {
    start(
        RemediateFixture.source(),
        root ->
            RemediateFixture.write(
                root,
                "clusters/dev-1/cluster.yaml",
                RemediateFixture.read(root, "clusters/dev-1/cluster.yaml")
                    .replace("remediation: alert", "remediation: pull-request")));
    String image = "registry.example.com/ingress/controller:1.12.0";
    List<Finding> open =
        List.of(
            drift("dev-1", tag(image)), drift("prod-1", tag(image)), drift("prod-2", tag(image)));
    String branch = PullRequestText.groupBranch(DriftGroups.fingerprintOf(open.get(0).drift()));
    stub.stubPullRequest(22, branch);

    GitHubStub.scanAll(manager(), open);

    github.verify(1, postRequestedFor(urlEqualTo(REPO + "/pulls")));
    Map<String, String> files = GitHubStub.changedFiles(remote, mainHead, branch);
    String addon = "addons/ingress/addon.yaml";
    assertThat(files).containsOnlyKeys(addon);
    assertThat(files.get(addon))
        .isEqualTo(
            RemediateFixture.read(seed, addon).replace("tag: \"1.11.2\"", "tag: \"1.12.0\""));
    assertThat(stub.lastBody()).contains("`add-on default ingress`");
  }

  @Test
  void aGroupThatIsNeitherGivesOnePullRequestWithPerClusterChanges() throws Exception {
    start(
        RemediateFixture.source(),
        root ->
            RemediateFixture.write(
                root,
                "clusters/dev-1/cluster.yaml",
                RemediateFixture.read(root, "clusters/dev-1/cluster.yaml")
                    .replace("remediation: alert", "remediation: pull-request")));
    String image = "registry.example.com/ingress/controller:1.12.0";
    List<Finding> open = List.of(drift("dev-1", tag(image)), drift("prod-1", tag(image)));
    String branch = PullRequestText.groupBranch(DriftGroups.fingerprintOf(open.get(0).drift()));
    stub.stubPullRequest(23, branch);

    GitHubStub.scanAll(manager(), open);

    github.verify(1, postRequestedFor(urlEqualTo(REPO + "/pulls")));
    Map<String, String> files = GitHubStub.changedFiles(remote, mainHead, branch);
    assertThat(files)
        .containsOnlyKeys(
            "clusters/dev-1/values/ingress.yaml", "clusters/prod-1/values/ingress.yaml");
    assertThat(files.get("clusters/dev-1/values/ingress.yaml"))
        .isEqualTo("controller:\n  image:\n    tag: \"1.12.0\"\n");
    assertThat(files.get("clusters/prod-1/values/ingress.yaml"))
        .isEqualTo(
            RemediateFixture.read(seed, "clusters/prod-1/values/ingress.yaml")
                + "  image:\n    tag: \"1.12.0\"\n");
    assertThat(stub.lastBody()).contains("`each cluster's own files`");
  }

  @Test
  void noDuplicatePullRequestsAfterARestartAndTheGroupFollowsItsClusters() throws Exception {
    start(RemediateFixture.source(), root -> {});
    String image = "registry.example.com/ingress/controller:1.12.0";
    Finding p1 = drift("prod-1", tag(image));
    Finding p2 = drift("prod-2", tag(image));
    String gfp = DriftGroups.fingerprintOf(p1.drift());
    String branch = PullRequestText.groupBranch(gfp);
    stub.stubPullRequest(24, branch);
    GitHubStub.scanAll(manager(), List.of(p1, p2));

    // a restarted service: a new manager on the same stored state, scanning the same drift
    List<PrOutcome> again = GitHubStub.scanAll(manager(), List.of(p1, p2));
    assertThat(again).extracting(PrOutcome::action).containsOnly(PrOutcome.Action.UNCHANGED);
    // the state lost too: the open pull request is found by its branch, not opened again
    state = new InMemoryPullRequests();
    stub.stubOpenList(24, branch);
    GitHubStub.scanAll(manager(), List.of(p1, p2));
    github.verify(1, postRequestedFor(urlEqualTo(REPO + "/pulls")));

    // prod-2 is back in sync: the branch is updated for prod-1 alone, nothing new is opened
    List<PrOutcome> shrunk = manager().reconcile("prod-2", true, List.of(), Map.of(), List.of(p1));
    assertThat(shrunk).extracting(PrOutcome::action).contains(PrOutcome.Action.UPDATED);
    assertThat(state.find(PullRequestState.FLEET, gfp).orElseThrow().members())
        .containsExactly("prod-1");
    assertThat(GitHubStub.changedFiles(remote, mainHead, branch))
        .containsOnlyKeys("clusters/prod-1/values/ingress.yaml");
    // prod-1 too: the group's pull request is closed, none of the clusters' own is opened
    List<PrOutcome> gone = manager().reconcile("prod-1", true, List.of(), Map.of(), List.of());
    assertThat(gone).extracting(PrOutcome::action).containsExactly(PrOutcome.Action.CLOSED);
    github.verify(1, postRequestedFor(urlEqualTo(REPO + "/pulls")));
    assertThat(state.open(PullRequestState.FLEET)).isEmpty();
  }

  @Test
  void aClustersOwnPullRequestIsClosedWhenItsDriftJoinsAGroup() throws Exception {
    start(RemediateFixture.source(), root -> {});
    String image = "registry.example.com/ingress/controller:1.12.0";
    Finding p1 = drift("prod-1", tag(image));
    Finding p2 = drift("prod-2", tag(image));
    String own = PullRequestText.branch("prod-1", p1.fingerprint());
    stub.stubPullRequest(30, own);
    PullRequestManager m = manager();
    m.reconcile("prod-1", true, List.of(p1), Map.of(), List.of(p1));
    assertThat(state.find("prod-1", p1.fingerprint()).orElseThrow().status())
        .isEqualTo(PullRequestState.Status.OPEN);
    String branch = PullRequestText.groupBranch(DriftGroups.fingerprintOf(p1.drift()));
    stub.stubPullRequest(31, branch);

    List<PrOutcome> out = m.reconcile("prod-2", true, List.of(p2), Map.of(), List.of(p1, p2));

    assertThat(out)
        .extracting(o -> o.action() + " " + o.number())
        .contains("CREATED 31", "CLOSED 30");
    assertThat(state.find("prod-1", p1.fingerprint()).orElseThrow().status())
        .isEqualTo(PullRequestState.Status.CLOSED_RESOLVED);
    // prod-1's next scan opens nothing of its own
    m.reconcile("prod-1", true, List.of(p1), Map.of(), List.of(p1, p2));
    github.verify(2, postRequestedFor(urlEqualTo(REPO + "/pulls")));
  }

  @Test
  void onTheExampleFleetTheDemosHotfixOnBothProdClustersIsOnePullRequestOfValuesLines()
      throws Exception {
    start(Path.of("fleet-repo-example").toAbsolutePath(), root -> {});
    Consumer<ObjectNode> hotfix =
        o -> {
          ((ObjectNode) o.path("spec")).put("replicas", 6);
          ((ObjectNode) o.at("/spec/template/spec/containers/0"))
              .put("image", "registry.k8s.io/ingress-nginx/controller:v1.11.3-hotfix");
        };
    List<Finding> open = List.of(drift("prod-eu-1", hotfix), drift("prod-us-1", hotfix));
    String branch = PullRequestText.groupBranch(DriftGroups.fingerprintOf(open.get(0).drift()));
    stub.stubPullRequest(40, branch);

    List<PrOutcome> out = GitHubStub.scanAll(manager(), open);

    assertThat(out).as("%s", out).extracting(PrOutcome::action).contains(PrOutcome.Action.CREATED);
    github.verify(1, postRequestedFor(urlEqualTo(REPO + "/pulls")));
    Map<String, String> files = GitHubStub.changedFiles(remote, mainHead, branch);
    // the environment file for prod-us-1 (replicas) and both (image tag); prod-eu-1 overrides
    // replicas in its own values file, so that line is edited there; no patch file
    String env = "environments/prod.yaml";
    String eu = "clusters/prod-eu-1/values/ingress.yaml";
    assertThat(files).containsOnlyKeys(env, eu);
    assertThat(files.keySet()).noneMatch(f -> f.contains("/patches/"));
    assertThat(files.get(eu))
        .isEqualTo(RemediateFixture.read(seed, eu).replace("replicas: 4", "replicas: 6"));
    assertThat(files.get(env))
        .isEqualTo(
            RemediateFixture.read(seed, env)
                .replace("        replicas: 3\n", "        replicas: 6\n")
                .replace(
                    "        autoscaling: {enabled: true, minReplicas: 3}\n",
                    "        autoscaling: {enabled: true, minReplicas: 3}\n"
                        + "      image:\n        tag: v1.11.3-hotfix\n"));
    assertThat(stub.lastBody()).contains("`prod-eu-1`, `prod-us-1`").contains("`environment prod`");
  }
}

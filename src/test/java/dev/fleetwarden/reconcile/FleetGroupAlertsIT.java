package dev.fleetwarden.reconcile;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.fleetwarden.ExampleCharts;
import dev.fleetwarden.git.GitSettings;
import dev.fleetwarden.git.JGitFleetRepository;
import dev.fleetwarden.ledger.AlertStatus;
import dev.fleetwarden.ledger.DriftGroups;
import dev.fleetwarden.model.ClusterStatus;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.notify.AlertPlanner;
import dev.fleetwarden.notify.FleetGroups;
import dev.fleetwarden.notify.GroupPlanner;
import dev.fleetwarden.notify.OutboxDispatcher;
import dev.fleetwarden.notify.SlackNotifier;
import dev.fleetwarden.store.JdbcStore;
import dev.fleetwarden.store.StoreConfig;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fleet-wide group messages through the service: the example fleet from a real Git remote, live
 * clusters in memory, the ledger and outbox in a real (H2) store, and WireMock as the Slack Web
 * API. The same hotfix (nine ingress replicas set by hand) on three clusters is one Slack message,
 * edited when a fourth cluster has it too and resolved when the last one reverts; a restart
 * re-alerts nothing.
 */
class FleetGroupAlertsIT {
  private static final String CHANNEL = "#fleet-alerts";
  private static final String MENTION = "@here";

  /** How Slack gets the mention: the special mention's syntax. */
  private static final String SENT_MENTION = "<!here>";

  private static final List<String> FIRST_THREE = List.of("prod-us-1", "staging-1", "dev-1");

  @TempDir Path tmp;
  Git remote;
  FakeLiveSource live = new FakeLiveSource();
  JdbcStore store;
  JGitFleetRepository repo;
  FleetService service;
  WireMockServer slack;
  SlackNotifier notifier;
  OutboxDispatcher dispatcher;

  @BeforeEach
  void setUp() throws Exception {
    slack = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    slack.start();
    slack.stubFor(
        post(urlEqualTo("/api/chat.postMessage"))
            .atPriority(1)
            .withFormParam("thread_ts", absent())
            .willReturn(ok("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1700000000.000100\"}")));
    slack.stubFor(
        post(urlEqualTo("/api/chat.postMessage"))
            .atPriority(5)
            .willReturn(ok("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1700000000.000200\"}")));
    slack.stubFor(
        post(urlEqualTo("/api/chat.update"))
            .willReturn(ok("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1700000000.000100\"}")));
    notifier = new SlackNotifier("xoxb-test-token", slack.baseUrl());

    Path remoteDir = tmp.resolve("remote");
    FleetServiceIT.copy(Path.of("fleet-repo-example"), remoteDir);
    // every cluster's drift goes to one channel, with one mention
    Path fleetYaml = remoteDir.resolve("fleet.yaml");
    String fleet = Files.readString(fleetYaml);
    String routes = fleet.substring(fleet.indexOf("    routes:"), fleet.indexOf("  pullRequests:"));
    Files.writeString(
        fleetYaml,
        fleet.replace(
            routes,
            "    routes:\n      - channel: \""
                + CHANNEL
                + "\"\n        mention: \""
                + MENTION
                + "\"\n"));
    remote = Git.init().setDirectory(remoteDir.toFile()).setInitialBranch("main").call();
    remote.add().addFilepattern(".").call();
    remote.commit().setMessage("fleet").setSign(false).setAuthor("dev", "dev@example.org").call();
    start();
    for (String c : service.fleet().clusters().keySet()) {
      live.sync(c, ExampleCharts.rendering().renderCluster(service.fleet(), c).objects());
    }
  }

  private void start() {
    store = JdbcStore.open(StoreConfig.embedded(tmp.resolve("db")));
    repo =
        new JGitFleetRepository(
            GitSettings.of(tmp.resolve("remote").toUri().toString(), "main", tmp.resolve("clone")));
    Alerts alerts =
        new Alerts(store.alertStates(), store.outbox(), store.pullRequests(), null, null);
    service =
        new FleetService(
            repo, ExampleCharts.rendering(), live, null, store, alerts, Clock.systemUTC(), null);
    service.start();
    dispatcher =
        new OutboxDispatcher(
            store.outbox(), store.alertStates(), notifier, Clock.systemUTC(), null);
  }

  private void restart() throws Exception {
    repo.close();
    store.close();
    start();
  }

  @AfterEach
  void tearDown() throws Exception {
    repo.close();
    store.close();
    remote.close();
    notifier.close();
    slack.stop();
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder ok(String body) {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody(body);
  }

  private static ResourceId ingress(String cluster) {
    return new ResourceId(cluster, "apps", "Deployment", "ingress-system", "ingress-controller");
  }

  private void hotfix(String cluster, int replicas) {
    live.edit(ingress(cluster), o -> ((ObjectNode) o.get("spec")).put("replicas", replicas));
  }

  /** Scans a cluster through the service and sends what it enqueued to (WireMock) Slack. */
  private void scan(String cluster) {
    service.scanKubernetes(cluster);
    dispatcher.dispatchDue();
    assertThat(store.outbox().pendingCount()).as("everything sent").isZero();
  }

  private List<Map<String, String>> calls(String method) {
    return slack.findAll(postRequestedFor(urlEqualTo("/api/" + method))).stream()
        .map(FleetGroupAlertsIT::form)
        .toList();
  }

  private List<Map<String, String>> posts() {
    return calls("chat.postMessage").stream().filter(f -> !f.containsKey("thread_ts")).toList();
  }

  private List<Map<String, String>> replies() {
    return calls("chat.postMessage").stream().filter(f -> f.containsKey("thread_ts")).toList();
  }

  private List<Map<String, String>> groupPosts() {
    return posts().stream().filter(f -> f.get("text").contains("Same drift on")).toList();
  }

  private List<Map<String, String>> groupUpdates() {
    return calls("chat.update").stream()
        .filter(f -> f.get("blocks").contains("fleetwarden · fleet-wide"))
        .toList();
  }

  static Map<String, String> form(LoggedRequest request) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : request.getBodyAsString().split("&")) {
      int eq = pair.indexOf('=');
      params.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }

  private String groupKey() {
    var drift =
        store.findings().open("prod-us-1").stream()
            .filter(f -> f.resource().equals(ingress("prod-us-1")))
            .findFirst()
            .orElseThrow()
            .drift();
    return GroupPlanner.groupKey(DriftGroups.fingerprintOf(drift), CHANNEL);
  }

  @Test
  void aGroupOfThreeClustersIsOneMessageUpdatedWhenAFourthJoinsAndResolvedWhenAllRevert()
      throws Exception {
    for (String cluster : FIRST_THREE) {
      hotfix(cluster, 9);
      assertThat(service.scanKubernetes(cluster).status()).isEqualTo(ClusterStatus.DRIFTED);
      dispatcher.dispatchDue();
    }
    assertThat(groupPosts()).singleElement();
    Map<String, String> group = groupPosts().get(0);
    assertThat(group.get("channel")).isEqualTo(CHANNEL);
    assertThat(group.get("link_names")).isEqualTo("0");
    assertThat(group.get("text"))
        .startsWith(SENT_MENTION + " Same drift on 2 clusters")
        .contains("Deployment.apps/ingress-system/ingress-controller");
    String key = groupKey();
    assertThat(store.alertStates().find(FleetGroups.CLUSTER, key).orElseThrow().status())
        .isEqualTo(AlertStatus.OPEN);
    // the first cluster's incident told the drift before the second had it: it moved, once
    assertThat(posts()).as("prod-us-1's incident, then the group").hasSize(2);
    assertThat(
            store
                .alertStates()
                .find("prod-us-1", AlertPlanner.incidentKey("prod-us-1", CHANNEL))
                .orElseThrow()
                .status())
        .isEqualTo(AlertStatus.RESOLVED);
    assertThat(replies())
        .anySatisfy(r -> assertThat(r.get("blocks")).contains("Moved to a fleet-wide message"));
    assertThat(
            store.alertStates().find("staging-1", AlertPlanner.incidentKey("staging-1", CHANNEL)))
        .as("the clusters that joined the group have no incident")
        .isEmpty();
    String lastEdit = groupUpdates().get(groupUpdates().size() - 1).get("blocks");
    assertThat(lastEdit)
        .contains("3 clusters")
        .contains("prod-us-1")
        .contains("staging-1")
        .contains("dev-1")
        .contains("`/spec/replicas`");
    assertThat(group.get("blocks").split(SENT_MENTION, -1)).as("one mention").hasSize(2);
    // edits show the message as posted (Slack notifies no one of an edit); replies mention no one
    assertThat(replies())
        .allSatisfy(r -> assertThat(r.get("text") + r.get("blocks")).doesNotContain(SENT_MENTION));

    // a restart: the same scans again send nothing
    int calls = slack.getAllServeEvents().size();
    restart();
    for (String cluster : FIRST_THREE) {
      scan(cluster);
    }
    assertThat(slack.getAllServeEvents()).as("nothing re-alerted after a restart").hasSize(calls);

    // a fourth cluster joins: an edit and a thread reply, no new message
    int edits = groupUpdates().size();
    int replies = replies().size();
    hotfix("prod-eu-1", 9);
    scan("prod-eu-1");
    assertThat(posts()).hasSize(2);
    assertThat(groupUpdates()).hasSize(edits + 1);
    assertThat(groupUpdates().get(edits).get("blocks"))
        .contains("4 clusters")
        .contains("prod-eu-1");
    assertThat(replies()).hasSize(replies + 1);
    assertThat(replies().get(replies).get("blocks")).contains("Joined").contains("prod-eu-1");
    assertThat(
            store.alertStates().find("prod-eu-1", AlertPlanner.incidentKey("prod-eu-1", CHANNEL)))
        .isEmpty();

    // all revert: the group leaves open until the last one, then it is resolved
    for (String cluster : List.of("prod-eu-1", "prod-us-1", "staging-1")) {
      live.sync(
          cluster, ExampleCharts.rendering().renderCluster(service.fleet(), cluster).objects());
      scan(cluster);
      assertThat(store.alertStates().find(FleetGroups.CLUSTER, key).orElseThrow().status())
          .isEqualTo(AlertStatus.OPEN);
    }
    assertThat(posts()).as("the last cluster stays in the group message").hasSize(2);
    live.sync("dev-1", ExampleCharts.rendering().renderCluster(service.fleet(), "dev-1").objects());
    scan("dev-1");
    assertThat(store.alertStates().find(FleetGroups.CLUSTER, key).orElseThrow().status())
        .isEqualTo(AlertStatus.RESOLVED);
    Map<String, String> resolved = groupUpdates().get(groupUpdates().size() - 1);
    assertThat(resolved.get("text")).startsWith("Resolved: drift of");
    assertThat(replies().get(replies().size() - 1).get("blocks"))
        .contains("no cluster drifts this way any more");
    assertThat(groupPosts()).singleElement();
    assertThat(store.findings().open()).isEmpty();
  }
}

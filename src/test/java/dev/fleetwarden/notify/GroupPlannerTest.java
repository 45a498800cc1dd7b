package dev.fleetwarden.notify;

import static dev.fleetwarden.notify.NotifyFixtures.COMMIT;
import static dev.fleetwarden.notify.NotifyFixtures.T0;
import static dev.fleetwarden.notify.NotifyFixtures.configValue;
import static dev.fleetwarden.notify.NotifyFixtures.image;
import static dev.fleetwarden.notify.NotifyFixtures.replicas;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.fleet.FleetSettings.NotificationRoute;
import dev.fleetwarden.ledger.AlertStatus;
import dev.fleetwarden.ledger.DriftGroups;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.InMemoryAlertStates;
import dev.fleetwarden.ledger.InMemoryFindings;
import dev.fleetwarden.ledger.InMemoryOutbox;
import dev.fleetwarden.ledger.InMemoryScans;
import dev.fleetwarden.ledger.MutableClock;
import dev.fleetwarden.ledger.OutboxMessage;
import dev.fleetwarden.ledger.ScanOutcome;
import dev.fleetwarden.model.ClusterStatus;
import dev.fleetwarden.model.ObjectDrift;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Fleet-wide group messages: the same drift on several clusters is one message per channel, and its
 * drifts leave the clusters' incidents. Scans are recorded by the ledger's own rules ({@link
 * InMemoryFindings}), planned as the service plans them, and sent through the real dispatcher to a
 * fake Slack.
 */
class GroupPlannerTest {
  private static final String FLEET_CHANNEL = "#fleet";
  private static final String PROD_CHANNEL = "#platform-prod-alerts";
  private static final String OTHER_CHANNEL = "#platform-alerts";
  private static final String MENTION = "@platform-oncall";

  private static final Map<String, ClusterContext> CLUSTERS =
      Map.of(
          "prod-eu-1", context("prod-eu-1", "prod"),
          "prod-us-1", context("prod-us-1", "prod"),
          "staging-1", context("staging-1", "staging"),
          "dev-1", context("dev-1", "dev"));

  private static ClusterContext context(String name, String environment) {
    return new ClusterContext(
        name, environment, Map.of(), Map.of("ingress", "team-platform", "policies", "team-sec"));
  }

  /** The hotfix: nine replicas by hand, whatever each cluster's fleet repo says. */
  private static ObjectDrift hotfix(String cluster) {
    return replicas(cluster, cluster.startsWith("prod") ? 4 : 2, 9);
  }

  /** The fleet's alerting as the service runs it (reconcile.Alerts), over in-memory stores. */
  private static final class Fleet {
    final MutableClock clock = new MutableClock(T0);
    final InMemoryFindings findings = new InMemoryFindings(new InMemoryScans());
    final InMemoryAlertStates states = new InMemoryAlertStates(clock);
    final InMemoryOutbox outbox = new InMemoryOutbox(clock);
    final FakeNotifier slack = new FakeNotifier();
    final OutboxDispatcher dispatcher = new OutboxDispatcher(outbox, states, slack, clock, null);
    final AlertRouter router;

    Fleet(AlertRouter router) {
      this.router = router;
    }

    /** Records a scan of a cluster that found these drifts, plans it, enqueues and sends. */
    int scan(String cluster, ObjectDrift... drifts) {
      clock.advance(Duration.ofMinutes(1));
      ScanOutcome outcome = findings.recordScan(cluster, clock.instant(), List.of(drifts), COMMIT);
      int added = plan(outcome);
      dispatcher.dispatchDue();
      return added;
    }

    /** Plans one recorded scan as reconcile.Alerts does; returns how many messages it added. */
    int plan(ScanOutcome outcome) {
      List<Finding> open = findings.open();
      var openGroups = states.openOf(FleetGroups.CLUSTER);
      FleetGroups groups = FleetGroups.of(open, outcome, GroupPlanner.groupsOf(openGroups));
      GroupPlanner groupPlanner = new GroupPlanner(router, null);
      GroupScan groupScan = new GroupScan(groups, CLUSTERS, outcome.at(), COMMIT, null, Map.of());
      Map<String, dev.fleetwarden.ledger.AlertState> found = new HashMap<>();
      openGroups.forEach(s -> found.put(s.fingerprint(), s));
      Set<String> waiting = new HashSet<>();
      for (String key : groupPlanner.routedKeys(groupScan)) {
        states.find(FleetGroups.CLUSTER, key).ifPresent(s -> found.putIfAbsent(key, s));
        if (outbox.hasUnsent(OutboxMessage.orderKey(FleetGroups.CLUSTER, key))) {
          waiting.add(key);
        }
      }
      int added = groupPlanner.plan(groupScan, found, waiting).enqueueInto(outbox);
      AlertPlanner planner = new AlertPlanner(router, null);
      String cluster = outcome.cluster();
      added +=
          NotifyFixtures.plan(
                  planner,
                  groups.incidentView(
                      new ClusterFindings(
                          CLUSTERS.get(cluster), outcome, open(cluster), COMMIT, null, Map.of())),
                  states,
                  outbox)
              .enqueueInto(outbox);
      for (String other : groups.otherClustersAffected(cluster)) {
        List<Finding> otherOpen = open(other);
        ScanOutcome unchanged =
            new ScanOutcome(
                other,
                outcome.at(),
                ClusterStatus.DRIFTED,
                List.of(),
                List.of(),
                List.of(),
                otherOpen);
        added +=
            NotifyFixtures.plan(
                    planner,
                    groups.incidentView(
                        new ClusterFindings(
                            CLUSTERS.get(other), unchanged, otherOpen, COMMIT, null, Map.of())),
                    states,
                    outbox)
                .enqueueInto(outbox);
      }
      return added;
    }

    List<Finding> open(String cluster) {
      return findings.open(cluster);
    }

    /** Top-level posts (new messages), in order. */
    List<FakeNotifier.Call> posts() {
      return slack.of("post").stream().filter(c -> c.threadTs() == null).toList();
    }

    List<FakeNotifier.Call> replies() {
      return slack.of("post").stream().filter(c -> c.threadTs() != null).toList();
    }

    List<FakeNotifier.Call> updates() {
      return slack.of("update");
    }

    String groupKey(String channel) {
      return GroupPlanner.groupKey(DriftGroups.fingerprintOf(hotfix("prod-eu-1")), channel);
    }

    AlertStatus groupStatus(String channel) {
      return states.find(FleetGroups.CLUSTER, groupKey(channel)).orElseThrow().status();
    }
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void threeClustersAreOneMessageUpdatedWhenAFourthJoinsAndResolvedWhenAllRevert() {
    Fleet fleet = new Fleet(new AlertRouter(List.of(), FLEET_CHANNEL));
    fleet.scan("prod-eu-1", hotfix("prod-eu-1"));
    assertThat(fleet.posts()).as("one cluster: its incident").hasSize(1);
    fleet.scan("prod-us-1", hotfix("prod-us-1"));
    fleet.scan("staging-1", hotfix("staging-1"));

    List<FakeNotifier.Call> groupPosts =
        fleet.posts().stream().filter(c -> c.text().startsWith("Same drift")).toList();
    assertThat(groupPosts).singleElement();
    FakeNotifier.Call group = groupPosts.get(0);
    assertThat(group.channel()).isEqualTo(FLEET_CHANNEL);
    assertThat(group.text())
        .isEqualTo(
            "Same drift on 2 clusters (drifted): Deployment.apps/ingress/ingress-controller"
                + " modified on prod-eu-1, prod-us-1");
    assertThat(group.blocks())
        .contains("`/spec/replicas`: `4` → `9`")
        .contains("changed by `kubectl-edit`")
        .contains(fleet.groupKey(FLEET_CHANNEL));
    assertThat(fleet.posts())
        .as("the first incident and the group, nothing for prod-us-1")
        .hasSize(2);
    // the third joins the group: an edit and a reply, no new message
    assertThat(fleet.updates().get(fleet.updates().size() - 1).blocks())
        .contains("3 clusters")
        .contains("staging-1")
        .contains("`/spec/replicas`: (`4` on prod-eu-1, prod-us-1; `2` on staging-1) → `9`");
    assertThat(fleet.replies().get(fleet.replies().size() - 1).blocks())
        .contains("*Joined*")
        .contains("staging-1* drifts the same way");

    int updates = fleet.updates().size();
    int replies = fleet.replies().size();
    fleet.scan("dev-1", hotfix("dev-1"));
    assertThat(fleet.posts()).as("a fourth cluster joins: no new message").hasSize(2);
    assertThat(fleet.updates()).hasSize(updates + 1);
    assertThat(fleet.replies()).hasSize(replies + 1);
    assertThat(fleet.updates().get(updates).blocks()).contains("4 clusters").contains("dev-1");

    for (String cluster : List.of("prod-eu-1", "prod-us-1", "staging-1")) {
      fleet.scan(cluster);
      assertThat(fleet.groupStatus(FLEET_CHANNEL)).isEqualTo(AlertStatus.OPEN);
    }
    assertThat(fleet.replies().get(fleet.replies().size() - 1).blocks())
        .contains("*Left*")
        .contains("staging-1* is back in sync");
    assertThat(fleet.open("dev-1")).hasSize(1);
    assertThat(fleet.posts())
        .as("the group shrank to one cluster: it stays in the group message")
        .hasSize(2);

    fleet.scan("dev-1");
    assertThat(fleet.groupStatus(FLEET_CHANNEL)).isEqualTo(AlertStatus.RESOLVED);
    assertThat(fleet.updates().get(fleet.updates().size() - 1).text())
        .startsWith("Resolved: drift of Deployment.apps/ingress/ingress-controller");
    assertThat(fleet.replies().get(fleet.replies().size() - 1).blocks())
        .contains("no cluster drifts this way any more")
        .contains("dev-1* is back in sync");
    assertThat(fleet.posts()).hasSize(2);
    assertThat(fleet.outbox.pendingCount()).isZero();
  }

  @Test
  void aDriftToldInItsIncidentMovesToTheGroupWhenASecondClusterHasItAndIsToldOnce() {
    Fleet fleet = new Fleet(new AlertRouter(List.of(), FLEET_CHANNEL));
    fleet.scan("prod-eu-1", hotfix("prod-eu-1"));
    String incidentKey = AlertPlanner.incidentKey("prod-eu-1", FLEET_CHANNEL);
    assertThat(fleet.posts().get(0).text()).startsWith("Drift on prod-eu-1");

    fleet.scan("prod-us-1", hotfix("prod-us-1"));
    // prod-eu-1's incident: edited to resolved, its thread says where the drift went
    assertThat(fleet.states.find("prod-eu-1", incidentKey).orElseThrow().status())
        .isEqualTo(AlertStatus.RESOLVED);
    List<FakeNotifier.Call> incidentReplies =
        fleet.replies().stream()
            .filter(c -> c.threadTs().equals(fleet.posts().get(0).ts()))
            .toList();
    assertThat(incidentReplies).singleElement();
    assertThat(incidentReplies.get(0).blocks())
        .contains("*Moved to a fleet-wide message*")
        .contains("is now told in the message of `Deployment.apps/ingress/ingress-controller on 2")
        .contains("what is still drifting is told in a fleet-wide message")
        .doesNotContain("is back in sync");
    assertThat(fleet.posts()).extracting(FakeNotifier.Call::text).hasSize(2);
    assertThat(fleet.states.find("prod-us-1", AlertPlanner.incidentKey("prod-us-1", FLEET_CHANNEL)))
        .as("prod-us-1's drift is only told in the group")
        .isEmpty();

    // the same scans planned again, and a later scan: nothing new
    int pending = fleet.outbox.all().size();
    fleet.scan("prod-eu-1", hotfix("prod-eu-1"));
    fleet.scan("prod-us-1", hotfix("prod-us-1"));
    assertThat(fleet.outbox.all()).hasSize(pending);
  }

  @Test
  void aGroupedDriftIsNotAlsoInItsClustersIncident() {
    Fleet fleet = new Fleet(new AlertRouter(List.of(), FLEET_CHANNEL));
    fleet.scan("prod-us-1", hotfix("prod-us-1"));
    ObjectDrift own = configValue("prod-eu-1", "settings", "debug");
    fleet.scan("prod-eu-1", hotfix("prod-eu-1"), own);

    FakeNotifier.Call incident =
        fleet.posts().stream()
            .filter(c -> c.text().startsWith("Drift on prod-eu-1"))
            .findFirst()
            .orElseThrow();
    assertThat(incident.blocks())
        .contains("1 object differs")
        .contains("ConfigMap/ingress/settings")
        .doesNotContain("/spec/replicas");
    FakeNotifier.Call group =
        fleet.posts().stream()
            .filter(c -> c.text().startsWith("Same drift"))
            .findFirst()
            .orElseThrow();
    assertThat(group.blocks()).contains("/spec/replicas").doesNotContain("ConfigMap");

    // the ConfigMap resolves: the incident resolves, the group stays as it is
    int groupUpdates =
        (int) fleet.updates().stream().filter(c -> c.ts().equals(group.ts())).count();
    fleet.scan("prod-eu-1", hotfix("prod-eu-1"));
    assertThat(
            fleet
                .states
                .find("prod-eu-1", AlertPlanner.incidentKey("prod-eu-1", FLEET_CHANNEL))
                .orElseThrow()
                .status())
        .isEqualTo(AlertStatus.RESOLVED);
    assertThat(fleet.updates().stream().filter(c -> c.ts().equals(group.ts())).count())
        .isEqualTo(groupUpdates);
    assertThat(fleet.groupStatus(FLEET_CHANNEL)).isEqualTo(AlertStatus.OPEN);
  }

  @Test
  void aGroupGoesToEachChannelItsClustersRouteToOnceWithOneMentionEach() {
    NotificationRoute prod = new NotificationRoute("prod", null, null, PROD_CHANNEL, MENTION);
    NotificationRoute rest = new NotificationRoute(null, null, null, OTHER_CHANNEL, null);
    Fleet fleet = new Fleet(new AlertRouter(List.of(prod, rest), null));
    fleet.scan("prod-eu-1", hotfix("prod-eu-1"));
    fleet.scan("prod-us-1", hotfix("prod-us-1"));
    fleet.scan("staging-1", hotfix("staging-1"));

    List<FakeNotifier.Call> groupPosts =
        fleet.posts().stream().filter(c -> c.text().contains("Same drift")).toList();
    assertThat(groupPosts)
        .extracting(FakeNotifier.Call::channel)
        .containsExactlyInAnyOrder(PROD_CHANNEL, OTHER_CHANNEL);
    FakeNotifier.Call inProd =
        groupPosts.stream().filter(c -> c.channel().equals(PROD_CHANNEL)).findFirst().orElseThrow();
    assertThat(count(inProd.text() + inProd.blocks(), MENTION)).isEqualTo(2); // text + blocks
    assertThat(count(inProd.blocks(), MENTION)).isEqualTo(1);
    FakeNotifier.Call inOther =
        groupPosts.stream()
            .filter(c -> c.channel().equals(OTHER_CHANNEL))
            .findFirst()
            .orElseThrow();
    assertThat(inOther.blocks())
        .as("the channel that joined later lists every cluster")
        .contains("prod-eu-1")
        .contains("staging-1")
        .doesNotContain(MENTION);
    // the prod channel got the staging cluster as an edit, without a mention
    FakeNotifier.Call lastProdEdit =
        fleet.updates().stream()
            .filter(c -> c.ts().equals(inProd.ts()))
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(lastProdEdit.blocks()).contains("3 clusters").contains("staging-1");
    assertThat(fleet.replies())
        .allSatisfy(r -> assertThat(r.text() + r.blocks()).doesNotContain(MENTION));

    // staging-1 leaves: the #platform-alerts message stays open until the group resolves
    fleet.scan("staging-1");
    assertThat(fleet.groupStatus(OTHER_CHANNEL)).isEqualTo(AlertStatus.OPEN);
    fleet.scan("prod-eu-1");
    fleet.scan("prod-us-1");
    assertThat(fleet.groupStatus(OTHER_CHANNEL)).isEqualTo(AlertStatus.RESOLVED);
    assertThat(fleet.groupStatus(PROD_CHANNEL)).isEqualTo(AlertStatus.RESOLVED);
    assertThat(fleet.posts().stream().filter(c -> c.text().contains("Same drift"))).hasSize(2);
  }

  @Test
  void aRestartRealertsNothingAndTheGroupKeepsItsLastClusterUntilItResolves() {
    Fleet fleet = new Fleet(new AlertRouter(List.of(), FLEET_CHANNEL));
    fleet.scan("prod-eu-1", hotfix("prod-eu-1"));
    fleet.scan("prod-us-1", hotfix("prod-us-1"));
    fleet.scan("prod-us-1");
    assertThat(fleet.groupStatus(FLEET_CHANNEL)).isEqualTo(AlertStatus.OPEN);
    int posts = fleet.posts().size();
    int rows = fleet.outbox.all().size();

    // a restarted service plans from the stores alone (the planners keep nothing): a scan of the
    // last cluster, recorded and planned, adds nothing
    fleet.clock.advance(Duration.ofMinutes(1));
    ScanOutcome again =
        fleet.findings.recordScan(
            "prod-eu-1", fleet.clock.instant(), List.of(hotfix("prod-eu-1")), COMMIT);
    assertThat(fleet.plan(again)).isZero();
    assertThat(fleet.plan(again)).as("the same scan planned twice").isZero();
    fleet.dispatcher.dispatchDue();
    assertThat(fleet.posts()).hasSize(posts);
    assertThat(fleet.outbox.all()).hasSize(rows);
    assertThat(fleet.states.find("prod-eu-1", AlertPlanner.incidentKey("prod-eu-1", FLEET_CHANNEL)))
        .as("the last cluster's drift did not go back to its incident")
        .hasValueSatisfying(s -> assertThat(s.status()).isEqualTo(AlertStatus.RESOLVED));

    fleet.scan("prod-eu-1");
    assertThat(fleet.groupStatus(FLEET_CHANNEL)).isEqualTo(AlertStatus.RESOLVED);
    assertThat(fleet.posts()).hasSize(posts);
  }

  @Test
  void aMemberWhoseDriftChangesLeavesTheGroupForItsIncident() {
    Fleet fleet = new Fleet(new AlertRouter(List.of(), FLEET_CHANNEL));
    fleet.scan("prod-eu-1", hotfix("prod-eu-1"));
    fleet.scan("prod-us-1", hotfix("prod-us-1"));
    fleet.scan("staging-1", hotfix("staging-1"));
    int posts = fleet.posts().size();

    fleet.scan("staging-1", replicas("staging-1", 2, 12));
    assertThat(fleet.replies().get(fleet.replies().size() - 1).blocks())
        .contains("staging-1* drifts differently now");
    List<FakeNotifier.Call> newPosts = fleet.posts().subList(posts, fleet.posts().size());
    assertThat(newPosts).singleElement();
    assertThat(newPosts.get(0).text()).startsWith("Drift on staging-1");
    assertThat(newPosts.get(0).blocks()).contains("`12`");

    // an image drift on one cluster only stays in its incident
    fleet.scan("dev-1", image("dev-1", "ingress:1.0", "ingress:1.0-hotfix"));
    assertThat(fleet.posts().get(fleet.posts().size() - 1).text()).startsWith("Drift on dev-1");
  }

  @Test
  void aGroupMessageEscapesAndCapsWhatComesFromTheClustersAndShowsNoSecretValue() {
    Fleet fleet = new Fleet(new AlertRouter(List.of(), FLEET_CHANNEL));
    String hostile =
        "<!channel> <https://evil.example|click> `x` *bold*\n> quote " + "v".repeat(900);
    for (String cluster : List.of("prod-eu-1", "prod-us-1")) {
      ObjectDrift d = configValue(cluster, "settings", hostile);
      ObjectDrift byHostileManager =
          new ObjectDrift(
              d.resource(),
              d.addon(),
              d.source(),
              d.type(),
              d.file(),
              List.of(d.fields().get(0).withManager("<@U123> @here", T0)));
      fleet.scan(cluster, byHostileManager, NotifyFixtures.secretDrift(cluster));
    }
    List<FakeNotifier.Call> groups =
        fleet.posts().stream().filter(c -> c.text().startsWith("Same drift")).toList();
    assertThat(groups).hasSize(2); // the ConfigMap's group and the Secret's
    for (FakeNotifier.Call m : fleet.slack.calls) {
      String all = m.text() + m.blocks();
      assertThat(all)
          .doesNotContain("<!channel>")
          .doesNotContain("<https://evil")
          .doesNotContain("<@U123>")
          .doesNotContain("@here")
          .doesNotContain("v".repeat(600))
          .doesNotContain(NotifyFixtures.SECRET_VALUE)
          .doesNotContain(NotifyFixtures.base64(NotifyFixtures.SECRET_VALUE));
    }
    assertThat(groups.stream().map(FakeNotifier.Call::blocks).filter(b -> b.contains("hmac:")))
        .as("the Secret's group shows the masked hash")
        .hasSize(1);
  }
}

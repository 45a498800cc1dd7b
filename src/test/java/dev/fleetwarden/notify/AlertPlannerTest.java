package dev.fleetwarden.notify;

import static dev.fleetwarden.notify.NotifyFixtures.COMMIT;
import static dev.fleetwarden.notify.NotifyFixtures.COMMIT_URL;
import static dev.fleetwarden.notify.NotifyFixtures.DEV;
import static dev.fleetwarden.notify.NotifyFixtures.PROD;
import static dev.fleetwarden.notify.NotifyFixtures.PR_URL;
import static dev.fleetwarden.notify.NotifyFixtures.T0;
import static dev.fleetwarden.notify.NotifyFixtures.configValue;
import static dev.fleetwarden.notify.NotifyFixtures.missingPolicy;
import static dev.fleetwarden.notify.NotifyFixtures.replicas;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.fleet.FleetSettings.NotificationRoute;
import dev.fleetwarden.ledger.AlertState;
import dev.fleetwarden.ledger.AlertStatus;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.InMemoryAlertStates;
import dev.fleetwarden.ledger.InMemoryOutbox;
import dev.fleetwarden.ledger.MutableClock;
import dev.fleetwarden.ledger.OutboxMessage;
import dev.fleetwarden.ledger.OutboxMessage.Kind;
import dev.fleetwarden.ledger.ScanLedger;
import dev.fleetwarden.ledger.ScanOutcome;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.RenderError;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertPlannerTest {
  private static final String MENTION = "@platform-oncall";
  private static final String PROD_CHANNEL = "#platform-prod-alerts";

  private final AlertPlanner planner = NotifyFixtures.planner(Duration.ofHours(4));

  private static final ObjectDrift DEPLOY = replicas("prod-eu-1", 4, 6);
  private static final ObjectDrift POLICY = missingPolicy("prod-eu-1");
  private static final ObjectDrift SETTINGS = configValue("prod-eu-1", "settings", "debug");
  private static final ObjectDrift ROUTES = configValue("prod-eu-1", "routes", "open");

  private static List<Kind> kinds(AlertPlan plan) {
    return plan.messages().stream().map(m -> m.message().kind()).toList();
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  /**
   * One cluster's life: scans decided by the ledger's own rules ({@link ScanLedger}), planned, and
   * sent through the real dispatcher to a fake Slack.
   */
  private final class Flow {
    final MutableClock clock = new MutableClock(T0);
    final InMemoryOutbox outbox = new InMemoryOutbox(clock);
    final InMemoryAlertStates states = new InMemoryAlertStates(clock);
    final FakeNotifier slack = new FakeNotifier();
    final ClusterContext cluster;
    AlertPlanner planner = AlertPlannerTest.this.planner;
    OutboxDispatcher dispatcher = new OutboxDispatcher(outbox, states, slack, clock, null);
    List<Finding> open = List.of();
    Map<String, String> prs = new HashMap<>();

    Flow(ClusterContext cluster) {
      this.cluster = cluster;
    }

    /** Records a scan that found these drifts, a minute after the last one. */
    ClusterFindings scan(ObjectDrift... drifts) {
      clock.advance(Duration.ofMinutes(1));
      ScanOutcome outcome =
          ScanLedger.compare(
              cluster.cluster(), null, clock.instant(), COMMIT, open, List.of(drifts));
      open = outcome.open();
      return new ClusterFindings(cluster, outcome, open, COMMIT, COMMIT_URL, prs);
    }

    AlertPlan plan(ClusterFindings scan) {
      return NotifyFixtures.plan(planner, scan, states, outbox);
    }

    /** Plans, enqueues and sends a scan; returns what it enqueued. */
    AlertPlan run(ObjectDrift... drifts) {
      AlertPlan plan = plan(scan(drifts));
      plan.enqueueInto(outbox);
      send();
      return plan;
    }

    void send() {
      dispatcher.dispatchDue();
    }

    List<FakeNotifier.Call> posts() {
      return slack.of("post").stream().filter(c -> c.threadTs() == null).toList();
    }

    List<FakeNotifier.Call> replies() {
      return slack.of("post").stream().filter(c -> c.threadTs() != null).toList();
    }

    AlertState incident(String channel) {
      return states
          .find(cluster.cluster(), AlertPlanner.incidentKey(cluster.cluster(), channel))
          .orElseThrow();
    }
  }

  @Test
  void fourDriftedObjectsOfOneScanAreOneMessageWithOneMention() {
    Flow flow = new Flow(PROD);
    AlertPlan plan = flow.plan(flow.scan(DEPLOY, POLICY, SETTINGS, ROUTES));

    assertThat(kinds(plan)).containsExactly(Kind.ALERT);
    OutboxMessage m = plan.messages().get(0).message();
    String key = AlertPlanner.incidentKey("prod-eu-1", PROD_CHANNEL);
    assertThat(m.fingerprint()).isEqualTo(key);
    assertThat(plan.messages().get(0).dedupKey())
        .isEqualTo("incident:prod-eu-1:" + key + ":" + flow.clock.instant());
    assertThat(m.channel()).isEqualTo(PROD_CHANNEL);
    assertThat(m.status()).isEqualTo(AlertStatus.OPEN);
    assertThat(m.text()).startsWith(MENTION + " Drift on prod-eu-1 (missing)");
    assertThat(count(m.blocks(), MENTION)).isEqualTo(1);
    assertThat(m.blocks())
        .contains("4 objects differ")
        .contains(DEPLOY.resource().toString())
        .contains(POLICY.resource().toString())
        .contains(SETTINGS.resource().toString())
        .contains(ROUTES.resource().toString());
    // the worst drift first: the deleted NetworkPolicy is missing, the others modified
    assertThat(m.blocks().indexOf(POLICY.resource().toString()))
        .isLessThan(m.blocks().indexOf(DEPLOY.resource().toString()));

    plan.enqueueInto(flow.outbox);
    flow.send();
    assertThat(flow.posts()).singleElement();
    assertThat(flow.slack.calls).hasSize(1);
  }

  @Test
  void objectsResolvedOneByOneEditTheMessageAndReplyUntilTheLastResolvesIt() {
    Flow flow = new Flow(PROD);
    flow.run(DEPLOY, POLICY, SETTINGS, ROUTES);
    String ts = flow.posts().get(0).ts();

    AlertPlan first = flow.run(DEPLOY, SETTINGS, ROUTES);
    assertThat(kinds(first)).containsExactly(Kind.UPDATE, Kind.THREAD_REPLY);
    assertThat(first.messages().get(0).message().blocks())
        .contains("3 objects differ")
        .doesNotContain(POLICY.resource().toString());
    String reply = first.messages().get(1).message().blocks();
    assertThat(reply)
        .contains("Back in sync")
        .contains(POLICY.resource().toString() + "` is back in sync")
        .contains("3 objects open")
        .doesNotContain(DEPLOY.resource().toString());
    assertThat(first.messages().get(1).message().text())
        .isEqualTo("Drift on prod-eu-1: 1 back in sync; 3 objects open");

    flow.run(SETTINGS, ROUTES);
    flow.run(ROUTES);
    AlertPlan last = flow.run();
    assertThat(kinds(last)).containsExactly(Kind.UPDATE, Kind.THREAD_REPLY);
    assertThat(last.messages().get(0).message().status()).isEqualTo(AlertStatus.RESOLVED);
    assertThat(last.messages().get(0).message().blocks())
        .contains(":white_check_mark: Resolved: drift on prod-eu-1");
    assertThat(last.messages().get(1).message().text())
        .startsWith("Resolved at ")
        .endsWith(": drift on prod-eu-1");
    assertThat(last.messages().get(1).message().blocks())
        .contains(ROUTES.resource().toString() + "` is back in sync")
        .contains("open for 4m");

    assertThat(flow.posts()).as("one message for the whole incident").hasSize(1);
    assertThat(flow.slack.of("update"))
        .hasSize(4)
        .allSatisfy(u -> assertThat(u.ts()).isEqualTo(ts));
    assertThat(flow.replies())
        .hasSize(4)
        .allSatisfy(r -> assertThat(r.threadTs()).isEqualTo(ts))
        .allSatisfy(r -> assertThat(r.text() + r.blocks()).doesNotContain(MENTION));
    assertThat(flow.slack.of("update").get(3).text()).doesNotContain(MENTION);
    assertThat(flow.incident(PROD_CHANNEL).status()).isEqualTo(AlertStatus.RESOLVED);
  }

  @Test
  void driftsThatJoinOrChangeEditTheMessageWithOneReplyPerScan() {
    Flow flow = new Flow(PROD);
    flow.run(DEPLOY, SETTINGS);
    AlertPlan plan = flow.run(replicas("prod-eu-1", 4, 7), SETTINGS, POLICY);

    assertThat(kinds(plan)).containsExactly(Kind.UPDATE, Kind.THREAD_REPLY);
    assertThat(plan.messages().get(0).message().blocks())
        .contains("3 objects differ")
        .contains("`4` → `7`");
    String reply = plan.messages().get(1).message().blocks();
    assertThat(reply)
        .contains("*New*\\n• `" + POLICY.resource() + "` missing")
        .contains("*Changed*\\n• `" + DEPLOY.resource() + "` `/spec/replicas`: live `6` → `7`")
        .doesNotContain(SETTINGS.resource().toString());
    assertThat(plan.messages().get(1).message().text())
        .isEqualTo("Drift on prod-eu-1: 1 new, 1 changed; 3 objects open");
    assertThat(flow.posts()).hasSize(1);
    assertThat(flow.replies()).singleElement();
  }

  @Test
  void aDriftAfterTheIncidentResolvedOpensANewMessageWithTheMentionAgain() {
    Flow flow = new Flow(PROD);
    flow.run(DEPLOY, POLICY);
    flow.run();
    String firstTs = flow.posts().get(0).ts();

    AlertPlan again = flow.run(SETTINGS);
    assertThat(kinds(again)).containsExactly(Kind.ALERT);
    assertThat(again.messages().get(0).message().text()).startsWith(MENTION);
    assertThat(flow.posts()).hasSize(2);
    AlertState state = flow.incident(PROD_CHANNEL);
    assertThat(state.status()).isEqualTo(AlertStatus.OPEN);
    assertThat(state.ts()).isNotEqualTo(firstTs).isEqualTo(flow.posts().get(1).ts());

    // Its changes go to the new message and its thread; the old one stays resolved.
    flow.run(SETTINGS, ROUTES);
    assertThat(flow.slack.of("update").get(1).ts()).isEqualTo(state.ts());
    assertThat(flow.replies().get(1).threadTs()).isEqualTo(state.ts());
  }

  @Test
  void aResolveAndTheNextIncidentWaitingInTheOutboxGoOutInOrder() {
    Flow flow = new Flow(PROD);
    flow.run(DEPLOY);
    // Slack is unreachable for two scans: the resolve and the next incident wait together.
    flow.plan(flow.scan()).enqueueInto(flow.outbox);
    flow.plan(flow.scan(SETTINGS)).enqueueInto(flow.outbox);
    flow.send();

    assertThat(flow.slack.calls)
        .extracting(FakeNotifier.Call::action, c -> c.threadTs() != null)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("post", false),
            org.assertj.core.groups.Tuple.tuple("update", false),
            org.assertj.core.groups.Tuple.tuple("post", true),
            org.assertj.core.groups.Tuple.tuple("post", false));
    assertThat(flow.slack.of("update").get(0).ts()).isEqualTo(flow.posts().get(0).ts());
    assertThat(flow.posts().get(1).text()).startsWith(MENTION).contains("ConfigMap");
  }

  @Test
  void planningTheSameScanTwiceEnqueuesNothingNew() {
    Flow flow = new Flow(PROD);
    List<ClusterFindings> scans = new ArrayList<>();
    scans.add(flow.scan(DEPLOY, POLICY));
    scans.add(flow.scan(replicas("prod-eu-1", 4, 7), POLICY, SETTINGS));
    scans.add(flow.scan(SETTINGS));
    scans.add(flow.scan());
    scans.add(flow.scan(ROUTES));
    for (ClusterFindings scan : scans) {
      int added = flow.plan(scan).enqueueInto(flow.outbox);
      assertThat(added).isPositive();
      assertThat(flow.plan(scan).enqueueInto(flow.outbox)).as("planned again").isZero();
      flow.send();
      assertThat(flow.plan(scan).enqueueInto(flow.outbox)).as("planned after sending").isZero();
    }
    assertThat(flow.posts()).hasSize(2);
  }

  @Test
  void aRestartNeitherPostsNorResolvesAgain() {
    Flow flow = new Flow(PROD);
    flow.run(DEPLOY, POLICY);
    ClusterFindings resolving = flow.scan(DEPLOY);
    flow.plan(resolving).enqueueInto(flow.outbox);
    flow.send();
    int calls = flow.slack.calls.size();

    // "Restart": a new planner and dispatcher over the same outbox and alert states.
    flow.planner = NotifyFixtures.planner(Duration.ofHours(4));
    flow.dispatcher = new OutboxDispatcher(flow.outbox, flow.states, flow.slack, flow.clock, null);
    assertThat(flow.plan(resolving).enqueueInto(flow.outbox)).as("the last scan replayed").isZero();
    assertThat(flow.run(DEPLOY).messages()).as("the next scan").isEmpty();
    flow.send();
    assertThat(flow.slack.calls).hasSize(calls);
    assertThat(flow.posts()).hasSize(1);
  }

  @Test
  void aPostStillWaitingInTheOutboxIsEditedOnceSentNeverPostedTwice() {
    Flow flow = new Flow(PROD);
    flow.plan(flow.scan(DEPLOY)).enqueueInto(flow.outbox);
    // The next scan plans before the post went out: no alert state yet, the post waiting.
    AlertPlan join = flow.plan(flow.scan(DEPLOY, POLICY));
    assertThat(kinds(join)).containsExactly(Kind.UPDATE, Kind.THREAD_REPLY);
    join.enqueueInto(flow.outbox);
    flow.send();

    assertThat(flow.posts()).singleElement();
    String ts = flow.posts().get(0).ts();
    assertThat(flow.slack.of("update"))
        .singleElement()
        .satisfies(u -> assertThat(u.ts()).isEqualTo(ts));
    assertThat(flow.replies())
        .singleElement()
        .satisfies(r -> assertThat(r.threadTs()).isEqualTo(ts));
  }

  @Test
  void anOpenIncidentWhosePostWasLostIsPostedOnce() {
    Flow flow = new Flow(PROD);
    flow.scan(DEPLOY); // recorded, then the process died before planning
    ClusterFindings next = flow.scan(DEPLOY);
    AlertPlan plan = flow.plan(next);
    assertThat(kinds(plan)).containsExactly(Kind.ALERT);
    assertThat(plan.messages().get(0).dedupKey()).endsWith(":after:none");
    plan.enqueueInto(flow.outbox);
    assertThat(flow.plan(flow.scan(DEPLOY)).enqueueInto(flow.outbox)).isZero();
    flow.send();
    assertThat(flow.posts()).singleElement();
  }

  @Test
  void anIncidentThatNeverHadAMessageResolvesSilently() {
    Flow flow = new Flow(PROD);
    flow.scan(DEPLOY); // recorded, then the process died before planning
    assertThat(flow.plan(flow.scan()).messages()).isEmpty();
  }

  @Test
  void driftsRoutedToTwoChannelsAreTwoIncidents() {
    Flow flow = new Flow(DEV);
    AlertPlan plan =
        flow.plan(
            flow.scan(missingPolicy("dev"), replicas("dev", 1, 3), configValue("dev", "x", "y")));
    assertThat(plan.messages())
        .extracting(p -> p.message().channel())
        .containsExactly("#platform-alerts", "#security-alerts");
    assertThat(plan.messages().get(0).message().fingerprint())
        .isNotEqualTo(plan.messages().get(1).message().fingerprint());
    assertThat(plan.messages().get(0).message().blocks()).contains("2 objects differ");
    assertThat(AlertPlanner.incidentKey("dev", "#platform-alerts"))
        .isNotEqualTo(AlertPlanner.incidentKey("prod-eu-1", "#platform-alerts"))
        .hasSize(AlertPlanner.INCIDENT_PREFIX.length() + 32);
  }

  @Test
  void aDriftThatTurnsCriticalMovesToTheCriticalChannel() {
    AlertPlanner bySeverity =
        new AlertPlanner(
            new AlertRouter(
                List.of(
                    new NotificationRoute(
                        null,
                        null,
                        null,
                        "#critical",
                        "@security",
                        dev.fleetwarden.model.Severity.CRITICAL),
                    new NotificationRoute(null, null, null, "#platform-alerts", null)),
                null),
            null);
    Flow flow = new Flow(DEV);
    flow.planner = bySeverity;
    ObjectDrift open = replicas("dev", 1, 3);
    flow.run(open, configValue("dev", "x", "y"));
    ObjectDrift critical =
        replicas("dev", 1, 4)
            .withRisk(List.of(new dev.fleetwarden.model.Risk("r", "too many", "/spec/replicas")));
    AlertPlan plan = flow.run(critical, configValue("dev", "x", "y"));
    assertThat(plan.messages())
        .extracting(p -> p.message().channel() + " " + p.message().kind())
        .containsExactly(
            "#critical ALERT", "#platform-alerts UPDATE", "#platform-alerts THREAD_REPLY");
    assertThat(plan.messages().get(0).message().text()).startsWith("@security");
    assertThat(plan.messages().get(2).message().blocks()).contains("now goes to `#critical`");
  }

  @Test
  void aPullRequestOpenedLaterIsShownByAQuietEdit() {
    Flow flow = new Flow(PROD);
    flow.run(DEPLOY);
    ClusterFindings again = flow.scan(DEPLOY);
    Map<String, String> urls = Map.of(again.open().get(0).fingerprint(), PR_URL);
    ClusterFindings withPr =
        new ClusterFindings(PROD, again.outcome(), again.open(), COMMIT, COMMIT_URL, urls);
    AlertPlan plan = flow.plan(withPr);
    assertThat(kinds(plan)).containsExactly(Kind.UPDATE);
    assertThat(plan.messages().get(0).message().blocks()).contains(PR_URL);
    plan.enqueueInto(flow.outbox);
    flow.send();
    assertThat(flow.plan(withPr).messages()).as("shown now").isEmpty();
  }

  @Test
  void aReminderPerIncidentWhenDueAndOnlyThen() {
    Flow flow = new Flow(PROD);
    flow.run(DEPLOY, POLICY);
    Instant posted = flow.incident(PROD_CHANNEL).createdAt();
    flow.clock.set(posted.plus(Duration.ofHours(3)));
    assertThat(flow.run(DEPLOY, POLICY).messages()).isEmpty();

    flow.clock.set(posted.plus(Duration.ofHours(4)).minusSeconds(60));
    AlertPlan due = flow.run(DEPLOY, POLICY);
    assertThat(kinds(due)).containsExactly(Kind.REMINDER);
    assertThat(due.messages().get(0).message().text()).contains("still open for 4h 0m");
    assertThat(due.messages().get(0).message().blocks())
        .contains(DEPLOY.resource().toString())
        .contains(POLICY.resource().toString());
    assertThat(flow.replies()).singleElement();

    flow.clock.advance(Duration.ofHours(3));
    assertThat(flow.run(DEPLOY, POLICY).messages()).isEmpty();
    flow.clock.advance(Duration.ofHours(1));
    AlertPlan second = flow.run(DEPLOY, POLICY);
    assertThat(kinds(second)).containsExactly(Kind.REMINDER);
    assertThat(second.messages().get(0).dedupKey()).isNotEqualTo(due.messages().get(0).dedupKey());

    Flow never = new Flow(PROD);
    never.planner = NotifyFixtures.planner(null);
    never.run(DEPLOY);
    never.clock.advance(Duration.ofDays(2));
    assertThat(never.run(DEPLOY).messages()).isEmpty();
  }

  @Test
  void aDriftAlertedOnItsOwnBeforeIncidentsKeepsItsMessage() {
    Flow flow = new Flow(PROD);
    ClusterFindings first = flow.scan(DEPLOY);
    String fp = first.open().get(0).fingerprint();
    flow.states.save(
        new AlertState("prod-eu-1", fp, "C1", "111.1", "h", AlertStatus.OPEN, T0, T0, null));

    AlertPlan join = flow.plan(flow.scan(DEPLOY, POLICY));
    assertThat(kinds(join))
        .as("the new drift opens an incident of its own")
        .containsExactly(Kind.ALERT);
    assertThat(join.messages().get(0).message().blocks())
        .contains("1 object differs")
        .doesNotContain(DEPLOY.resource().toString());
    join.enqueueInto(flow.outbox);
    flow.send();

    AlertPlan resolved = flow.plan(flow.scan(POLICY));
    assertThat(resolved.messages())
        .extracting(p -> p.message().kind() + " " + p.message().fingerprint())
        .containsExactly("UPDATE " + fp, "THREAD_REPLY " + fp);
    assertThat(resolved.messages().get(0).message().status()).isEqualTo(AlertStatus.RESOLVED);
    resolved.enqueueInto(flow.outbox);
    flow.send();
    assertThat(flow.states.find("prod-eu-1", fp).orElseThrow().status())
        .isEqualTo(AlertStatus.RESOLVED);

    // Back later: its own message stays resolved, the drift joins the open incident.
    AlertPlan back = flow.plan(flow.scan(POLICY, DEPLOY));
    assertThat(kinds(back)).containsExactly(Kind.UPDATE, Kind.THREAD_REPLY);
    assertThat(back.messages().get(1).message().blocks())
        .contains("*New*\\n• `" + DEPLOY.resource() + "` modified");
  }

  @Test
  void unroutedDriftIsReported() {
    AlertPlanner prodOnly =
        new AlertPlanner(
            new AlertRouter(List.of(new NotificationRoute("prod", null, null, "#p", null)), null),
            null);
    Flow flow = new Flow(DEV);
    flow.planner = prodOnly;
    ClusterFindings scan = flow.scan(missingPolicy("dev"));
    AlertPlan none = flow.plan(scan);
    assertThat(none.messages()).isEmpty();
    assertThat(none.unrouted()).containsExactly(scan.open().get(0).fingerprint());
  }

  @Test
  void brokenCommitIsPlannedOncePerCommit() {
    RenderError error = new RenderError("dev", "ingress", "addons/ingress/addon.yaml", 3, "bad");
    AlertPlan plan = planner.brokenCommit(COMMIT, null, List.of(error));
    assertThat(plan.messages()).hasSize(1);
    assertThat(plan.messages().get(0).dedupKey()).isEqualTo("broken-commit:" + COMMIT);
    assertThat(plan.messages().get(0).message().kind()).isEqualTo(Kind.STANDALONE);
    assertThat(plan.messages().get(0).message().channel()).isEqualTo("#platform-alerts");
    InMemoryOutbox outbox = new InMemoryOutbox();
    plan.enqueueInto(outbox);
    planner.brokenCommit(COMMIT, null, List.of(error, error)).enqueueInto(outbox);
    assertThat(outbox.all()).hasSize(1);
  }

  @Test
  void digestGoesToEachChannelOnce() {
    List<Finding> items =
        List.of(
            NotifyFixtures.finding("a", replicas("prod-eu-1", 1, 2), T0),
            NotifyFixtures.finding("b", replicas("dev", 1, 2), T0),
            NotifyFixtures.finding("c", missingPolicy("dev"), T0));
    AlertPlan plan =
        planner.digest(LocalDate.of(2026, 11, 23), T0, items, NotifyFixtures.clusters());
    assertThat(plan.messages())
        .extracting(PlannedMessage::dedupKey)
        .containsExactly(
            "digest:#platform-alerts:2026-11-23",
            "digest:#platform-prod-alerts:2026-11-23",
            "digest:#security-alerts:2026-11-23");
    assertThat(plan.messages().get(1).message().blocks()).contains("1 open drift on 1 cluster");
  }
}

package dev.fleetwarden.notify;

import static dev.fleetwarden.notify.NotifyFixtures.COMMIT;
import static dev.fleetwarden.notify.NotifyFixtures.DEV;
import static dev.fleetwarden.notify.NotifyFixtures.PROD;
import static dev.fleetwarden.notify.NotifyFixtures.PR_URL;
import static dev.fleetwarden.notify.NotifyFixtures.T0;
import static dev.fleetwarden.notify.NotifyFixtures.replicas;
import static dev.fleetwarden.notify.NotifyFixtures.scan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.fleet.FleetSettings.NotificationRoute;
import dev.fleetwarden.ledger.AlertState;
import dev.fleetwarden.ledger.AlertStatus;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.InMemoryOutbox;
import dev.fleetwarden.ledger.OutboxMessage;
import dev.fleetwarden.ledger.ScanOutcome;
import dev.fleetwarden.model.RenderError;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertPlannerTest {
  private final AlertPlanner planner = NotifyFixtures.planner(Duration.ofHours(4));

  private static List<OutboxMessage.Kind> kinds(AlertPlan plan) {
    return plan.messages().stream().map(m -> m.message().kind()).toList();
  }

  private static AlertState posted(String fp, String hash, AlertStatus status, Instant at) {
    return new AlertState("prod-eu-1", fp, "C1", "111.1", hash, status, at, at, null);
  }

  private static Finding finding(String fp, int live) {
    return NotifyFixtures.finding(fp, replicas("prod-eu-1", 2, live), T0);
  }

  @Test
  void newDriftIsPostedToItsRoute() {
    AlertPlan plan =
        planner.plan(scan(PROD, T0, List.of(finding("fp", 5)), null, null, null), Map.of());
    assertThat(kinds(plan)).containsExactly(OutboxMessage.Kind.ALERT);
    OutboxMessage m = plan.messages().get(0).message();
    assertThat(m.channel()).isEqualTo("#platform-prod-alerts");
    assertThat(m.cluster()).isEqualTo("prod-eu-1");
    assertThat(m.fingerprint()).isEqualTo("fp");
    assertThat(m.status()).isEqualTo(AlertStatus.OPEN);
    assertThat(m.text()).startsWith("@platform-oncall");
    assertThat(plan.messages().get(0).dedupKey()).isEqualTo("alert:prod-eu-1:fp");
  }

  @Test
  void planningTheSameScanTwiceEnqueuesNothingNew() {
    InMemoryOutbox outbox = new InMemoryOutbox();
    ClusterFindings s =
        scan(
            PROD,
            T0,
            List.of(finding("a", 5)),
            List.of(
                NotifyFixtures.changed(
                    "b", replicas("prod-eu-1", 2, 5), replicas("prod-eu-1", 2, 6), T0)),
            List.of(
                NotifyFixtures.resolved("c", replicas("prod-eu-1", 2, 5), T0, T0.plusSeconds(60))),
            null);
    Map<String, AlertState> states =
        Map.of(
            "b", posted("b", "old", AlertStatus.OPEN, T0),
            "c", posted("c", "old", AlertStatus.OPEN, T0));
    assertThat(planner.plan(s, states).enqueueInto(outbox)).isEqualTo(5);
    assertThat(planner.plan(s, states).enqueueInto(outbox)).isZero();
    assertThat(outbox.all()).hasSize(5);
  }

  @Test
  void repeatDriftPlansNothing() {
    AlertPlan first =
        planner.plan(scan(PROD, T0, List.of(finding("fp", 5)), null, null, null), Map.of());
    String hash = first.messages().get(0).message().payloadHash();
    AlertState state = posted("fp", hash, AlertStatus.OPEN, T0);
    // Open in a later scan, reminder not due yet.
    AlertPlan later =
        planner.plan(
            scan(PROD, T0.plus(Duration.ofHours(1)), null, null, null, List.of(finding("fp", 5))),
            Map.of("fp", state));
    assertThat(later.messages()).isEmpty();
    // Reported "new" again with the same content: still nothing.
    AlertPlan again =
        planner.plan(
            scan(PROD, T0, List.of(finding("fp", 5)), null, null, null), Map.of("fp", state));
    assertThat(again.messages()).isEmpty();
  }

  @Test
  void changedDriftUpdatesTheAlertAndRepliesWhatChanged() {
    AlertState state = posted("fp", "old-hash", AlertStatus.OPEN, T0);
    AlertPlan plan =
        planner.plan(
            NotifyFixtures.withPullRequest(
                scan(
                    PROD,
                    T0.plusSeconds(300),
                    null,
                    List.of(
                        NotifyFixtures.changed(
                            "fp", replicas("prod-eu-1", 2, 5), replicas("prod-eu-1", 2, 7), T0)),
                    null,
                    null),
                PR_URL),
            Map.of("fp", state));
    assertThat(kinds(plan))
        .containsExactly(OutboxMessage.Kind.UPDATE, OutboxMessage.Kind.THREAD_REPLY);
    assertThat(plan.messages().get(0).message().blocks()).contains("`2` → `7`").contains(PR_URL);
    assertThat(plan.messages().get(1).message().blocks())
        .contains("What changed")
        .contains("live `5` → `7`");
  }

  @Test
  void changeThatLooksTheSamePlansNothing() {
    ScanOutcome.Change cosmetic =
        NotifyFixtures.changed("fp", replicas("prod-eu-1", 2, 5), replicas("prod-eu-1", 2, 7), T0);
    AlertPlan plan = planner.plan(scan(PROD, T0, null, List.of(cosmetic), null, null), Map.of());
    String hashNow = plan.messages().get(0).message().payloadHash();
    AlertPlan again =
        planner.plan(
            scan(PROD, T0, null, List.of(cosmetic), null, null),
            Map.of("fp", posted("fp", hashNow, AlertStatus.OPEN, T0)));
    assertThat(again.messages()).isEmpty();
  }

  @Test
  void changedDriftWithoutStateQueuesThePostFirst() {
    AlertPlan plan =
        planner.plan(
            scan(
                PROD,
                T0,
                null,
                List.of(
                    NotifyFixtures.changed(
                        "fp", replicas("prod-eu-1", 2, 5), replicas("prod-eu-1", 2, 7), T0)),
                null,
                null),
            Map.of());
    assertThat(kinds(plan))
        .containsExactly(
            OutboxMessage.Kind.ALERT, OutboxMessage.Kind.UPDATE, OutboxMessage.Kind.THREAD_REPLY);
  }

  @Test
  void resolvedDriftUpdatesToResolvedAndRepliesOnce() {
    Instant resolvedAt = T0.plus(Duration.ofMinutes(90));
    Finding r = NotifyFixtures.resolved("fp", replicas("prod-eu-1", 2, 5), T0, resolvedAt);
    AlertPlan plan =
        planner.plan(
            scan(PROD, resolvedAt, null, null, List.of(r), null),
            Map.of("fp", posted("fp", "h", AlertStatus.OPEN, T0)));
    assertThat(kinds(plan))
        .containsExactly(OutboxMessage.Kind.UPDATE, OutboxMessage.Kind.THREAD_REPLY);
    assertThat(plan.messages().get(0).message().status()).isEqualTo(AlertStatus.RESOLVED);
    assertThat(plan.messages().get(0).message().blocks()).contains("Resolved");
    assertThat(plan.messages().get(1).message().text())
        .contains("Resolved at 2026-11-23 08:30 UTC");

    AlertPlan again =
        planner.plan(
            scan(PROD, resolvedAt, null, null, List.of(r), null),
            Map.of("fp", posted("fp", "h2", AlertStatus.RESOLVED, T0)));
    assertThat(again.messages()).isEmpty();
  }

  @Test
  void reminderWhenDueAndOnlyThen() {
    AlertState state = posted("fp", "h", AlertStatus.OPEN, T0);
    ClusterFindings early =
        scan(PROD, T0.plus(Duration.ofHours(3)), null, null, null, List.of(finding("fp", 5)));
    ClusterFindings due =
        scan(PROD, T0.plus(Duration.ofHours(4)), null, null, null, List.of(finding("fp", 5)));
    assertThat(planner.plan(early, Map.of("fp", state)).messages()).isEmpty();

    AlertPlan plan = planner.plan(due, Map.of("fp", state));
    assertThat(kinds(plan)).containsExactly(OutboxMessage.Kind.REMINDER);
    assertThat(plan.messages().get(0).message().text())
        .contains("still open for 4h 0m")
        .startsWith("@platform-oncall");

    // After a reminder, the next is due reminderAfter later.
    AlertState reminded = state.reminded(T0.plus(Duration.ofHours(4)));
    assertThat(
            planner
                .plan(
                    scan(
                        PROD,
                        T0.plus(Duration.ofHours(7)),
                        null,
                        null,
                        null,
                        List.of(finding("fp", 5))),
                    Map.of("fp", reminded))
                .messages())
        .isEmpty();
    AlertPlan second =
        planner.plan(
            scan(PROD, T0.plus(Duration.ofHours(8)), null, null, null, List.of(finding("fp", 5))),
            Map.of("fp", reminded));
    assertThat(kinds(second)).containsExactly(OutboxMessage.Kind.REMINDER);
    assertThat(second.messages().get(0).dedupKey()).isNotEqualTo(plan.messages().get(0).dedupKey());

    // Not configured: never.
    assertThat(NotifyFixtures.planner(null).plan(due, Map.of("fp", state)).messages()).isEmpty();
  }

  @Test
  void driftBackAfterResolutionReopensTheAlert() {
    AlertPlan plan =
        planner.plan(
            scan(PROD, T0, null, null, null, List.of(finding("fp", 5))),
            Map.of("fp", posted("fp", "h", AlertStatus.RESOLVED, T0)));
    assertThat(kinds(plan))
        .containsExactly(OutboxMessage.Kind.UPDATE, OutboxMessage.Kind.THREAD_REPLY);
    assertThat(plan.messages().get(0).message().status()).isEqualTo(AlertStatus.OPEN);
    assertThat(plan.messages().get(1).message().text()).contains("is back");
  }

  @Test
  void driftsOfOneFingerprintFormOneMessage() {
    Finding a = NotifyFixtures.finding("fp", replicas("prod-eu-1", 2, 5), T0);
    Finding b =
        NotifyFixtures.finding(
            "fp", NotifyFixtures.missingPolicy("prod-eu-1"), T0.minusSeconds(60));
    AlertPlan plan = planner.plan(scan(PROD, T0, List.of(a, b), null, null, null), Map.of());
    assertThat(plan.messages()).hasSize(1);
    assertThat(plan.messages().get(0).message().blocks())
        .contains("prod-eu-1/Deployment.apps/ingress/ingress-controller")
        .contains("prod-eu-1/NetworkPolicy.networking.k8s.io/team-a/default-deny");
  }

  @Test
  void routesByAddonOwnerAndReportsUnrouted() {
    Finding policy = NotifyFixtures.finding("pol", NotifyFixtures.missingPolicy("dev"), T0);
    AlertPlan plan = planner.plan(scan(DEV, T0, List.of(policy), null, null, null), Map.of());
    assertThat(plan.messages().get(0).message().channel()).isEqualTo("#security-alerts");

    AlertPlanner prodOnly =
        new AlertPlanner(
            new AlertRouter(List.of(new NotificationRoute("prod", null, null, "#p", null)), null),
            null);
    AlertPlan none = prodOnly.plan(scan(DEV, T0, List.of(policy), null, null, null), Map.of());
    assertThat(none.messages()).isEmpty();
    assertThat(none.unrouted()).containsExactly("pol");
  }

  @Test
  void brokenCommitIsPlannedOncePerCommit() {
    RenderError error = new RenderError("dev", "ingress", "addons/ingress/addon.yaml", 3, "bad");
    AlertPlan plan = planner.brokenCommit(COMMIT, null, List.of(error));
    assertThat(plan.messages()).hasSize(1);
    assertThat(plan.messages().get(0).dedupKey()).isEqualTo("broken-commit:" + COMMIT);
    assertThat(plan.messages().get(0).message().kind()).isEqualTo(OutboxMessage.Kind.STANDALONE);
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
            NotifyFixtures.finding("c", NotifyFixtures.missingPolicy("dev"), T0));
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

package dev.fleetwarden.notify;

import static dev.fleetwarden.notify.NotifyFixtures.T0;
import static dev.fleetwarden.notify.NotifyFixtures.replicas;
import static dev.fleetwarden.notify.NotifyFixtures.scan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetwarden.ledger.AlertState;
import dev.fleetwarden.ledger.AlertStatus;
import dev.fleetwarden.ledger.InMemoryAlertStates;
import dev.fleetwarden.ledger.InMemoryOutbox;
import dev.fleetwarden.ledger.MutableClock;
import dev.fleetwarden.ledger.OutboxMessage;
import dev.fleetwarden.ledger.OutboxRow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutboxDispatcherTest {
  private final MutableClock clock = new MutableClock(T0);
  private final InMemoryOutbox outbox =
      new InMemoryOutbox(clock, Duration.ofMinutes(5), "test-node");
  private final InMemoryAlertStates states = new InMemoryAlertStates();
  private final FakeNotifier notifier = new FakeNotifier();
  private final DispatchSettings settings =
      new DispatchSettings(
          10, Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofSeconds(30));
  private final OutboxDispatcher dispatcher =
      new OutboxDispatcher(outbox, states, notifier, clock, settings);
  private final AlertPlanner planner = NotifyFixtures.planner(null);

  /** A production cluster of its own per name: each gets its own incident. */
  private static ClusterContext cluster(String name) {
    return new ClusterContext(name, "prod", Map.of(), Map.of("ingress", "team-platform"));
  }

  private static String incident(String cluster) {
    return AlertPlanner.incidentKey(cluster, "#platform-prod-alerts");
  }

  /** A new drift on cluster {@code name}: its incident is posted. */
  private void planNew(String name, int live) {
    planner
        .plan(
            scan(
                cluster(name),
                clock.instant(),
                List.of(NotifyFixtures.finding(name, replicas(name, 2, live), T0)),
                null,
                null,
                null),
            states.forCluster(name))
        .enqueueInto(outbox);
  }

  private void planChanged(String name, int from, int to) {
    planner
        .plan(
            scan(
                cluster(name),
                clock.instant(),
                null,
                List.of(
                    NotifyFixtures.changed(
                        name, replicas(name, 2, from), replicas(name, 2, to), T0)),
                null,
                null),
            states.forCluster(name))
        .enqueueInto(outbox);
  }

  @Test
  void postsRecordsStateAndThenEditsTheSameMessage() {
    planNew("fp", 5);
    assertThat(dispatcher.dispatchDue().sent()).isEqualTo(1);
    AlertState state = states.find("fp", incident("fp")).orElseThrow();
    assertThat(state.channel()).isEqualTo("C-platform-prod-alerts");
    assertThat(state.ts()).isEqualTo(notifier.calls.get(0).ts());

    clock.advance(Duration.ofMinutes(5));
    planChanged("fp", 5, 7);
    assertThat(dispatcher.dispatchDue().sent()).isEqualTo(2);
    assertThat(notifier.of("update"))
        .singleElement()
        .satisfies(c -> assertThat(c.ts()).isEqualTo(state.ts()));
    assertThat(notifier.of("post").get(1).threadTs()).isEqualTo(state.ts());
    assertThat(outbox.unsent()).isEmpty();
  }

  @Test
  void editsWaitForTheirPostAndKeepOrder() {
    planChanged("fp", 5, 7); // ALERT, UPDATE, THREAD_REPLY with no state yet
    notifier.failWith(new NotifyException("HTTP 500"));
    DispatchResult first = dispatcher.dispatchDue();
    // the post failed; its edits were not even claimed
    assertThat(first.failed()).isEqualTo(1);
    assertThat(first.claimed()).isEqualTo(1);
    assertThat(outbox.unsent()).hasSize(3);
    assertThat(notifier.calls).isEmpty();

    clock.advance(Duration.ofSeconds(10));
    DispatchResult second = dispatcher.dispatchDue();
    assertThat(second.sent()).isEqualTo(3);
    // The post already shows the changed drift, so the edit queued behind it is a no-op;
    // the "what changed" reply goes into its thread.
    assertThat(notifier.calls)
        .extracting(FakeNotifier.Call::action)
        .containsExactly("post", "post");
    assertThat(notifier.calls.get(1).threadTs()).isEqualTo(notifier.calls.get(0).ts());
    assertThat(outbox.unsent()).isEmpty();
  }

  @Test
  void editWithoutPostedAlertIsDeferredNotDropped() {
    outbox.enqueue(
        "orphan-update",
        new OutboxMessage(
            OutboxMessage.Kind.UPDATE,
            "prod-eu-1",
            "gone",
            "#c",
            AlertStatus.OPEN,
            "t",
            "[]",
            "h"));
    DispatchResult r = dispatcher.dispatchDue();
    assertThat(r.deferred()).isEqualTo(1);
    assertThat(outbox.unsent())
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.nextAttemptAt()).isEqualTo(T0.plusSeconds(30));
              assertThat(row.lastError())
                  .contains("waiting for the alert message of prod-eu-1/gone");
            });
    states.save(
        new AlertState("prod-eu-1", "gone", "C1", "9.9", "old", AlertStatus.OPEN, T0, T0, null));
    clock.advance(Duration.ofSeconds(30));
    assertThat(dispatcher.dispatchDue().sent()).isEqualTo(1);
    assertThat(notifier.of("update"))
        .singleElement()
        .satisfies(c -> assertThat(c.ts()).isEqualTo("9.9"));
  }

  @Test
  void rateLimitPostponesTheWholePassByRetryAfter() {
    planNew("a", 5);
    planNew("b", 6);
    planNew("c", 7);
    notifier.failWith(new RateLimitedException("chat.postMessage", Duration.ofSeconds(42)));
    DispatchResult r = dispatcher.dispatchDue();
    assertThat(r.rateLimited()).isTrue();
    assertThat(outbox.unsent())
        .hasSize(3)
        .allSatisfy(row -> assertThat(row.nextAttemptAt()).isEqualTo(T0.plusSeconds(42)));
    clock.advance(Duration.ofSeconds(41));
    assertThat(dispatcher.dispatchDue().claimed()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(dispatcher.dispatchDue().sent()).isEqualTo(3);
  }

  @Test
  void failuresBackOffExponentiallyWithACapAndAreNeverDropped() {
    planNew("fp", 5);
    for (int i = 0; i < 8; i++) {
      notifier.failWith(new SlackErrorException("chat.postMessage", "channel_not_found", "#x"));
    }
    List<Duration> delays = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      assertThat(dispatcher.dispatchDue().failed()).isEqualTo(1);
      OutboxRow row = outbox.unsent().get(0);
      delays.add(Duration.between(clock.instant(), row.nextAttemptAt()));
      assertThat(row.lastError()).contains("channel_not_found").contains("fleet.yaml");
      clock.set(row.nextAttemptAt());
    }
    assertThat(delays)
        .startsWith(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40))
        .endsWith(Duration.ofMinutes(5), Duration.ofMinutes(5));
    assertThat(dispatcher.dispatchDue().sent()).isEqualTo(1);
    assertThat(outbox.unsent()).isEmpty();
  }

  @Test
  void noOpUpdateIsNotSentAndAlertIsNeverPostedTwice() {
    planNew("fp", 5);
    dispatcher.dispatchDue();
    String key = incident("fp");
    AlertState state = states.find("fp", key).orElseThrow();
    outbox.enqueue(
        "same",
        new OutboxMessage(
            OutboxMessage.Kind.UPDATE,
            "fp",
            key,
            "#c",
            AlertStatus.OPEN,
            "t",
            "[]",
            state.payloadHash()));
    outbox.enqueue(
        "post-again",
        new OutboxMessage(
            OutboxMessage.Kind.ALERT, "fp", key, "#c", AlertStatus.OPEN, "t", "[]", "x"));
    outbox.enqueue(
        "resolved-post",
        new OutboxMessage(
            OutboxMessage.Kind.ALERT, "fp", key, "#c", AlertStatus.RESOLVED, "t", "[]", "y"));
    assertThat(dispatcher.dispatchDue().sent()).isEqualTo(3);
    assertThat(notifier.calls).hasSize(1);
  }

  @Test
  void theNextIncidentsPostReplacesAResolvedMessage() {
    planNew("fp", 5);
    dispatcher.dispatchDue();
    String key = incident("fp");
    AlertState first = states.find("fp", key).orElseThrow();
    outbox.enqueue(
        "resolve",
        new OutboxMessage(
            OutboxMessage.Kind.UPDATE, "fp", key, "#c", AlertStatus.RESOLVED, "r", "[]", "r"));
    outbox.enqueue(
        "resolved-post-is-not-sent",
        new OutboxMessage(
            OutboxMessage.Kind.ALERT, "fp", key, "#c", AlertStatus.RESOLVED, "r", "[]", "r"));
    outbox.enqueue(
        "next",
        new OutboxMessage(
            OutboxMessage.Kind.ALERT, "fp", key, "#c", AlertStatus.OPEN, "n", "[]", "n"));
    clock.advance(Duration.ofMinutes(1));
    assertThat(dispatcher.dispatchDue().sent()).isEqualTo(3);

    assertThat(notifier.calls)
        .extracting(FakeNotifier.Call::action)
        .containsExactly("post", "update", "post");
    AlertState next = states.find("fp", key).orElseThrow();
    assertThat(next.ts()).isNotEqualTo(first.ts()).isEqualTo(notifier.calls.get(2).ts());
    assertThat(next.status()).isEqualTo(AlertStatus.OPEN);
    assertThat(next.payloadHash()).isEqualTo("n");
    assertThat(next.createdAt()).isEqualTo(clock.instant());
  }

  @Test
  void restartSendsExactlyTheUnsentRows() {
    planNew("a", 5);
    planNew("b", 6);
    planNew("c", 7);
    notifier.failWith(new NotifyException("x"), new NotifyException("x"));
    // a and b fail once; c goes out
    dispatcher.dispatchDue();
    assertThat(notifier.calls).hasSize(1);
    assertThat(outbox.unsent()).hasSize(2);

    FakeNotifier afterRestart = new FakeNotifier();
    OutboxDispatcher restarted =
        new OutboxDispatcher(outbox, states, afterRestart, clock, settings);
    clock.advance(Duration.ofSeconds(10));
    assertThat(restarted.dispatchDue().sent()).isEqualTo(2);
    assertThat(afterRestart.calls)
        .extracting(FakeNotifier.Call::text)
        .allSatisfy(t -> assertThat(t).doesNotContain("`7`"))
        .hasSize(2);
    assertThat(afterRestart.calls.get(0).blocks()).contains("`2` → `5`");
    assertThat(afterRestart.calls.get(1).blocks()).contains("`2` → `6`");
    assertThat(outbox.unsent()).isEmpty();
    assertThat(restarted.dispatchDue().claimed()).isZero();
  }

  @Test
  void crashBetweenSendAndMarkResendsOnlyAfterTheLease() {
    planNew("a", 5);
    planNew("b", 6);
    outbox.failNextMarkSent = true;
    assertThatThrownBy(dispatcher::dispatchDue).isInstanceOf(InMemoryOutbox.SimulatedCrash.class);
    assertThat(notifier.calls).hasSize(1);

    FakeNotifier afterRestart = new FakeNotifier();
    OutboxDispatcher restarted =
        new OutboxDispatcher(outbox, states, afterRestart, clock, settings);
    // both rows are still leased by the dead pass
    assertThat(restarted.dispatchDue().claimed()).isZero();
    clock.advance(Duration.ofMinutes(5));
    assertThat(restarted.dispatchDue().sent()).isEqualTo(2);
    // "a" goes out a second time: the one documented window for a duplicate
    assertThat(afterRestart.calls.get(0).blocks()).contains("`2` → `5`");
    assertThat(afterRestart.calls.get(1).blocks()).contains("`2` → `6`");
    assertThat(outbox.unsent()).isEmpty();
  }

  @Test
  void stateSaveFailureDoesNotMarkASentRowFailed() {
    planNew("fp", 5);
    states.failSaves = true;
    DispatchResult r = dispatcher.dispatchDue();
    assertThat(r.sent()).isEqualTo(1);
    assertThat(outbox.unsent()).isEmpty();
    assertThat(Map.copyOf(states.forCluster("fp"))).isEmpty();
  }
}

package dev.fleetwarden.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.notify.AlertState;
import dev.fleetwarden.notify.AlertStatus;
import dev.fleetwarden.notify.MessageRef;
import dev.fleetwarden.notify.OutboxMessage;
import dev.fleetwarden.notify.OutboxRow;
import dev.fleetwarden.store.JdbcStore;
import dev.fleetwarden.store.StoreConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notifier's ports on a real (H2) store: messages and alert states survive a round trip. */
class StoreAdaptersTest {
  @TempDir Path dir;

  @Test
  void outboxRoundTripKeepsOrderPerFingerprint() {
    try (JdbcStore store = JdbcStore.open(StoreConfig.embedded(dir))) {
      StoreOutbox outbox = new StoreOutbox(store);
      OutboxMessage post =
          new OutboxMessage(
              OutboxMessage.Kind.ALERT,
              "prod-eu-1",
              "fp1",
              "#ops",
              AlertStatus.OPEN,
              "t",
              "[]",
              "h1");
      OutboxMessage update =
          new OutboxMessage(
              OutboxMessage.Kind.UPDATE,
              "prod-eu-1",
              "fp1",
              "#ops",
              AlertStatus.RESOLVED,
              "t2",
              "[]",
              "h2");
      assertThat(outbox.enqueue("fp1:post", post)).isTrue();
      assertThat(outbox.enqueue("fp1:post", post)).isFalse();
      assertThat(outbox.enqueue("fp1:resolved", update)).isTrue();
      Instant later = Instant.now().plusSeconds(5);
      List<OutboxRow> rows = outbox.claimDue(later, 10);
      assertThat(rows)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.message()).isEqualTo(post);
                assertThat(r.attempts()).isZero();
              });
      outbox.markSent(rows.get(0).id(), new MessageRef("C123", "171.1"));
      assertThat(outbox.claimDue(later, 10)).extracting(OutboxRow::message).containsExactly(update);
    }
  }

  @Test
  void alertStateRoundTrip() {
    try (JdbcStore store = JdbcStore.open(StoreConfig.embedded(dir))) {
      StoreAlertStates states = new StoreAlertStates(store);
      Instant t = Instant.parse("2026-11-23T08:00:00Z");
      AlertState s =
          new AlertState("prod-eu-1", "fp1", "C123", "171.1", "h1", AlertStatus.OPEN, t, t, null);
      states.save(s);
      assertThat(states.find("prod-eu-1", "fp1")).contains(s);
      assertThat(states.find("dev-1", "fp1")).isEmpty();
      AlertState reminded =
          s.reminded(t.plusSeconds(60)).updated("h2", AlertStatus.RESOLVED, t.plusSeconds(90));
      states.save(reminded);
      assertThat(states.find("prod-eu-1", "fp1")).contains(reminded);
    }
  }
}

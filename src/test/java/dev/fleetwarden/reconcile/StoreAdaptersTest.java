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

  @Test
  void pullRequestStateSurvivesARestart() {
    dev.fleetwarden.remediate.PrRecord open =
        new dev.fleetwarden.remediate.PrRecord(
            "prod-eu-1",
            "fp1",
            "prod-eu-1/terraform/aws_eks_node_group.general",
            "fleetwarden/drift/prod-eu-1/fp1",
            7,
            "https://github.example/org/fleet/pull/7",
            "abc123",
            dev.fleetwarden.remediate.PrRecord.State.OPEN);
    try (JdbcStore store = JdbcStore.open(StoreConfig.embedded(dir))) {
      StorePrState prs = new StorePrState(store);
      prs.save(open);
      prs.save(
          new dev.fleetwarden.remediate.PrRecord(
              "dev-1",
              "fp2",
              "dev-1/ConfigMap/a/b",
              "b2",
              8,
              null,
              null,
              dev.fleetwarden.remediate.PrRecord.State.OPEN));
      prs.save(open.with(dev.fleetwarden.remediate.PrRecord.State.CLOSED_BY_REVIEWER));
      prs.save(open);
    }
    try (JdbcStore store = JdbcStore.open(StoreConfig.embedded(dir))) {
      StorePrState prs = new StorePrState(store);

      assertThat(prs.find("prod-eu-1", "fp1")).contains(open);
      assertThat(prs.find("dev-1", "fp1")).as("another cluster's fingerprint").isEmpty();
      assertThat(prs.open("prod-eu-1")).containsExactly(open);
      prs.delete("prod-eu-1", "fp2"); // not this cluster's: kept
      prs.delete("dev-1", "fp2");
      assertThat(prs.open("dev-1")).isEmpty();
    }
  }
}

package dev.fleetwarden.notify;

import static dev.fleetwarden.notify.NotifyFixtures.PROD;
import static dev.fleetwarden.notify.NotifyFixtures.PR_URL;
import static dev.fleetwarden.notify.NotifyFixtures.T0;
import static dev.fleetwarden.notify.NotifyFixtures.replicas;
import static dev.fleetwarden.notify.NotifyFixtures.scan;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetwarden.ledger.InMemoryAlertStates;
import dev.fleetwarden.ledger.InMemoryOutbox;
import dev.fleetwarden.ledger.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleNotifierTest {
  @TempDir Path dir;

  @Test
  void printsAReadableMessageAndAppendsJsonLines() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Path file = dir.resolve("notifications.jsonl");
    MutableClock clock = new MutableClock(T0);
    ConsoleNotifier console =
        new ConsoleNotifier(new PrintStream(bytes, true, StandardCharsets.UTF_8), file, clock);
    InMemoryOutbox outbox = new InMemoryOutbox(clock);
    InMemoryAlertStates states = new InMemoryAlertStates();
    OutboxDispatcher dispatcher =
        new OutboxDispatcher(outbox, states, console, clock, DispatchSettings.DEFAULTS);
    AlertPlanner planner = NotifyFixtures.planner(null);

    planner
        .plan(
            NotifyFixtures.withPullRequest(
                scan(
                    PROD,
                    T0,
                    List.of(NotifyFixtures.finding("fp", replicas("prod-eu-1", 2, 5), T0)),
                    null,
                    null,
                    null),
                PR_URL),
            states.forCluster("prod-eu-1"))
        .enqueueInto(outbox);
    dispatcher.dispatchDue();
    clock.advance(Duration.ofMinutes(30));
    planner
        .plan(
            NotifyFixtures.withPullRequest(
                scan(
                    PROD,
                    clock.instant(),
                    null,
                    null,
                    List.of(
                        NotifyFixtures.resolved(
                            "fp", replicas("prod-eu-1", 2, 5), T0, clock.instant())),
                    null),
                PR_URL),
            states.forCluster("prod-eu-1"))
        .enqueueInto(outbox);
    dispatcher.dispatchDue();

    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .contains("── #platform-prod-alerts · message ")
        .contains("# :large_orange_circle: Drift on prod-eu-1: drifted")
        .contains("`/spec/replicas`: `2` → `5`")
        .contains("since 2026-11-23 07:00 UTC")
        .contains(":twisted_rightwards_arrows: Pull request (" + PR_URL + ")")
        .contains("· update of ")
        .contains("Resolved at 2026-11-23 07:30 UTC")
        .doesNotContain("<!date^");

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(3);
    ObjectMapper json = new ObjectMapper();
    JsonNode first = json.readTree(lines.get(0));
    JsonNode update = json.readTree(lines.get(1));
    JsonNode reply = json.readTree(lines.get(2));
    assertThat(first.path("action").asText()).isEqualTo("post");
    assertThat(first.path("blocks").isArray()).isTrue();
    assertThat(update.path("action").asText()).isEqualTo("update");
    assertThat(update.path("ts").asText()).isEqualTo(first.path("ts").asText());
    assertThat(reply.path("threadTs").asText()).isEqualTo(first.path("ts").asText());
    assertThat(reply.path("ts").asText()).isNotEqualTo(first.path("ts").asText());
  }

  @Test
  void plainTurnsMrkdwnIntoText() {
    assertThat(ConsoleNotifier.plain("<https://x.org/a|Commit `abc`> &amp; &lt;b&gt;"))
        .isEqualTo("Commit `abc` (https://x.org/a) & <b>");
  }
}

package dev.fleetwarden.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.fleetwarden.notify.NotifyFixtures.T0;
import static dev.fleetwarden.notify.NotifyFixtures.scan;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.fleetwarden.HostileStrings;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.InMemoryAlertStates;
import dev.fleetwarden.ledger.InMemoryOutbox;
import dev.fleetwarden.ledger.MutableClock;
import dev.fleetwarden.ledger.ScanOutcome;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.RenderError;
import dev.fleetwarden.model.ResourceId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile live values (a ConfigMap's value and key, its field manager, an orphan's name, a 1 MB
 * value) through the real planner, formatter, outbox dispatcher and Slack client, as WireMock
 * receives them: Slack is asked to parse nothing, and nothing in the message can mention, link,
 * close its code span or start a line.
 */
class HostileSlackIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  private WireMockServer slack;
  private SlackNotifier notifier;
  private final MutableClock clock = new MutableClock(T0);
  private final InMemoryOutbox outbox = new InMemoryOutbox(clock);
  private final InMemoryAlertStates states = new InMemoryAlertStates();
  private final AlertPlanner planner = NotifyFixtures.planner(Duration.ofHours(4));
  private OutboxDispatcher dispatcher;

  @BeforeEach
  void start() {
    slack = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    slack.start();
    String ok = "{\"ok\":true,\"channel\":\"C123\",\"ts\":\"1700000000.000100\"}";
    for (String method : List.of("chat.postMessage", "chat.update")) {
      slack.stubFor(
          post(urlEqualTo("/api/" + method))
              .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(ok)));
    }
    notifier = new SlackNotifier("xoxb-test-token", slack.baseUrl());
    dispatcher =
        new OutboxDispatcher(
            outbox,
            states,
            notifier,
            clock,
            new DispatchSettings(
                10, Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofSeconds(30)));
  }

  @AfterEach
  void stop() throws Exception {
    notifier.close();
    slack.stop();
  }

  /**
   * One ConfigMap per hostile string, whose key (so its field path), live value and field manager
   * are that string.
   */
  private static List<ObjectDrift> hostileConfigMaps(String liveSuffix) {
    List<ObjectDrift> drifts = new ArrayList<>();
    int i = 0;
    for (String value : HostileStrings.ALL.values()) {
      drifts.add(
          new ObjectDrift(
              new ResourceId(clusterOf(i), "", "ConfigMap", "team-a", "settings-" + i++),
              "ingress",
              DriftSource.KUBERNETES,
              DriftType.MODIFIED,
              "addons/ingress/chart/templates/configmap.yaml",
              List.of(
                  new FieldDrift(
                          "/data/" + value,
                          TextNode.valueOf("expected"),
                          TextNode.valueOf(value + liveSuffix))
                      .withManager(value, T0))));
    }
    return drifts;
  }

  /**
   * The cluster of the i-th hostile ConfigMap: six per cluster, so that each cluster's incident
   * shows all of its objects (an incident lists at most {@value SlackMessages#MAX_ITEMS}).
   */
  private static String clusterOf(int i) {
    return "prod-" + (i / 6);
  }

  private static final List<String> CLUSTERS = List.of("prod-0", "prod-1", "prod-2");

  private static ClusterContext context(String cluster) {
    return new ClusterContext(cluster, "prod", Map.of(), Map.of("ingress", "team-platform"));
  }

  /** An orphan whose name comes from the cluster. */
  private static ObjectDrift hostileOrphan() {
    return new ObjectDrift(
        new ResourceId("prod-2", "", "ConfigMap", "team-a", HostileStrings.MIXED),
        "ingress",
        DriftSource.KUBERNETES,
        DriftType.ORPHAN,
        null,
        List.of());
  }

  private static Finding orphan() {
    return NotifyFixtures.finding("fp-orphan", hostileOrphan(), T0);
  }

  private static List<Finding> findings(String cluster) {
    List<Finding> findings = new ArrayList<>();
    List<ObjectDrift> configMaps = hostileConfigMaps("");
    for (int i = 0; i < configMaps.size(); i++) {
      if (clusterOf(i).equals(cluster)) {
        findings.add(NotifyFixtures.finding("fp-" + i, configMaps.get(i), T0));
      }
    }
    if (orphan().cluster().equals(cluster)) {
      findings.add(orphan());
    }
    return findings;
  }

  private static List<ScanOutcome.Change> changed(String cluster) {
    List<ObjectDrift> before = hostileConfigMaps("");
    List<ObjectDrift> after = hostileConfigMaps(" v2");
    List<ScanOutcome.Change> changed = new ArrayList<>();
    for (int i = 0; i < before.size(); i++) {
      if (clusterOf(i).equals(cluster)) {
        changed.add(NotifyFixtures.changed("fp-" + i, before.get(i), after.get(i), T0));
      }
    }
    return changed;
  }

  @Test
  void alertUpdateAndThreadReplyCarryNoParsableHostileText() throws Exception {
    for (String cluster : CLUSTERS) {
      planner
          .plan(
              scan(context(cluster), T0, findings(cluster), null, null, null),
              states.forCluster(cluster))
          .enqueueInto(outbox);
    }
    dispatcher.dispatchDue();
    clock.advance(Duration.ofMinutes(10));
    for (String cluster : CLUSTERS) {
      List<Finding> stillOpen = orphan().cluster().equals(cluster) ? List.of(orphan()) : null;
      planner
          .plan(
              scan(context(cluster), clock.instant(), null, changed(cluster), null, stillOpen),
              states.forCluster(cluster))
          .enqueueInto(outbox);
    }
    dispatcher.dispatchDue();

    List<LoggedRequest> posts = requests("chat.postMessage");
    List<LoggedRequest> updates = requests("chat.update");
    assertThat(posts).hasSize(6); // each cluster's incident and its "what changed" reply
    assertThat(updates).hasSize(3);
    List<LoggedRequest> all = new ArrayList<>(posts);
    all.addAll(updates);
    for (LoggedRequest request : all) {
      Map<String, String> form = SlackAlertingIT.form(request);
      assertThat(form.get("link_names")).as("link_names off (the SDK sends 0)").isEqualTo("0");
      assertThat(form).containsEntry("parse", "none");
      assertThat(request.getBodyAsString().length())
          .as("a 1 MB value is not sent")
          .isLessThan(100_000);
      assertSafeMrkdwn(form.get("text"));
      for (JsonNode text : JSON.readTree(form.get("blocks")).findValues("text")) {
        if (text.isObject()) {
          if (text.path("type").asText().equals("mrkdwn")) {
            assertThat(text.path("verbatim").asBoolean()).as("verbatim").isTrue();
            assertSafeMrkdwn(text.path("text").asText());
          } else {
            assertSafePlain(text.path("text").asText());
          }
        } else {
          assertSafeMrkdwn(text.asText());
        }
      }
    }
    String alert =
        posts.stream()
            .map(SlackAlertingIT::form)
            .filter(form -> !form.containsKey("thread_ts"))
            .map(form -> form.get("blocks"))
            .reduce("", String::concat);
    assertThat(alert)
        .as("hostile values are shown, escaped")
        .contains("&lt;!channel&gt;")
        .contains("@\u200bhere")
        .contains("line one\u240aline two")
        .contains("\u241b[31mred")
        .contains(HostileStrings.HUGE_SUFFIX);
  }

  @Test
  void aBrokenCommitsHelmFailMessageCannotMentionOrLink() throws Exception {
    planner
        .brokenCommit(
            "3f2a9c1d0e4b5a69788a9b0c1d2e3f4a5b6c7d8e",
            "https://git.example.org/fleet/commit/3f2a9c1",
            List.of(
                new RenderError(
                    "prod-eu-1",
                    HostileStrings.AT_CHANNEL,
                    "addons/ingress/chart/templates/" + HostileStrings.NEWLINES,
                    7,
                    "execution error: " + HostileStrings.MIXED + HostileStrings.SLACK_CHANNEL)))
        .enqueueInto(outbox);
    dispatcher.dispatchDue();

    LoggedRequest request = requests("chat.postMessage").get(0);
    Map<String, String> form = SlackAlertingIT.form(request);
    assertThat(form.get("link_names")).isEqualTo("0");
    assertSafeMrkdwn(form.get("text"));
    for (JsonNode text : JSON.readTree(form.get("blocks")).findValues("text")) {
      assertSafeMrkdwn(text.isObject() ? text.path("text").asText() : text.asText());
    }
  }

  /**
   * What Slack would parse in mrkdwn: only fleetwarden's own {@code <!date^..>} and {@code
   * <http..|..>} remain; no special mention; no control character but the message's own line
   * breaks, and no line started by a value; every line's code spans closed.
   */
  private static void assertSafeMrkdwn(String text) {
    String withoutOwn =
        text.replaceAll("<!date\\^[0-9]+\\^\\{date_short_pretty\\} \\{time\\}\\|[^<>]*>", "")
            .replaceAll("<https://git\\.example\\.org/[^<>|]*\\|", "");
    assertThat(withoutOwn)
        .as(text)
        .doesNotContain("<!")
        .doesNotContain("<http")
        .doesNotContain("<@");
    assertThat(HostileStrings.SPECIAL_MENTION.matcher(text).find()).as(text).isFalse();
    assertThat(HostileStrings.hasControl(text.replace("\n", ""))).as(text).isFalse();
    for (String line : text.split("\n")) {
      assertThat(line.chars().filter(c -> c == '`').count() % 2)
          .as("balanced code spans in: " + line)
          .isZero();
      assertThat(line.stripLeading())
          .doesNotStartWith("line two")
          .doesNotStartWith("# heading")
          .doesNotStartWith("2026-01-01T00:00:00.000Z");
    }
  }

  private static void assertSafePlain(String text) {
    assertThat(text).doesNotContain("<").doesNotContain(">");
    assertThat(HostileStrings.SPECIAL_MENTION.matcher(text).find()).as(text).isFalse();
    assertThat(HostileStrings.hasControl(text)).isFalse();
  }

  private List<LoggedRequest> requests(String method) {
    return slack.findAll(postRequestedFor(urlEqualTo("/api/" + method)));
  }
}

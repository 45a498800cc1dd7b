package dev.fleetwarden.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.fleetwarden.notify.NotifyFixtures.DEV;
import static dev.fleetwarden.notify.NotifyFixtures.PROD;
import static dev.fleetwarden.notify.NotifyFixtures.PR_URL;
import static dev.fleetwarden.notify.NotifyFixtures.SECRET_VALUE;
import static dev.fleetwarden.notify.NotifyFixtures.T0;
import static dev.fleetwarden.notify.NotifyFixtures.base64;
import static dev.fleetwarden.notify.NotifyFixtures.configValue;
import static dev.fleetwarden.notify.NotifyFixtures.missingPolicy;
import static dev.fleetwarden.notify.NotifyFixtures.replicas;
import static dev.fleetwarden.notify.NotifyFixtures.scan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.fleetwarden.ledger.AlertState;
import dev.fleetwarden.ledger.AlertStatus;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.InMemoryAlertStates;
import dev.fleetwarden.ledger.InMemoryFindings;
import dev.fleetwarden.ledger.InMemoryOutbox;
import dev.fleetwarden.ledger.InMemoryScans;
import dev.fleetwarden.ledger.MessageRef;
import dev.fleetwarden.ledger.MutableClock;
import dev.fleetwarden.ledger.OutboxMessage;
import dev.fleetwarden.ledger.OutboxRow;
import dev.fleetwarden.ledger.ScanInput;
import dev.fleetwarden.ledger.ScanOutcome;
import dev.fleetwarden.model.ObjectDrift;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The alert flow end to end against WireMock standing in for the Slack Web API. */
class SlackAlertingIT {
  private static final String TOKEN = "xoxb-test-token";
  private static final String ALERT_TS = "1700000000.000100";
  private static final String REPLY_TS = "1700000000.000200";
  private static final ObjectMapper JSON = new ObjectMapper();

  private WireMockServer slack;
  private SlackNotifier notifier;
  private final MutableClock clock = new MutableClock(T0);
  private final InMemoryOutbox outbox = new InMemoryOutbox(clock);
  private final InMemoryAlertStates states = new InMemoryAlertStates();
  private final AlertPlanner planner = NotifyFixtures.planner(Duration.ofHours(4));
  private final DispatchSettings settings =
      new DispatchSettings(
          10, Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofSeconds(30));
  private OutboxDispatcher dispatcher;

  @BeforeEach
  void start() {
    slack = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    slack.start();
    stubOk();
    notifier = new SlackNotifier(TOKEN, slack.baseUrl());
    dispatcher = new OutboxDispatcher(outbox, states, notifier, clock, settings);
  }

  @AfterEach
  void stop() throws Exception {
    notifier.close();
    slack.stop();
  }

  private void stubOk() {
    slack.stubFor(
        post(urlEqualTo("/api/chat.postMessage"))
            .atPriority(1)
            .withFormParam("thread_ts", absent())
            .willReturn(okJson("{\"ok\":true,\"channel\":\"C123\",\"ts\":\"" + ALERT_TS + "\"}")));
    slack.stubFor(
        post(urlEqualTo("/api/chat.postMessage"))
            .atPriority(5)
            .willReturn(okJson("{\"ok\":true,\"channel\":\"C123\",\"ts\":\"" + REPLY_TS + "\"}")));
    slack.stubFor(
        post(urlEqualTo("/api/chat.update"))
            .willReturn(okJson("{\"ok\":true,\"channel\":\"C123\",\"ts\":\"" + ALERT_TS + "\"}")));
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder okJson(
      String body) {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody(body);
  }

  private List<LoggedRequest> requests(String method) {
    return slack.findAll(postRequestedFor(urlEqualTo("/api/" + method)));
  }

  /** The form parameters of a Web API call (the Slack client posts form-encoded bodies). */
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

  private static JsonNode blocks(LoggedRequest request) throws Exception {
    return JSON.readTree(form(request).get("blocks"));
  }

  private void plan(ClusterFindings findings) {
    NotifyFixtures.plan(planner, findings, states, outbox).enqueueInto(outbox);
  }

  private static String incident(String cluster, String channel) {
    return AlertPlanner.incidentKey(cluster, channel);
  }

  private static final String PROD_INCIDENT = incident("prod-eu-1", "#platform-prod-alerts");

  private static Finding finding(ObjectDrift drift) {
    return NotifyFixtures.finding("fp-1", drift, T0);
  }

  @Test
  void newDriftPostsOneAlertWithItsDetails() throws Exception {
    plan(
        NotifyFixtures.withPullRequest(
            scan(
                PROD,
                T0,
                List.of(NotifyFixtures.finding("fp-1", replicas("prod-eu-1", 2, 5), T0)),
                null,
                null,
                null),
            PR_URL));
    assertThat(dispatcher.dispatchDue().sent()).isEqualTo(1);

    List<LoggedRequest> posts = requests("chat.postMessage");
    assertThat(posts).hasSize(1);
    LoggedRequest request = posts.get(0);
    assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(request.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
    Map<String, String> form = form(request);
    assertThat(form.get("channel")).isEqualTo("#platform-prod-alerts");
    assertThat(form.get("text")).startsWith("@platform-oncall Drift on prod-eu-1 (drifted)");
    assertThat(form).doesNotContainKey("thread_ts");
    JsonNode blocks = blocks(request);
    assertThat(blocks.at("/0/type").asText()).isEqualTo("header");
    assertThat(blocks.at("/0/text/text").asText()).contains("prod-eu-1").contains("drifted");
    assertThat(blocks.at("/2/text/text").asText())
        .contains("prod-eu-1/Deployment.apps/ingress/ingress-controller")
        .contains("addons/ingress/chart/templates/deployment.yaml")
        .contains("<" + PR_URL + "|");
    assertThat(blocks.at("/3/text/text").asText())
        .contains("`/spec/replicas`: `2` → `5`")
        .contains("`kubectl-edit`")
        .contains("clusters/prod-eu-1/values/ingress.yaml:4");
    assertThat(blocks.at("/4/elements/0/text").asText()).contains(NotifyFixtures.COMMIT_URL);
    assertThat(form.get("text")).contains("PR " + PR_URL);

    AlertState state = states.find("prod-eu-1", PROD_INCIDENT).orElseThrow();
    assertThat(state.message()).isEqualTo(new MessageRef("C123", ALERT_TS));
  }

  /** The ledger of the incident test: findings recorded by the same rules as the store's. */
  private final InMemoryFindings ledger = new InMemoryFindings(new InMemoryScans());

  /** Records and plans a scan of prod-eu-1 that found these drifts. */
  private void scanProd(Instant at, ObjectDrift... drifts) {
    ScanOutcome outcome =
        ledger.recordScan("prod-eu-1", at, List.of(drifts), NotifyFixtures.COMMIT);
    plan(incidentScan(outcome));
  }

  /** Records and plans a watch verdict on one object of prod-eu-1 that found it in sync. */
  private void inSyncVerdict(Instant at, ObjectDrift object) {
    ScanOutcome outcome =
        ledger.recordScan(
            ScanInput.objects(
                "prod-eu-1", Set.of(object.resource()), at, NotifyFixtures.COMMIT, List.of()));
    plan(incidentScan(outcome));
  }

  private ClusterFindings incidentScan(ScanOutcome outcome) {
    return new ClusterFindings(
        PROD,
        outcome,
        ledger.open("prod-eu-1"),
        NotifyFixtures.COMMIT,
        NotifyFixtures.COMMIT_URL,
        Map.of());
  }

  private static int mentions(LoggedRequest request) {
    Map<String, String> form = form(request);
    String all = form.get("text") + form.get("blocks");
    return all.split("@platform-oncall", -1).length - 1;
  }

  @Test
  void fourDriftedObjectsAreOneMessageWithOneMentionResolvedObjectByObject() throws Exception {
    ObjectDrift deploy = replicas("prod-eu-1", 4, 6);
    ObjectDrift policy = missingPolicy("prod-eu-1");
    ObjectDrift settings = configValue("prod-eu-1", "settings", "debug");
    ObjectDrift routes = configValue("prod-eu-1", "routes", "open");
    scanProd(T0, deploy, policy, settings, routes);
    dispatcher.dispatchDue();

    LoggedRequest post = requests("chat.postMessage").get(0);
    assertThat(requests("chat.postMessage")).hasSize(1);
    assertThat(form(post).get("channel")).isEqualTo("#platform-prod-alerts");
    assertThat(form(post).get("text")).startsWith("@platform-oncall Drift on prod-eu-1 (missing)");
    assertThat(blocks(post).at("/1/text/text").asText())
        .startsWith("@platform-oncall 4 objects differ");
    for (ObjectDrift d : List.of(deploy, policy, settings, routes)) {
      assertThat(form(post).get("blocks")).contains(d.resource().toString());
    }

    // Resolved one by one: by a scan, by two watch verdicts on one object each, by a scan.
    clock.set(T0.plus(Duration.ofMinutes(10)));
    scanProd(clock.instant(), deploy, settings, routes);
    dispatcher.dispatchDue();
    clock.set(T0.plus(Duration.ofMinutes(20)));
    inSyncVerdict(clock.instant(), settings);
    dispatcher.dispatchDue();
    clock.set(T0.plus(Duration.ofMinutes(30)));
    inSyncVerdict(clock.instant(), deploy);
    dispatcher.dispatchDue();
    clock.set(T0.plus(Duration.ofMinutes(40)));
    scanProd(clock.instant());
    dispatcher.dispatchDue();

    List<LoggedRequest> updates = requests("chat.update");
    assertThat(updates)
        .hasSize(4)
        .allSatisfy(u -> assertThat(form(u).get("ts")).isEqualTo(ALERT_TS));
    assertThat(blocks(updates.get(0)).at("/1/text/text").asText()).contains("3 objects differ");
    assertThat(blocks(updates.get(1)).at("/1/text/text").asText()).contains("2 objects differ");
    assertThat(blocks(updates.get(2)).at("/1/text/text").asText()).contains("1 object differs");
    assertThat(form(updates.get(2)).get("blocks"))
        .contains(routes.resource().toString())
        .doesNotContain(deploy.resource().toString());
    assertThat(blocks(updates.get(3)).at("/0/text/text").asText())
        .isEqualTo(":white_check_mark: Resolved: drift on prod-eu-1");

    List<LoggedRequest> posts = requests("chat.postMessage");
    assertThat(posts).hasSize(5);
    List<LoggedRequest> replies = posts.subList(1, 5);
    assertThat(replies).allSatisfy(r -> assertThat(form(r).get("thread_ts")).isEqualTo(ALERT_TS));
    List<ObjectDrift> order = List.of(policy, settings, deploy, routes);
    for (int i = 0; i < 4; i++) {
      assertThat(blocks(replies.get(i)).at("/0/text/text").asText())
          .as("reply " + i)
          .contains("`" + order.get(i).resource() + "` is back in sync");
    }
    assertThat(form(replies.get(3)).get("text")).startsWith("Resolved at 2026-11-23 07:40 UTC");
    assertThat(mentions(post)).as("the post mentions on-call once, in its section").isEqualTo(2);
    assertThat(posts.subList(1, 5)).allSatisfy(r -> assertThat(mentions(r)).isZero());
    assertThat(mentions(updates.get(3))).isZero();
    assertThat(states.find("prod-eu-1", PROD_INCIDENT).orElseThrow().status())
        .isEqualTo(AlertStatus.RESOLVED);

    // A drift after the resolution: a new message, with the mention again.
    clock.set(T0.plus(Duration.ofMinutes(50)));
    scanProd(clock.instant(), settings);
    dispatcher.dispatchDue();
    List<LoggedRequest> topLevel =
        requests("chat.postMessage").stream()
            .filter(r -> !form(r).containsKey("thread_ts"))
            .toList();
    assertThat(topLevel).hasSize(2);
    assertThat(form(topLevel.get(1)).get("text")).startsWith("@platform-oncall Drift on prod-eu-1");
    assertThat(states.find("prod-eu-1", PROD_INCIDENT).orElseThrow().status())
        .isEqualTo(AlertStatus.OPEN);
  }

  @Test
  void changedDriftUpdatesTheSameMessageAndRepliesInItsThread() throws Exception {
    plan(scan(PROD, T0, List.of(finding(replicas("prod-eu-1", 2, 5))), null, null, null));
    dispatcher.dispatchDue();
    clock.advance(Duration.ofMinutes(10));
    plan(
        scan(
            PROD,
            clock.instant(),
            null,
            List.of(
                NotifyFixtures.changed(
                    "fp-1", replicas("prod-eu-1", 2, 5), replicas("prod-eu-1", 2, 9), T0)),
            null,
            null));
    assertThat(dispatcher.dispatchDue().sent()).isEqualTo(2);

    List<LoggedRequest> updates = requests("chat.update");
    assertThat(updates).hasSize(1);
    Map<String, String> update = form(updates.get(0));
    assertThat(update.get("ts")).isEqualTo(ALERT_TS);
    assertThat(update.get("channel")).isEqualTo("C123");
    assertThat(blocks(updates.get(0)).at("/3/text/text").asText()).contains("`2` → `9`");

    slack.verify(
        1,
        postRequestedFor(urlEqualTo("/api/chat.postMessage"))
            .withFormParam("thread_ts", equalTo(ALERT_TS))
            .withFormParam("channel", equalTo("C123")));
    LoggedRequest reply = requests("chat.postMessage").get(1);
    assertThat(blocks(reply).at("/0/text/text").asText())
        .contains("What changed")
        .contains("*Changed*")
        .contains("live `5` → `9`");
  }

  @Test
  void resolvedDriftMarksTheMessageResolvedAndRepliesInTheThread() throws Exception {
    plan(scan(PROD, T0, List.of(finding(replicas("prod-eu-1", 2, 5))), null, null, null));
    dispatcher.dispatchDue();
    Instant resolvedAt = T0.plus(Duration.ofMinutes(45));
    clock.set(resolvedAt);
    plan(
        scan(
            PROD,
            resolvedAt,
            null,
            null,
            List.of(NotifyFixtures.resolved("fp-1", replicas("prod-eu-1", 2, 5), T0, resolvedAt)),
            null));
    dispatcher.dispatchDue();

    LoggedRequest update = requests("chat.update").get(0);
    assertThat(form(update).get("ts")).isEqualTo(ALERT_TS);
    assertThat(blocks(update).at("/0/text/text").asText())
        .startsWith(":white_check_mark: Resolved");
    assertThat(form(update).get("text")).doesNotContain("@platform-oncall");
    LoggedRequest reply = requests("chat.postMessage").get(1);
    assertThat(form(reply).get("thread_ts")).isEqualTo(ALERT_TS);
    assertThat(form(reply).get("text")).contains("Resolved at 2026-11-23 07:45 UTC");
    assertThat(states.find("prod-eu-1", PROD_INCIDENT).orElseThrow().status())
        .isEqualTo(AlertStatus.RESOLVED);

    // The same resolution seen again changes nothing.
    plan(
        scan(
            PROD,
            resolvedAt.plusSeconds(60),
            null,
            null,
            List.of(NotifyFixtures.resolved("fp-1", replicas("prod-eu-1", 2, 5), T0, resolvedAt)),
            null));
    dispatcher.dispatchDue();
    assertThat(slack.getAllServeEvents()).hasSize(3);
  }

  @Test
  void repeatDriftSendsNothingMore() {
    for (int i = 0; i < 3; i++) {
      clock.set(T0.plus(Duration.ofMinutes(10L * i)));
      List<Finding> f = List.of(finding(replicas("prod-eu-1", 2, 5)));
      // the first scan calls it new; later ones, still open; one glitchy scan calls it new again
      plan(scan(PROD, clock.instant(), i != 1 ? f : null, null, null, i == 1 ? f : null));
      dispatcher.dispatchDue();
    }
    assertThat(slack.getAllServeEvents()).hasSize(1);
  }

  @Test
  void rateLimitIsHonouredThenTheMessageGoesOut() {
    slack.stubFor(
        post(urlEqualTo("/api/chat.postMessage"))
            .atPriority(0)
            .inScenario("429")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7"))
            .willSetStateTo("served"));
    plan(scan(PROD, T0, List.of(finding(replicas("prod-eu-1", 2, 5))), null, null, null));
    DispatchResult first = dispatcher.dispatchDue();
    assertThat(first.rateLimited()).isTrue();
    assertThat(outbox.unsent().get(0).nextAttemptAt()).isEqualTo(T0.plusSeconds(7));

    clock.advance(Duration.ofSeconds(6));
    assertThat(dispatcher.dispatchDue().claimed()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(dispatcher.dispatchDue().sent()).isEqualTo(1);
    assertThat(requests("chat.postMessage")).hasSize(2);
    assertThat(outbox.unsent()).isEmpty();
    assertThat(states.find("prod-eu-1", PROD_INCIDENT)).isPresent();
  }

  @Test
  void serverErrorIsRetriedAfterBackoff() {
    slack.stubFor(
        post(urlEqualTo("/api/chat.postMessage"))
            .atPriority(0)
            .inScenario("500")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(500).withBody("upstream failure"))
            .willSetStateTo("served"));
    plan(scan(PROD, T0, List.of(finding(replicas("prod-eu-1", 2, 5))), null, null, null));
    assertThat(dispatcher.dispatchDue().failed()).isEqualTo(1);
    OutboxRow row = outbox.unsent().get(0);
    assertThat(row.lastError()).contains("HTTP 500");
    assertThat(row.nextAttemptAt()).isEqualTo(T0.plusSeconds(10));
    clock.advance(Duration.ofSeconds(10));
    assertThat(dispatcher.dispatchDue().sent()).isEqualTo(1);
    assertThat(requests("chat.postMessage")).hasSize(2);
  }

  @Test
  void slackRefusalIsATypedErrorAndTheMessageIsKept() {
    slack.stubFor(
        post(urlEqualTo("/api/chat.postMessage"))
            .atPriority(0)
            .withFormParam("channel", equalTo("#nowhere"))
            .willReturn(okJson("{\"ok\":false,\"error\":\"channel_not_found\"}")));
    assertThatThrownBy(() -> notifier.post("#nowhere", "t", "[]", null))
        .isInstanceOfSatisfying(
            SlackErrorException.class,
            e -> {
              assertThat(e.errorCode()).isEqualTo("channel_not_found");
              assertThat(e.method()).isEqualTo("chat.postMessage");
            });
    outbox.enqueue(
        "x",
        new OutboxMessage(
            OutboxMessage.Kind.STANDALONE, null, null, "#nowhere", null, "t", "[]", "h"));
    dispatcher.dispatchDue();
    assertThat(outbox.unsent())
        .singleElement()
        .satisfies(r -> assertThat(r.lastError()).contains("channel_not_found"));
  }

  @Test
  void restartSendsExactlyTheUnsentRows() {
    slack.stubFor(
        post(urlEqualTo("/api/chat.postMessage"))
            .atPriority(0)
            .withFormParam("channel", equalTo("#security-alerts"))
            .willReturn(aResponse().withStatus(503)));
    plan(scan(PROD, T0, List.of(finding(replicas("prod-eu-1", 2, 5))), null, null, null));
    plan(
        scan(
            DEV,
            T0,
            List.of(
                NotifyFixtures.finding("fp-2", NotifyFixtures.missingPolicy("dev"), T0),
                NotifyFixtures.finding("fp-3", replicas("dev", 1, 3), T0)),
            null,
            null,
            null));
    DispatchResult before = dispatcher.dispatchDue();
    assertThat(before.sent()).isEqualTo(2);
    assertThat(before.failed()).isEqualTo(1);

    // "Restart": a new notifier and dispatcher over the same outbox and alert states.
    slack.resetAll();
    stubOk();
    clock.advance(Duration.ofMinutes(1));
    try (SlackNotifier fresh = new SlackNotifier(TOKEN, slack.baseUrl())) {
      OutboxDispatcher restarted = new OutboxDispatcher(outbox, states, fresh, clock, settings);
      assertThat(restarted.dispatchDue().sent()).isEqualTo(1);
      assertThat(restarted.dispatchDue().claimed()).isZero();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    List<LoggedRequest> posts = requests("chat.postMessage");
    assertThat(posts)
        .singleElement()
        .satisfies(p -> assertThat(form(p).get("channel")).isEqualTo("#security-alerts"));
    assertThat(outbox.unsent()).isEmpty();
    assertThat(states.size()).isEqualTo(3);
  }

  @Test
  void noSecretValueEverReachesSlack() throws Exception {
    ObjectDrift secret = NotifyFixtures.secretDrift("prod-eu-1");
    plan(scan(PROD, T0, List.of(finding(secret)), null, null, null));
    dispatcher.dispatchDue();
    ObjectDrift changed =
        new ObjectDrift(
            secret.resource(),
            secret.addon(),
            secret.source(),
            secret.type(),
            secret.file(),
            secret.fields().subList(1, 3));
    clock.advance(Duration.ofMinutes(5));
    plan(
        scan(
            PROD,
            clock.instant(),
            null,
            List.of(NotifyFixtures.changed("fp-1", secret, changed, T0)),
            null,
            null));
    clock.advance(Duration.ofHours(5));
    plan(scan(PROD, clock.instant(), null, null, null, List.of(finding(changed))));
    clock.advance(Duration.ofMinutes(5));
    plan(
        scan(
            PROD,
            clock.instant(),
            null,
            null,
            List.of(NotifyFixtures.resolved("fp-1", changed, T0, clock.instant())),
            null));
    for (int i = 0; i < 3; i++) {
      dispatcher.dispatchDue();
    }

    // post, update + "what changed", reminder (the quiet edit queued with it is a no-op by then),
    // update + "resolved"
    assertThat(slack.getAllServeEvents()).hasSize(6);
    String base64 = base64(SECRET_VALUE);
    for (var event : slack.getAllServeEvents()) {
      String raw = event.getRequest().getBodyAsString();
      String decoded = URLDecoder.decode(raw, StandardCharsets.UTF_8);
      for (String body : List.of(raw, decoded)) {
        assertThat(body).doesNotContain(SECRET_VALUE).doesNotContain(base64);
      }
    }
    // the masked hash is what on-call sees
    assertThat(form(requests("chat.postMessage").get(0)).get("blocks"))
        .contains(NotifyFixtures.masked(SECRET_VALUE));
  }
}

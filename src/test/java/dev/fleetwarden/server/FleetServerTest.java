package dev.fleetwarden.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.fleetwarden.model.ClusterReport;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.FleetReport;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.PartStatus;
import dev.fleetwarden.model.ResourceId;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real HTTP requests against the server on a free loopback port. */
class FleetServerTest {
  static final String SECRET = "webhook-secret-for-tests";
  static final ObjectMapper JSON = new ObjectMapper();

  final AtomicBoolean ready = new AtomicBoolean();
  final AtomicReference<StatusSnapshot> snapshot = new AtomicReference<>();
  final List<String> pushes = new CopyOnWriteArrayList<>();
  final List<PullRequestEvent> pullRequests = new CopyOnWriteArrayList<>();
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  FleetServer server;

  @BeforeEach
  void start() throws Exception {
    server =
        new FleetServer(
                new ServerSettings("127.0.0.1", 0, SECRET, 4096),
                snapshot::get,
                ready::get,
                new WebhookListener() {
                  @Override
                  public void onPush(String ref, String after) {
                    pushes.add(ref + "@" + after);
                  }

                  @Override
                  public void onPullRequest(PullRequestEvent event) {
                    pullRequests.add(event);
                  }
                },
                registry)
            .start();
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void healthzIsAlwaysUpAndReadyzFollowsTheSupplier() throws Exception {
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    HttpResponse<String> notReady = get("/readyz");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.body()).contains("first render");
    ready.set(true);
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    assertThat(get("/nothing-here").statusCode()).isEqualTo(404);
    assertThat(send(HttpRequest.newBuilder(uri("/healthz")).DELETE()).statusCode()).isEqualTo(405);
  }

  @Test
  void metricsExposeTheRecordedMeters() throws Exception {
    FleetMetrics metrics = new FleetMetrics(registry);
    metrics.recordScan("prod-eu-1", Duration.ofMillis(1500), true);
    metrics.recordScan("prod-eu-1", Duration.ofMillis(200), false);
    metrics.setDrifted("prod-eu-1", "ingress", 3);
    metrics.setCritical("prod-eu-1", 1);
    metrics.setCritical("dev-1", 2);
    metrics.setReachable("prod-eu-1", true);
    metrics.setReachable("dev-1", false);
    metrics.recordGitSuccess("abc123", Instant.ofEpochSecond(1_700_000_000));
    metrics.recordGitSuccess("def456", Instant.ofEpochSecond(1_700_000_100));
    metrics.renderError("dev-1", "monitoring");
    metrics.recordTerraformPlan("prod-eu-1", Duration.ofSeconds(11));
    metrics.setOutboxPending(7);

    HttpResponse<String> res = get("/metrics");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    String text = res.body();
    assertThat(text)
        .contains(
            "fleetwarden_scan_duration_seconds_count{cluster=\"prod-eu-1\",outcome=\"success\"} 1")
        .contains(
            "fleetwarden_scan_duration_seconds_count{cluster=\"prod-eu-1\",outcome=\"failure\"} 1")
        .contains("fleetwarden_scan_failures_total{cluster=\"prod-eu-1\"} 1.0")
        .contains("fleetwarden_drifted_objects{addon=\"ingress\",cluster=\"prod-eu-1\"} 3.0")
        .contains("fleetwarden_critical_objects{cluster=\"prod-eu-1\"} 1.0")
        .contains("fleetwarden_critical_objects{cluster=\"dev-1\"} 2.0")
        .contains("fleetwarden_cluster_reachable{cluster=\"prod-eu-1\"} 1.0")
        .contains("fleetwarden_cluster_reachable{cluster=\"dev-1\"} 0.0")
        .contains("fleetwarden_git_last_success_timestamp_seconds{revision=\"def456\"} 1.7000001E9")
        .doesNotContain("revision=\"abc123\"")
        .contains("fleetwarden_render_errors_total{addon=\"monitoring\",cluster=\"dev-1\"} 1.0")
        .contains("fleetwarden_terraform_plan_duration_seconds_sum{cluster=\"prod-eu-1\"} 11.0")
        .contains("fleetwarden_outbox_pending 7.0")
        .contains("# HELP fleetwarden_drifted_objects Objects that differ from the fleet repo now");

    metrics.setDrifted("prod-eu-1", "ingress", 0);
    metrics.removeCluster("dev-1");
    String after = get("/metrics").body();
    assertThat(after)
        .contains("fleetwarden_drifted_objects{addon=\"ingress\",cluster=\"prod-eu-1\"} 0.0")
        .doesNotContain("cluster=\"dev-1\"");
  }

  @Test
  void fleetAndClusterJsonCarryTheReportAndTimes() throws Exception {
    assertThat(get("/api/v1/fleet").statusCode()).as("before the first scan").isEqualTo(503);

    ObjectDrift drift =
        new ObjectDrift(
            new ResourceId(
                "prod-eu-1", "apps", "Deployment", "ingress-system", "ingress-controller"),
            "ingress",
            DriftSource.KUBERNETES,
            DriftType.MODIFIED,
            "addons/ingress/addon.yaml",
            List.of(new FieldDrift("/spec/replicas", IntNode.valueOf(2), IntNode.valueOf(5))));
    ClusterReport prod =
        ClusterReport.combine(
            "prod-eu-1", PartStatus.of(true), PartStatus.of(false), List.of(drift));
    ClusterReport dev =
        ClusterReport.combine(
            "dev-1", PartStatus.unknown("connection refused"), PartStatus.NOT_CHECKED, List.of());
    Instant scanned = Instant.parse("2025-03-01T10:15:30Z");
    snapshot.set(
        new StatusSnapshot(
            new FleetReport(List.of(prod, dev)),
            "0123456789abcdef0123456789abcdef01234567",
            scanned,
            Map.of(
                "prod-eu-1",
                new StatusSnapshot.ClusterScan(
                    scanned.minusSeconds(60), "0123456789abcdef0123456789abcdef01234567"))));

    HttpResponse<String> res = get("/api/v1/fleet");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type"))
        .hasValue("application/json; charset=utf-8");
    JsonNode fleet = JSON.readTree(res.body());
    assertThat(fleet.path("revision").asText())
        .isEqualTo("0123456789abcdef0123456789abcdef01234567");
    assertThat(fleet.path("scannedAt").asText()).isEqualTo("2025-03-01T10:15:30Z");
    assertThat(fleet.path("exitCode").asInt()).isEqualTo(2);
    assertThat(fleet.path("clusters")).hasSize(2);
    JsonNode first = fleet.path("clusters").get(0);
    assertThat(first.path("name").asText()).as("sorted by name").isEqualTo("dev-1");
    assertThat(first.path("status").asText()).isEqualTo("unknown");
    assertThat(first.path("scannedAt").isNull()).isTrue();
    JsonNode second = fleet.path("clusters").get(1);
    assertThat(second.path("status").asText()).isEqualTo("drifted");
    assertThat(second.path("severity").asText()).isEqualTo("drifted");
    assertThat(second.path("scannedAt").asText()).isEqualTo("2025-03-01T10:14:30Z");
    assertThat(second.path("drifts").get(0).path("fields").get(0).path("path").asText())
        .isEqualTo("/spec/replicas");

    HttpResponse<String> one = get("/api/v1/clusters/prod-eu-1");
    assertThat(one.statusCode()).isEqualTo(200);
    JsonNode cluster = JSON.readTree(one.body());
    assertThat(cluster.path("name").asText()).isEqualTo("prod-eu-1");
    assertThat(cluster.path("drifts").get(0).path("type").asText()).isEqualTo("modified");
    assertThat(cluster.path("drifts").get(0).path("fields").get(0).path("live").asInt())
        .isEqualTo(5);
    assertThat(cluster.path("revision").asText()).startsWith("0123456789");

    HttpResponse<String> unknown = get("/api/v1/clusters/nope");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknown.body()).path("error").asText())
        .contains("unknown cluster 'nope'");
  }

  @Test
  void aSignedPushIsAcceptedAndPassedOn() throws Exception {
    String body = "{\"ref\":\"refs/heads/main\",\"after\":\"abc123\",\"commits\":[]}";
    HttpResponse<String> res = webhook("push", body, WebhookSignature.sign(SECRET, bytes(body)));
    assertThat(res.statusCode()).isEqualTo(202);
    assertThat(pushes).containsExactly("refs/heads/main@abc123");
  }

  private static String pullRequest(String action, String headRepo, String baseRef) {
    return """
        {"action":"%s","number":7,
         "pull_request":{"number":7,
           "base":{"ref":"%s","sha":"%s","repo":{"full_name":"example-org/fleet"}},
           "head":{"ref":"feature","sha":"%s","repo":%s}},
         "repository":{"full_name":"example-org/fleet"},
         "sender":{"login":"fleetwarden[bot]"}}
        """
        .formatted(
            action,
            baseRef,
            "a".repeat(40),
            "b".repeat(40),
            headRepo == null ? "null" : "{\"full_name\":\"" + headRepo + "\"}");
  }

  @Test
  void aSignedPullRequestEventIsPassedOnForTheActionsThatChangeItsHead() throws Exception {
    String opened = pullRequest("opened", "example-org/fleet", "main");
    HttpResponse<String> res =
        webhook("pull_request", opened, WebhookSignature.sign(SECRET, bytes(opened)), "d-pr-1");
    assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
    assertThat(pullRequests).hasSize(1);
    PullRequestEvent e = pullRequests.get(0);
    assertThat(e.number()).isEqualTo(7);
    assertThat(e.repository()).isEqualTo("example-org/fleet");
    assertThat(e.baseBranch()).isEqualTo("main");
    assertThat(e.headCommit()).isEqualTo("b".repeat(40));
    assertThat(e.headRef()).isEqualTo("refs/pull/7/head");
    assertThat(e.fromFork()).isFalse();
    assertThat(e.sender()).isEqualTo("fleetwarden[bot]"); // its own pull requests too

    String fork = pullRequest("synchronize", "someone/fleet-fork", "main");
    assertThat(
            webhook("pull_request", fork, WebhookSignature.sign(SECRET, bytes(fork)), "d-pr-2")
                .statusCode())
        .isEqualTo(202);
    String reopened = pullRequest("reopened", null, "main");
    assertThat(
            webhook(
                    "pull_request",
                    reopened,
                    WebhookSignature.sign(SECRET, bytes(reopened)),
                    "d-pr-3")
                .statusCode())
        .isEqualTo(202);
    assertThat(pullRequests)
        .extracting(PullRequestEvent::fromFork)
        .containsExactly(false, true, true);

    String closed = pullRequest("closed", "example-org/fleet", "main");
    HttpResponse<String> ignored =
        webhook("pull_request", closed, WebhookSignature.sign(SECRET, bytes(closed)), "d-pr-4");
    assertThat(ignored.statusCode()).isEqualTo(200);
    assertThat(ignored.body()).contains("ignored");
    assertThat(pullRequests).hasSize(3);
    assertThat(pushes).isEmpty();
  }

  @Test
  void aPullRequestEventWithAForgedSignatureOrBadFieldsTriggersNothing() throws Exception {
    String opened = pullRequest("opened", "example-org/fleet", "main");
    assertThat(
            webhook("pull_request", opened, WebhookSignature.sign("other", bytes(opened)), "d-x")
                .statusCode())
        .isEqualTo(401);
    String badRef = pullRequest("opened", "example-org/fleet", "../../etc");
    assertThat(
            webhook("pull_request", badRef, WebhookSignature.sign(SECRET, bytes(badRef)), "d-y")
                .statusCode())
        .isEqualTo(400);
    String badSha = opened.replace("b".repeat(40), "--upload-pack=touch%20x");
    assertThat(
            webhook("pull_request", badSha, WebhookSignature.sign(SECRET, bytes(badSha)), "d-z")
                .statusCode())
        .isEqualTo(400);
    assertThat(pullRequests).isEmpty();
  }

  @Test
  void aSignedPingIsAnsweredAndTriggersNothing() throws Exception {
    String body = "{\"zen\":\"Keep it logically awesome.\"}";
    HttpResponse<String> res = webhook("ping", body, WebhookSignature.sign(SECRET, bytes(body)));
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(pushes).isEmpty();
  }

  @Test
  void aBadOrMissingSignatureIsRejectedAndTriggersNothing() throws Exception {
    String body = "{\"ref\":\"refs/heads/main\",\"after\":\"abc123\"}";
    String otherSecret = WebhookSignature.sign("another-secret", bytes(body));
    String tampered = WebhookSignature.sign(SECRET, bytes(body.replace("abc123", "fff000")));
    assertThat(webhook("push", body, otherSecret).statusCode()).isEqualTo(401);
    assertThat(webhook("push", body, tampered).statusCode()).isEqualTo(401);
    assertThat(webhook("push", body, "sha256=not-hex").statusCode()).isEqualTo(401);
    assertThat(webhook("push", body, "sha1=" + "0".repeat(40)).statusCode()).isEqualTo(401);
    assertThat(webhook("push", body, null).statusCode()).isEqualTo(401);
    assertThat(pushes).isEmpty();
  }

  @Test
  void anOversizedBodyIsRefused() throws Exception {
    String body =
        "{\"ref\":\"refs/heads/main\",\"after\":\"abc\",\"pad\":\"" + "x".repeat(10_000) + "\"}";
    HttpResponse<String> res = webhook("push", body, WebhookSignature.sign(SECRET, bytes(body)));
    assertThat(res.statusCode()).isEqualTo(413);
    assertThat(pushes).isEmpty();
  }

  @Test
  void withoutASecretTheWebhookIsOff() throws Exception {
    try (FleetServer open =
        new FleetServer(
                new ServerSettings("127.0.0.1", 0, null, 0),
                snapshot::get,
                ready::get,
                (ref, after) -> pushes.add(ref),
                registry)
            .start()) {
      String body = "{\"ref\":\"refs/heads/main\",\"after\":\"abc\"}";
      HttpResponse<String> res =
          client.send(
              HttpRequest.newBuilder(open.uri().resolve("/webhooks/github"))
                  .header("X-GitHub-Event", "push")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(res.statusCode()).isEqualTo(404);
      assertThat(pushes).isEmpty();
    }
    assertThat(new ServerSettings(null, 0, "s3cret", 0).toString()).doesNotContain("s3cret");
  }

  @Test
  void stopsPromptlyAndFreesThePort() throws Exception {
    URI base = server.uri();
    long start = System.nanoTime();
    server.stop();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                client.send(
                    HttpRequest.newBuilder(base.resolve("/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(java.io.IOException.class);
  }

  // ------------------------------------------------------------------ helpers

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private URI uri(String path) {
    return server.uri().resolve(path);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(
        request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> webhook(String event, String body, String signature)
      throws Exception {
    return webhook(event, body, signature, "d-1");
  }

  private HttpResponse<String> webhook(String event, String body, String signature, String delivery)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri("/webhooks/github"))
            .header("X-GitHub-Event", event)
            .header("X-GitHub-Delivery", delivery)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (signature != null) {
      b.header(WebhookSignature.HEADER, signature);
    }
    return send(b);
  }
}

package dev.fleetwarden.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.model.ClusterReport;
import dev.fleetwarden.report.ReportJson;
import dev.fleetwarden.watch.WatchStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each endpoint answers, apart from the transport: a complete request in, a reply out. The
 * status API, {@code /metrics} and every unknown path need the bearer token when one is configured;
 * {@code /healthz}, {@code /readyz} (probes) and {@code /webhooks/github} (HMAC) do not.
 */
final class FleetApi {
  private static final Logger LOG = LoggerFactory.getLogger(FleetApi.class);
  static final String JSON = "application/json; charset=utf-8";
  static final String TEXT = "text/plain; charset=utf-8";
  static final int RECENT_DELIVERIES = 1000;

  /** A request whose headers and body have been read. Header names are case-insensitive. */
  record Request(String method, String rawPath, Map<String, String> headers, byte[] body) {
    Request {
      TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      h.putAll(headers);
      headers = h;
    }

    String header(String name) {
      return headers.get(name);
    }
  }

  /** The answer: status, content type, body and extra headers. */
  record Reply(int status, String contentType, String body, Map<String, String> headers) {
    Reply(int status, String contentType, String body) {
      this(status, contentType, body, Map.of());
    }
  }

  private final ServerSettings settings;
  private final StatusSource status;
  private final BooleanSupplier ready;
  private final WebhookListener webhooks;
  private final PrometheusMeterRegistry registry;
  private final BearerToken token;
  private final RecentDeliveries deliveries = new RecentDeliveries(RECENT_DELIVERIES);
  private final ObjectMapper mapper = ReportJson.MAPPER;

  FleetApi(
      ServerSettings settings,
      StatusSource status,
      BooleanSupplier ready,
      WebhookListener webhooks,
      PrometheusMeterRegistry registry) {
    this.settings = settings;
    this.status = status;
    this.ready = ready;
    this.webhooks = webhooks;
    this.registry = registry;
    this.token = settings.apiTokenEnabled() ? new BearerToken(settings.apiToken()) : null;
  }

  /** Whether the request is answered at once, without anything that may block. */
  static boolean isTrivial(String rawPath) {
    return rawPath.equals("/healthz");
  }

  Reply handle(Request r) {
    String path = r.rawPath();
    switch (path) {
      case "/healthz":
        return healthz(r);
      case "/readyz":
        return readyz(r);
      case "/webhooks/github":
        return github(r);
      default:
        break;
    }
    if (token != null && !token.accepts(r.header("Authorization"))) {
      return error(
          401,
          "missing or wrong bearer token; send Authorization: Bearer <token>",
          Map.of("WWW-Authenticate", "Bearer realm=\"fleetwarden\""));
    }
    if (path.equals("/metrics")) {
      return metrics(r);
    }
    if (path.equals("/api/v1/fleet")) {
      return fleet(r);
    }
    if (path.startsWith("/api/v1/clusters/")) {
      return cluster(r);
    }
    return error(404, "no such endpoint: " + path);
  }

  // ------------------------------------------------------------------ endpoints

  private Reply healthz(Request r) {
    Reply refused = allow(r, "GET", "HEAD");
    return refused != null ? refused : new Reply(200, TEXT, "ok\n");
  }

  private Reply readyz(Request r) {
    Reply refused = allow(r, "GET", "HEAD");
    if (refused != null) {
      return refused;
    }
    boolean isReady;
    try {
      isReady = ready.getAsBoolean();
    } catch (RuntimeException e) {
      LOG.warn("Readiness check failed: {}", e.toString());
      isReady = false;
    }
    return isReady
        ? new Reply(200, TEXT, "ready\n")
        : new Reply(503, TEXT, "not ready: the first render has not finished\n");
  }

  private Reply metrics(Request r) {
    Reply refused = allow(r, "GET");
    return refused != null
        ? refused
        : new Reply(200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
  }

  private Reply fleet(Request r) {
    Reply refused = allow(r, "GET");
    if (refused != null) {
      return refused;
    }
    StatusSnapshot snapshot = status.current();
    if (snapshot == null || snapshot.report() == null) {
      return error(503, "the first scan has not finished; retry shortly");
    }
    ObjectNode root = mapper.createObjectNode();
    root.put("revision", snapshot.revision());
    root.put("scannedAt", time(snapshot.scannedAt()));
    root.put("exitCode", snapshot.report().exitCode());
    ArrayNode clusters = root.putArray("clusters");
    for (ClusterReport c : snapshot.report().clusters()) {
      clusters.add(clusterJson(c, snapshot));
    }
    return json(200, root);
  }

  private Reply cluster(Request r) {
    Reply refused = allow(r, "GET");
    if (refused != null) {
      return refused;
    }
    String raw = r.rawPath().substring("/api/v1/clusters/".length());
    String name;
    try {
      name = URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return error(400, "the cluster name is not valid percent-encoding");
    }
    if (name.isEmpty() || name.contains("/")) {
      return error(404, "give one cluster name: /api/v1/clusters/{name}");
    }
    StatusSnapshot snapshot = status.current();
    if (snapshot == null || snapshot.report() == null) {
      return error(503, "the first scan has not finished; retry shortly");
    }
    for (ClusterReport c : snapshot.report().clusters()) {
      if (c.name().equals(name)) {
        return json(200, clusterJson(c, snapshot));
      }
    }
    return error(404, "unknown cluster '" + name + "'; GET /api/v1/fleet lists the clusters");
  }

  private ObjectNode clusterJson(ClusterReport report, StatusSnapshot snapshot) {
    ObjectNode node = mapper.valueToTree(report);
    StatusSnapshot.ClusterScan scan = snapshot.clusters().get(report.name());
    node.put("scannedAt", time(scan == null ? null : scan.scannedAt()));
    node.put("revision", scan == null ? null : scan.revision());
    WatchStatus watch = snapshot.watches().get(report.name());
    if (watch != null) {
      ObjectNode w = node.putObject("watch");
      w.put("state", watch.state().label());
      w.put("reason", watch.reason());
      w.put("since", time(watch.since()));
      w.put("lastEventAt", time(watch.lastEventAt()));
      if (watch.lastLag() == null) {
        w.putNull("eventLagSeconds");
      } else {
        w.put("eventLagSeconds", watch.lastLag().toMillis() / 1000.0);
      }
      w.put("objectsCached", watch.objectsCached());
      w.put("bytesPerObject", watch.bytesPerObject());
      w.put("watches", watch.watches());
    }
    return node;
  }

  private Reply github(Request r) {
    Reply refused = allow(r, "POST");
    if (refused != null) {
      return refused;
    }
    if (!settings.webhookEnabled()) {
      return error(404, "the GitHub webhook is not enabled; configure a webhook secret");
    }
    String delivery = loggable(r.header("X-GitHub-Delivery"));
    String signature = r.header(WebhookSignature.HEADER);
    if (!WebhookSignature.verify(settings.webhookSecret(), r.body(), signature)) {
      LOG.warn(
          "Rejected GitHub webhook delivery {}: {} signature",
          delivery,
          signature == null ? "missing" : "invalid");
      return error(401, "missing or invalid " + WebhookSignature.HEADER);
    }
    List<String> keys = deliveryKeys(r.header("X-GitHub-Delivery"), r.body());
    if (!deliveries.claim(keys)) {
      LOG.info("GitHub webhook delivery {} was already processed; ignored", delivery);
      return json(200, mapper.createObjectNode().put("status", "duplicate"));
    }
    boolean done = false;
    try {
      Reply reply = event(r, delivery);
      done = reply.status() < 400;
      return reply;
    } finally {
      if (!done) {
        deliveries.release(keys); // a redelivery of a failed delivery is processed again
      }
    }
  }

  private Reply event(Request r, String delivery) {
    String event = r.header("X-GitHub-Event");
    if ("ping".equals(event)) {
      return json(200, mapper.createObjectNode().put("status", "pong"));
    }
    if ("pull_request".equals(event)) {
      return pullRequest(r, delivery);
    }
    if (!"push".equals(event)) {
      return json(200, mapper.createObjectNode().put("status", "ignored").put("event", event));
    }
    JsonNode payload;
    try {
      payload = mapper.readTree(r.body());
    } catch (IOException e) {
      return error(400, "push payload is not JSON");
    }
    String ref = payload.path("ref").asText(null);
    String after = payload.path("after").asText(null);
    if (ref == null || after == null) {
      return error(400, "push payload lacks 'ref' or 'after'");
    }
    LOG.info("GitHub push {} {} -> {}", delivery, loggable(ref), loggable(after));
    webhooks.onPush(ref, after);
    return json(
        202,
        mapper.createObjectNode().put("status", "accepted").put("ref", ref).put("after", after));
  }

  /** The pull request actions that change what a preview shows. */
  private static final java.util.Set<String> PREVIEWED_ACTIONS =
      java.util.Set.of("opened", "synchronize", "reopened");

  private static final java.util.regex.Pattern REPOSITORY =
      java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}");
  private static final java.util.regex.Pattern BRANCH =
      java.util.regex.Pattern.compile("[A-Za-z0-9._/-]{1,255}");
  private static final java.util.regex.Pattern COMMIT =
      java.util.regex.Pattern.compile("[0-9a-f]{40}");

  private Reply pullRequest(Request r, String delivery) {
    JsonNode payload;
    try {
      payload = mapper.readTree(r.body());
    } catch (IOException e) {
      return error(400, "pull_request payload is not JSON");
    }
    String action = payload.path("action").asText("");
    if (!PREVIEWED_ACTIONS.contains(action)) {
      return json(
          200,
          mapper
              .createObjectNode()
              .put("status", "ignored")
              .put("event", "pull_request")
              .put("action", loggable(action)));
    }
    JsonNode pr = payload.path("pull_request");
    int number = pr.path("number").asInt(payload.path("number").asInt(0));
    String repository = payload.path("repository").path("full_name").asText("");
    String baseBranch = pr.path("base").path("ref").asText("");
    String baseCommit = pr.path("base").path("sha").asText("");
    String headCommit = pr.path("head").path("sha").asText("");
    JsonNode headRepo = pr.path("head").path("repo").path("full_name");
    String headRepository = headRepo.isTextual() ? headRepo.asText() : null;
    if (number <= 0
        || !REPOSITORY.matcher(repository).matches()
        || !BRANCH.matcher(baseBranch).matches()
        || baseBranch.contains("..")
        || baseBranch.startsWith("/")
        || !COMMIT.matcher(baseCommit).matches()
        || !COMMIT.matcher(headCommit).matches()
        || (headRepository != null && !REPOSITORY.matcher(headRepository).matches())) {
      return error(
          400,
          "pull_request payload lacks a valid number, repository.full_name, base ref or sha, or"
              + " head sha");
    }
    PullRequestEvent event =
        new PullRequestEvent(
            action,
            number,
            repository,
            baseBranch,
            baseCommit,
            headCommit,
            headRepository,
            payload.path("sender").path("login").asText(null));
    LOG.info(
        "GitHub pull_request {} {} #{} {} -> {}",
        delivery,
        action,
        number,
        loggable(baseBranch),
        headCommit);
    webhooks.onPullRequest(event);
    return json(
        202,
        mapper
            .createObjectNode()
            .put("status", "accepted")
            .put("pullRequest", number)
            .put("head", headCommit));
  }

  /** The delivery id (when sent) and the digest of the signed body. */
  private static List<String> deliveryKeys(String id, byte[] body) {
    List<String> keys = new ArrayList<>(2);
    if (id != null && !id.isBlank()) {
      keys.add("id:" + id.strip());
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      keys.add("body:" + HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
    return keys;
  }

  // ------------------------------------------------------------------ plumbing

  private Reply allow(Request r, String... methods) {
    for (String m : methods) {
      if (m.equals(r.method())) {
        return null;
      }
    }
    return error(
        405,
        "method " + loggable(r.method()) + " not allowed; use " + String.join(" or ", methods),
        Map.of("Allow", String.join(", ", methods)));
  }

  Reply error(int status, String message) {
    return error(status, message, Map.of());
  }

  private Reply error(int status, String message, Map<String, String> headers) {
    return new Reply(
        status, JSON, jsonText(mapper.createObjectNode().put("error", message)), headers);
  }

  private Reply json(int status, JsonNode body) {
    return new Reply(status, JSON, jsonText(body));
  }

  private String jsonText(JsonNode body) {
    try {
      return mapper.writeValueAsString(body) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  private static String time(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  /**
   * A client-chosen value fit for one log line: printable ASCII only (anything else becomes {@code
   * ?}), at most 100 characters; {@code -} when absent.
   */
  static String loggable(String value) {
    if (value == null) {
      return "-";
    }
    StringBuilder sb = new StringBuilder(Math.min(value.length(), 100));
    for (int i = 0; i < value.length() && i < 100; i++) {
      char c = value.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    if (value.length() > 100) {
      sb.append("...");
    }
    return sb.toString();
  }
}

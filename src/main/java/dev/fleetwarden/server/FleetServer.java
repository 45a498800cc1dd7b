package dev.fleetwarden.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.fleetwarden.model.ClusterReport;
import dev.fleetwarden.report.ReportJson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's HTTP face, on the JDK's built-in server:
 *
 * <ul>
 *   <li>{@code GET /healthz}: 200 while the process runs.
 *   <li>{@code GET /readyz}: 503 until the readiness check passes (the first render is done), then
 *       200.
 *   <li>{@code GET /metrics}: Prometheus text exposition.
 *   <li>{@code GET /api/v1/fleet}: the fleet report as {@code diff --output json} writes it, plus
 *       {@code revision} and {@code scannedAt}, and per cluster {@code scannedAt} and {@code
 *       revision}; 503 before the first scan.
 *   <li>{@code GET /api/v1/clusters/{name}}: one cluster's report with its times; 404 when unknown.
 *   <li>{@code POST /webhooks/github}: GitHub webhook; the {@code X-Hub-Signature-256} HMAC is
 *       checked before anything else (401 and nothing happens when it is missing or wrong); {@code
 *       ping} answers 200, {@code push} calls the {@link WebhookListener} and answers 202; bodies
 *       over the limit get 413.
 * </ul>
 *
 * Every error answer is JSON {@code {"error": "..."}}.
 */
public final class FleetServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FleetServer.class);
  private static final String JSON = "application/json; charset=utf-8";

  private final ServerSettings settings;
  private final StatusSource status;
  private final BooleanSupplier ready;
  private final WebhookListener webhooks;
  private final PrometheusMeterRegistry registry;
  private final ObjectMapper mapper = ReportJson.MAPPER;
  private HttpServer server;
  private ExecutorService executor;

  public FleetServer(
      ServerSettings settings,
      StatusSource status,
      BooleanSupplier ready,
      WebhookListener webhooks,
      PrometheusMeterRegistry registry) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.status = Objects.requireNonNull(status, "status");
    this.ready = Objects.requireNonNull(ready, "ready");
    this.webhooks = Objects.requireNonNull(webhooks, "webhooks");
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** Binds and starts serving; returns once the port is open. */
  public synchronized FleetServer start() throws IOException {
    if (server != null) {
      return this;
    }
    HttpServer http =
        HttpServer.create(new InetSocketAddress(settings.bindAddress(), settings.port()), 64);
    AtomicInteger threads = new AtomicInteger();
    executor =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "fleetwarden-http-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    http.setExecutor(executor);
    http.createContext("/healthz", guarded(this::healthz));
    http.createContext("/readyz", guarded(this::readyz));
    http.createContext("/metrics", guarded(this::metrics));
    http.createContext("/api/v1/fleet", guarded(this::fleet));
    http.createContext("/api/v1/clusters/", guarded(this::cluster));
    http.createContext("/webhooks/github", guarded(this::github));
    http.createContext(
        "/", guarded(ex -> error(ex, 404, "no such endpoint: " + ex.getRequestURI().getPath())));
    http.start();
    server = http;
    LOG.info("HTTP server listening on {}", uri());
    return this;
  }

  /** The port actually bound (useful with port 0). */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("server not started; call start() first");
    }
    return server.getAddress().getPort();
  }

  /** Base URI, e.g. {@code http://127.0.0.1:8080}. */
  public URI uri() {
    String host = settings.bindAddress().equals("0.0.0.0") ? "127.0.0.1" : settings.bindAddress();
    return URI.create("http://" + host + ":" + port());
  }

  /** Stops accepting, lets running exchanges finish for up to a second, then stops. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    server.stop(1);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
    server = null;
    executor = null;
    LOG.info("HTTP server stopped");
  }

  @Override
  public void close() {
    stop();
  }

  // ------------------------------------------------------------------ handlers

  private void healthz(HttpExchange ex) throws IOException {
    if (!allow(ex, "GET", "HEAD")) {
      return;
    }
    send(ex, 200, "text/plain; charset=utf-8", "ok\n");
  }

  private void readyz(HttpExchange ex) throws IOException {
    if (!allow(ex, "GET", "HEAD")) {
      return;
    }
    boolean isReady;
    try {
      isReady = ready.getAsBoolean();
    } catch (RuntimeException e) {
      LOG.warn("Readiness check failed: {}", e.toString());
      isReady = false;
    }
    if (isReady) {
      send(ex, 200, "text/plain; charset=utf-8", "ready\n");
    } else {
      send(ex, 503, "text/plain; charset=utf-8", "not ready: the first render has not finished\n");
    }
  }

  private void metrics(HttpExchange ex) throws IOException {
    if (!allow(ex, "GET")) {
      return;
    }
    send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
  }

  private void fleet(HttpExchange ex) throws IOException {
    if (!allow(ex, "GET")) {
      return;
    }
    if (!ex.getRequestURI().getPath().equals("/api/v1/fleet")) {
      error(ex, 404, "no such endpoint: " + ex.getRequestURI().getPath());
      return;
    }
    StatusSnapshot snapshot = status.current();
    if (snapshot == null || snapshot.report() == null) {
      error(ex, 503, "the first scan has not finished; retry shortly");
      return;
    }
    ObjectNode root = mapper.createObjectNode();
    root.put("revision", snapshot.revision());
    root.put("scannedAt", time(snapshot.scannedAt()));
    root.put("exitCode", snapshot.report().exitCode());
    ArrayNode clusters = root.putArray("clusters");
    for (ClusterReport c : snapshot.report().clusters()) {
      clusters.add(clusterJson(c, snapshot));
    }
    sendJson(ex, 200, root);
  }

  private void cluster(HttpExchange ex) throws IOException {
    if (!allow(ex, "GET")) {
      return;
    }
    String raw = ex.getRequestURI().getRawPath().substring("/api/v1/clusters/".length());
    String name = URLDecoder.decode(raw, StandardCharsets.UTF_8);
    if (name.isEmpty() || name.contains("/")) {
      error(ex, 404, "give one cluster name: /api/v1/clusters/{name}");
      return;
    }
    StatusSnapshot snapshot = status.current();
    if (snapshot == null || snapshot.report() == null) {
      error(ex, 503, "the first scan has not finished; retry shortly");
      return;
    }
    for (ClusterReport c : snapshot.report().clusters()) {
      if (c.name().equals(name)) {
        sendJson(ex, 200, clusterJson(c, snapshot));
        return;
      }
    }
    error(ex, 404, "unknown cluster '" + name + "'; GET /api/v1/fleet lists the clusters");
  }

  private ObjectNode clusterJson(ClusterReport report, StatusSnapshot snapshot) {
    ObjectNode node = mapper.valueToTree(report);
    StatusSnapshot.ClusterScan scan = snapshot.clusters().get(report.name());
    node.put("scannedAt", time(scan == null ? null : scan.scannedAt()));
    node.put("revision", scan == null ? null : scan.revision());
    return node;
  }

  private void github(HttpExchange ex) throws IOException {
    if (!allow(ex, "POST")) {
      return;
    }
    if (!settings.webhookEnabled()) {
      error(ex, 404, "the GitHub webhook is not enabled; configure a webhook secret");
      return;
    }
    byte[] body = readLimited(ex.getRequestBody(), settings.maxWebhookBytes());
    if (body == null) {
      error(ex, 413, "body larger than " + settings.maxWebhookBytes() + " bytes");
      return;
    }
    String delivery = ex.getRequestHeaders().getFirst("X-GitHub-Delivery");
    String signature = ex.getRequestHeaders().getFirst(WebhookSignature.HEADER);
    if (!WebhookSignature.verify(settings.webhookSecret(), body, signature)) {
      LOG.warn(
          "Rejected GitHub webhook delivery {}: {} signature",
          delivery,
          signature == null ? "missing" : "invalid");
      error(ex, 401, "missing or invalid " + WebhookSignature.HEADER);
      return;
    }
    String event = ex.getRequestHeaders().getFirst("X-GitHub-Event");
    if ("ping".equals(event)) {
      sendJson(ex, 200, mapper.createObjectNode().put("status", "pong"));
      return;
    }
    if (!"push".equals(event)) {
      sendJson(ex, 200, mapper.createObjectNode().put("status", "ignored").put("event", event));
      return;
    }
    JsonNode payload;
    try {
      payload = mapper.readTree(body);
    } catch (IOException e) {
      error(ex, 400, "push payload is not JSON");
      return;
    }
    String ref = payload.path("ref").asText(null);
    String after = payload.path("after").asText(null);
    if (ref == null || after == null) {
      error(ex, 400, "push payload lacks 'ref' or 'after'");
      return;
    }
    LOG.info("GitHub push {} {} -> {}", delivery, ref, after);
    webhooks.onPush(ref, after);
    sendJson(
        ex,
        202,
        mapper.createObjectNode().put("status", "accepted").put("ref", ref).put("after", after));
  }

  // ------------------------------------------------------------------ plumbing

  private interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private HttpHandler guarded(Handler handler) {
    return ex -> {
      try (ex) {
        handler.handle(ex);
      } catch (Exception e) {
        LOG.warn(
            "HTTP {} {} failed: {}",
            ex.getRequestMethod(),
            ex.getRequestURI().getPath(),
            e.toString());
        try {
          error(ex, 500, "internal error; see the service log");
        } catch (IOException | RuntimeException ignored) {
          // headers were already sent: nothing more to say to this client
        }
      }
    };
  }

  private boolean allow(HttpExchange ex, String... methods) throws IOException {
    for (String m : methods) {
      if (m.equals(ex.getRequestMethod())) {
        return true;
      }
    }
    ex.getResponseHeaders().set("Allow", String.join(", ", methods));
    error(
        ex,
        405,
        "method " + ex.getRequestMethod() + " not allowed; use " + String.join(" or ", methods));
    return false;
  }

  /** Reads at most {@code limit} bytes; null when the body is longer. */
  private static byte[] readLimited(InputStream in, int limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int total = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      total += n;
      if (total > limit) {
        return null;
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  private static String time(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private void error(HttpExchange ex, int status, String message) throws IOException {
    sendJson(ex, status, mapper.createObjectNode().put("error", message));
  }

  private void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
    send(ex, status, JSON, mapper.writeValueAsString(body) + "\n");
  }

  private static void send(HttpExchange ex, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = "HEAD".equals(ex.getRequestMethod());
    ex.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}

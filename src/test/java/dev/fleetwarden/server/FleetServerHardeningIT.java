package dev.fleetwarden.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetwarden.model.FleetReport;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP server under hostile clients, on a real loopback port: stalled headers and bodies,
 * requests without the API token, other local addresses, replayed webhook deliveries.
 */
@Timeout(60)
class FleetServerHardeningIT {
  static final String SECRET = "webhook-secret-for-tests";
  static final String TOKEN = "api-token-for-tests-0123456789";
  static final Duration HEADER_TIMEOUT = Duration.ofSeconds(2);
  static final Duration BODY_TIMEOUT = Duration.ofSeconds(2);
  static final ObjectMapper JSON = new ObjectMapper();

  final List<String> pushes = new CopyOnWriteArrayList<>();
  final List<Socket> sockets = new ArrayList<>();
  final List<FleetServer> servers = new ArrayList<>();
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(1))
          .build();

  @AfterEach
  void cleanUp() {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // already gone
      }
    }
    servers.forEach(FleetServer::stop);
  }

  @Test
  void fiftyStalledHeadersNeitherBlockHealthzNorStayOpen() throws Exception {
    FleetServer server = start(settings("127.0.0.1", null));
    for (int i = 0; i < 50; i++) {
      // a request line and half a header, then nothing: the classic slow-loris
      sockets.add(open(server, "GET /api/v1/fleet HTTP/1.1\r\nHost: fleetwarden\r\nX-Slow: "));
    }

    long start = System.nanoTime();
    HttpResponse<String> health = get(server, "/healthz", null);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(took).isLessThan(Duration.ofSeconds(1));
    assertThat(get(server, "/readyz", null).statusCode()).as("a worker is free too").isEqualTo(200);

    // still open right now (they were not refused outright) ...
    for (Socket s : sockets) {
      s.setSoTimeout(1);
      assertThatThrownBy(() -> s.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);
    }
    // ... and closed by the server once the header timeout has passed, without an answer
    for (Socket s : sockets) {
      assertThat(readUntilClosed(s, HEADER_TIMEOUT.plusSeconds(3))).isEmpty();
    }
  }

  @Test
  void connectionsBeyondTheCapAreClosedAtOnceAndTheServerRecovers() throws Exception {
    FleetServer server = start(settings("127.0.0.1", null));
    for (int i = 0; i < FleetServer.MAX_CONNECTIONS; i++) {
      sockets.add(open(server, "GET /healthz HTTP/1.1\r\nX-Slow: "));
    }
    // the server counts a connection once it has accepted it: give it a moment to see them all
    Thread.sleep(500);
    Socket extra = open(server, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    sockets.add(extra);
    assertThat(readUntilClosed(extra, Duration.ofSeconds(1)))
        .as("a connection over the cap is closed without an answer")
        .isEmpty();
    // the held connections run into the header timeout; then the server answers again
    for (Socket s : sockets) {
      readUntilClosed(s, HEADER_TIMEOUT.plusSeconds(5));
    }
    assertThat(get(server, "/healthz", null).statusCode()).isEqualTo(200);
  }

  @Test
  void aStalledWebhookBodyIsCutAfterTheBodyTimeoutAndBlocksNobody() throws Exception {
    FleetServer server = start(settings("127.0.0.1", null));
    String body = "{\"ref\":\"refs/heads/main\",\"after\":\"abc123\"}";
    for (int i = 0; i < 10; i++) {
      sockets.add(
          open(
              server,
              "POST /webhooks/github HTTP/1.1\r\nHost: fleetwarden\r\n"
                  + "Content-Type: application/json\r\nX-GitHub-Event: push\r\n"
                  + "X-GitHub-Delivery: stalled-"
                  + i
                  + "\r\n"
                  + WebhookSignature.HEADER
                  + ": "
                  + WebhookSignature.sign(SECRET, bytes(body))
                  + "\r\nContent-Length: "
                  + body.length()
                  + "\r\n\r\n"
                  + body.substring(0, 10)));
    }

    HttpResponse<String> ok = webhook(server, "fresh-1", "push", body, Duration.ofSeconds(1));
    assertThat(ok.statusCode()).isEqualTo(202);
    assertThat(get(server, "/healthz", null).statusCode()).isEqualTo(200);

    for (Socket s : sockets) {
      String answer = readUntilClosed(s, BODY_TIMEOUT.plusSeconds(3));
      assertThat(answer).startsWith("HTTP/1.1 408 ").contains("\"error\"");
    }
    assertThat(pushes).containsExactly("refs/heads/main@abc123");
  }

  @Test
  void theApiAndMetricsNeedTheBearerTokenWhenOneIsConfigured() throws Exception {
    FleetServer locked = start(settings("127.0.0.1", TOKEN));
    for (String path : List.of("/api/v1/fleet", "/api/v1/clusters/prod-eu-1", "/metrics")) {
      HttpResponse<String> none = get(locked, path, null);
      assertThat(none.statusCode()).as(path + " without a token").isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
      assertThat(get(locked, path, "Bearer wrong").statusCode()).as(path).isEqualTo(401);
      assertThat(get(locked, path, "Bearer " + TOKEN + "x").statusCode()).isEqualTo(401);
      assertThat(get(locked, path, "Basic " + TOKEN).statusCode()).isEqualTo(401);
      assertThat(get(locked, path, TOKEN).statusCode()).isEqualTo(401);
      assertThat(none.body()).doesNotContain(TOKEN);
    }
    assertThat(get(locked, "/api/v1/fleet", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
    assertThat(get(locked, "/api/v1/fleet", "bearer " + TOKEN).statusCode())
        .as("the scheme is case-insensitive")
        .isEqualTo(200);
    assertThat(get(locked, "/api/v1/clusters/prod-eu-1", "Bearer " + TOKEN).statusCode())
        .as("past the token: an unknown cluster")
        .isEqualTo(404);
    HttpResponse<String> metrics = get(locked, "/metrics", "Bearer " + TOKEN);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(get(locked, "/api/v2/anything", null).statusCode())
        .as("unknown paths are not probed without the token")
        .isEqualTo(401);
    // probes and the webhook (HMAC) never need the token
    assertThat(get(locked, "/healthz", null).statusCode()).isEqualTo(200);
    assertThat(get(locked, "/readyz", null).statusCode()).isEqualTo(200);
    String body = "{\"ref\":\"refs/heads/main\",\"after\":\"abc123\"}";
    assertThat(webhook(locked, "d-1", "push", body, Duration.ofSeconds(5)).statusCode())
        .isEqualTo(202);

    FleetServer open = start(settings("127.0.0.1", null));
    assertThat(get(open, "/api/v1/fleet", null).statusCode()).isEqualTo(200);
    assertThat(get(open, "/metrics", null).statusCode()).isEqualTo(200);
    assertThat(get(open, "/healthz", null).statusCode()).isEqualTo(200);
    assertThat(settings("127.0.0.1", TOKEN).toString()).doesNotContain(TOKEN);
  }

  @Test
  void aServerBoundToLoopbackIsNotReachableOnOtherLocalAddresses() throws Exception {
    FleetServer loopback = start(settings("127.0.0.1", null));
    assertThat(loopback.uri().getHost()).isEqualTo("127.0.0.1");
    assertThat(get(loopback, "/healthz", null).statusCode()).isEqualTo(200);
    List<InetAddress> others = otherLocalAddresses();
    assertThat(others).as("127.0.0.2 is always local on Linux").isNotEmpty();
    for (InetAddress other : others) {
      assertThatThrownBy(() -> connect(other, loopback.port()))
          .as("%s:%s", other.getHostAddress(), loopback.port())
          .isInstanceOf(ConnectException.class);
    }

    // the same check passes through with the wildcard address: it does detect a wider bind
    FleetServer wildcard = start(settings("0.0.0.0", null));
    for (InetAddress other : others) {
      connect(other, wildcard.port()).close();
    }
  }

  @Test
  void aReplayedSignedDeliveryTriggersTheListenerOnce() throws Exception {
    FleetServer server = start(settings("127.0.0.1", null));
    String body = "{\"ref\":\"refs/heads/main\",\"after\":\"abc123\"}";
    Duration t = Duration.ofSeconds(5);

    assertThat(webhook(server, "delivery-1", "push", body, t).statusCode()).isEqualTo(202);
    HttpResponse<String> again = webhook(server, "delivery-1", "push", body, t);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(again.body()).path("status").asText()).isEqualTo("duplicate");
    // the delivery id is not signed: the same signed body under a new id is the same delivery
    assertThat(webhook(server, "delivery-forged", "push", body, t).statusCode()).isEqualTo(200);
    assertThat(webhook(server, null, "push", body, t).statusCode()).isEqualTo(200);
    assertThat(pushes).containsExactly("refs/heads/main@abc123");

    String next = "{\"ref\":\"refs/heads/main\",\"after\":\"def456\"}";
    assertThat(webhook(server, "delivery-2", "push", next, t).statusCode()).isEqualTo(202);
    assertThat(pushes).containsExactly("refs/heads/main@abc123", "refs/heads/main@def456");
  }

  @Test
  void aDeliveryThatFailedMayBeRedelivered() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    FleetServer server =
        start(
            settings("127.0.0.1", null),
            (ref, after) -> {
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("scheduler is down");
              }
              pushes.add(ref + "@" + after);
            });
    String body = "{\"ref\":\"refs/heads/main\",\"after\":\"abc123\"}";
    Duration t = Duration.ofSeconds(5);
    assertThat(webhook(server, "delivery-1", "push", body, t).statusCode()).isEqualTo(500);
    assertThat(webhook(server, "delivery-1", "push", body, t).statusCode()).isEqualTo(202);
    assertThat(webhook(server, "delivery-1", "push", body, t).statusCode()).isEqualTo(200);
    assertThat(pushes).containsExactly("refs/heads/main@abc123");
  }

  // ------------------------------------------------------------------ helpers

  static ServerSettings settings(String bindAddress, String token) {
    return new ServerSettings(bindAddress, 0, SECRET, 4096)
        .withApiToken(token)
        .withTimeouts(HEADER_TIMEOUT, BODY_TIMEOUT);
  }

  FleetServer start(ServerSettings settings) throws IOException {
    return start(settings, (ref, after) -> pushes.add(ref + "@" + after));
  }

  FleetServer start(ServerSettings settings, WebhookListener listener) throws IOException {
    StatusSnapshot snapshot =
        new StatusSnapshot(new FleetReport(List.of()), "0123abcd", Instant.EPOCH, Map.of());
    FleetServer server = new FleetServer(settings, () -> snapshot, () -> true, listener, registry);
    servers.add(server);
    return server.start();
  }

  static Socket open(FleetServer server, String text) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", server.port()), 1000);
    s.getOutputStream().write(bytes(text));
    s.getOutputStream().flush();
    return s;
  }

  static Socket connect(InetAddress address, int port) throws IOException {
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress(address, port), 1000);
    } catch (IOException e) {
      s.close();
      throw e;
    }
    return s;
  }

  /** What the server sent until it closed the connection; fails if it is still open by then. */
  static String readUntilClosed(Socket s, Duration within) throws IOException {
    long deadline = System.nanoTime() + within.toNanos();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    byte[] buffer = new byte[4096];
    while (true) {
      long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
      if (left <= 0) {
        throw new AssertionError("the server kept the connection open for " + within);
      }
      s.setSoTimeout((int) left);
      int n;
      try {
        n = in.read(buffer);
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the server kept the connection open for " + within, e);
      } catch (SocketException e) {
        return out.toString(StandardCharsets.UTF_8); // reset: closed as well
      }
      if (n < 0) {
        return out.toString(StandardCharsets.UTF_8);
      }
      out.write(buffer, 0, n);
    }
  }

  /** Local addresses other than 127.0.0.1: 127.0.0.2 and the machine's non-loopback IPv4s. */
  static List<InetAddress> otherLocalAddresses() throws IOException {
    List<InetAddress> out = new ArrayList<>();
    out.add(InetAddress.getByName("127.0.0.2"));
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp()) {
        continue;
      }
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
          out.add(a);
        }
      }
    }
    return out;
  }

  HttpResponse<String> get(FleetServer server, String path, String authorization) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.uri().resolve(path)).timeout(Duration.ofSeconds(1)).GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> webhook(
      FleetServer server, String delivery, String event, String body, Duration timeout)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.uri().resolve("/webhooks/github"))
            .timeout(timeout)
            .header("X-GitHub-Event", event)
            .header("Content-Type", "application/json")
            .header(WebhookSignature.HEADER, WebhookSignature.sign(SECRET, bytes(body)))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (delivery != null) {
      b.header("X-GitHub-Delivery", delivery);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

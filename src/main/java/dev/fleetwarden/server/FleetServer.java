package dev.fleetwarden.server;

import dev.fleetwarden.server.FleetApi.Reply;
import dev.fleetwarden.server.FleetApi.Request;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's HTTP face:
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
 *       ping} answers 200, {@code push} and {@code pull_request} ({@code opened}, {@code
 *       synchronize}, {@code reopened}; other actions answer 200 {@code ignored}) call the {@link
 *       WebhookListener} and answer 202; a delivery already processed (same {@code
 *       X-GitHub-Delivery} id or same signed body) answers 200 {@code duplicate} and calls nothing;
 *       bodies over the limit get 413.
 * </ul>
 *
 * With an API token configured, {@code /metrics}, {@code /api/v1/*} and unknown paths answer 401
 * without {@code Authorization: Bearer <token>}. Every error answer is JSON {@code {"error":
 * "..."}}.
 *
 * <p>The port is reachable by anyone on the network, so slow or stalled clients must cost nothing:
 * connections are read by a non-blocking event loop (Vert.x), a client gets {@link
 * ServerSettings#headerTimeout()} to send its request headers (counted from the connection or the
 * previous response) and {@link ServerSettings#bodyTimeout()} to send its body (and to take the
 * answer), or it is disconnected. Only complete requests reach the small, bounded pool of request
 * threads; when that pool and its queue are full the answer is 503. {@code /healthz} is answered on
 * the event loop and never waits for the pool.
 */
public final class FleetServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FleetServer.class);
  static final int REQUEST_THREADS = 4;
  static final int REQUEST_QUEUE = 64;
  static final int MAX_CONNECTIONS = 1000;
  private static final int MAX_REQUEST_LINE = 4096;
  private static final int MAX_HEADER_BYTES = 8192;

  private final ServerSettings settings;
  private final FleetApi api;
  private final Map<HttpConnection, Connection> connections = new ConcurrentHashMap<>();
  private Vertx vertx;
  private HttpServer server;
  private ThreadPoolExecutor workers;
  private long lastRefusalLog = System.nanoTime() - TimeUnit.MINUTES.toNanos(2);

  public FleetServer(
      ServerSettings settings,
      StatusSource status,
      BooleanSupplier ready,
      WebhookListener webhooks,
      PrometheusMeterRegistry registry) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.api =
        new FleetApi(
            settings,
            Objects.requireNonNull(status, "status"),
            Objects.requireNonNull(ready, "ready"),
            Objects.requireNonNull(webhooks, "webhooks"),
            Objects.requireNonNull(registry, "registry"));
  }

  /** Binds and starts serving; returns once the port is open. */
  public synchronized FleetServer start() throws IOException {
    if (server != null) {
      return this;
    }
    vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                .setUseDaemonThread(true)
                .setFileSystemOptions(
                    new FileSystemOptions()
                        .setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
    AtomicInteger threads = new AtomicInteger();
    workers =
        new ThreadPoolExecutor(
            REQUEST_THREADS,
            REQUEST_THREADS,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(REQUEST_QUEUE),
            r -> {
              Thread t = new Thread(r, "fleetwarden-http-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(settings.bindAddress())
            .setPort(settings.port())
            .setHttp2ClearTextEnabled(false)
            .setCompressionSupported(false)
            .setDecompressionSupported(false)
            .setMaxInitialLineLength(MAX_REQUEST_LINE)
            .setMaxHeaderSize(MAX_HEADER_BYTES);
    HttpServer http =
        vertx
            .createHttpServer(options)
            .connectionHandler(this::connected)
            .requestHandler(this::request);
    try {
      http.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      shutdown(Duration.ZERO);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IOException(
          "cannot listen on "
              + settings.bindAddress()
              + " port "
              + settings.port()
              + ": "
              + cause
              + "; check the bind address and that the port is free",
          cause);
    }
    server = http;
    LOG.info("HTTP server listening on {}", uri());
    return this;
  }

  /** The port actually bound (useful with port 0). */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("server not started; call start() first");
    }
    return server.actualPort();
  }

  /** Base URI, e.g. {@code http://127.0.0.1:8080}; the wildcard addresses become loopback. */
  public URI uri() {
    String host =
        switch (settings.bindAddress()) {
          case "0.0.0.0" -> "127.0.0.1";
          case "::", "0:0:0:0:0:0:0:0" -> "[::1]";
          default ->
              settings.bindAddress().contains(":")
                  ? "[" + settings.bindAddress() + "]"
                  : settings.bindAddress();
        };
    return URI.create("http://" + host + ":" + port());
  }

  /** Stops accepting, lets running requests finish for up to a second, then stops. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    shutdown(Duration.ofSeconds(1));
    LOG.info("HTTP server stopped");
  }

  @Override
  public void close() {
    stop();
  }

  private void shutdown(Duration grace) {
    workers.shutdown();
    try {
      if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        workers.shutdownNow();
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("HTTP server did not stop cleanly: {}", e.toString());
    }
    connections.clear();
    server = null;
    workers = null;
    vertx = null;
  }

  // ------------------------------------------------------------------ connections

  /**
   * One client connection, touched only on its event loop. {@code sequence} counts its requests so
   * that a late callback of an earlier request does not re-arm the timer of a later one.
   */
  private final class Connection {
    final HttpConnection http;
    long timer = -1;
    int sequence;

    Connection(HttpConnection http) {
      this.http = http;
    }

    /** Closes the connection unless the next step happens within {@code within}. */
    void deadline(Duration within, String waitingFor) {
      deadline(within, waitingFor, http::close);
    }

    /** Runs {@code expired} unless the next step happens within {@code within}. */
    void deadline(Duration within, String waitingFor, Runnable expired) {
      cancel();
      timer =
          vertx.setTimer(
              within.toMillis(),
              id -> {
                timer = -1;
                LOG.debug(
                    "HTTP connection from {}: no {} within {}; closing it",
                    remote(),
                    waitingFor,
                    within);
                expired.run();
              });
    }

    void cancel() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }

    String remote() {
      return String.valueOf(http.remoteAddress());
    }
  }

  private void connected(HttpConnection http) {
    if (connections.size() >= MAX_CONNECTIONS) {
      long now = System.nanoTime();
      if (now - lastRefusalLog > TimeUnit.MINUTES.toNanos(1)) { // no log flood from a flood
        lastRefusalLog = now;
        LOG.warn(
            "refusing HTTP connections: {} are open already (more refusals this minute are not"
                + " logged)",
            MAX_CONNECTIONS);
      }
      http.close();
      return;
    }
    Connection c = new Connection(http);
    connections.put(http, c);
    http.closeHandler(
        v -> {
          c.cancel();
          connections.remove(http);
        });
    c.deadline(settings.headerTimeout(), "request headers");
  }

  // ------------------------------------------------------------------ requests

  private void request(HttpServerRequest req) {
    Connection c = connections.get(req.connection());
    if (c == null) { // closed meanwhile
      req.connection().close();
      return;
    }
    int sequence = ++c.sequence;
    boolean[] refused = {false}; // answered early (too large, too slow): never dispatched
    c.deadline(
        settings.bodyTimeout(),
        "request body",
        () -> {
          refused[0] = true;
          reply(
              req,
              c,
              sequence,
              api.error(408, "request body not received within " + settings.bodyTimeout()),
              true);
        });
    int limit = settings.maxWebhookBytes();
    String length = req.getHeader("Content-Length");
    if (length != null && tooLong(length, limit)) {
      refused[0] = true;
      reply(req, c, sequence, api.error(413, "body larger than " + limit + " bytes"), true);
      return;
    }
    if ("100-continue".equalsIgnoreCase(req.getHeader("Expect"))) {
      req.response().writeContinue();
    }
    Buffer body = Buffer.buffer();
    req.handler(
        chunk -> {
          if (refused[0]) {
            return;
          }
          if (body.length() + chunk.length() > limit) {
            refused[0] = true;
            reply(req, c, sequence, api.error(413, "body larger than " + limit + " bytes"), true);
            return;
          }
          body.appendBuffer(chunk);
        });
    req.exceptionHandler(
        e -> LOG.debug("HTTP request from {} failed: {}", c.remote(), e.toString()));
    req.endHandler(
        v -> {
          if (!refused[0]) {
            dispatch(req, c, sequence, body.getBytes());
          }
        });
  }

  private static boolean tooLong(String contentLength, int limit) {
    try {
      return Long.parseLong(contentLength.strip()) > limit;
    } catch (NumberFormatException e) {
      return false; // the HTTP decoder refuses a malformed length itself
    }
  }

  /** Hands the complete request to a request thread; {@code /healthz} is answered right here. */
  private void dispatch(HttpServerRequest req, Connection c, int sequence, byte[] body) {
    c.cancel(); // the request is complete: the client is waiting for us now
    Map<String, String> headers = new HashMap<>();
    req.headers().forEach(h -> headers.putIfAbsent(h.getKey(), h.getValue()));
    String path = Objects.requireNonNullElse(req.path(), "");
    Request request = new Request(req.method().name(), path, headers, body);
    if (FleetApi.isTrivial(request.rawPath())) {
      reply(req, c, sequence, handle(request), false);
      return;
    }
    Context context = vertx.getOrCreateContext();
    try {
      workers.execute(
          () -> {
            Reply reply = handle(request);
            context.runOnContext(v -> reply(req, c, sequence, reply, false));
          });
    } catch (RejectedExecutionException e) {
      reply(
          req,
          c,
          sequence,
          new Reply(
              503,
              FleetApi.JSON,
              "{\"error\":\"server busy; retry shortly\"}\n",
              Map.of("Retry-After", "1")),
          false);
    }
  }

  private Reply handle(Request request) {
    try {
      return api.handle(request);
    } catch (RuntimeException | Error e) {
      LOG.warn(
          "HTTP {} {} failed: {}",
          FleetApi.loggable(request.method()),
          FleetApi.loggable(request.rawPath()),
          e.toString());
      return api.error(500, "internal error; see the service log");
    }
  }

  /** Sends the reply (on the event loop); the client gets the body timeout to take it. */
  private void reply(
      HttpServerRequest req, Connection c, int sequence, Reply reply, boolean close) {
    HttpServerResponse res = req.response();
    if (res.ended() || res.closed()) {
      return;
    }
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    res.setStatusCode(reply.status());
    res.putHeader("Content-Type", reply.contentType());
    res.putHeader("Cache-Control", "no-store");
    res.putHeader("X-Content-Type-Options", "nosniff");
    reply.headers().forEach(res::putHeader);
    if (close) {
      res.putHeader("Connection", "close");
    }
    if (c.sequence == sequence) {
      c.deadline(settings.bodyTimeout(), "reader for the answer");
    }
    res.end(Buffer.buffer(bytes))
        .onComplete(
            done -> {
              if (close || done.failed()) {
                c.http.close();
              } else if (c.sequence == sequence) {
                c.deadline(settings.headerTimeout(), "request headers");
              }
            });
  }
}

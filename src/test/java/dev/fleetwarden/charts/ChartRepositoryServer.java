package dev.fleetwarden.charts;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real Helm chart repository on 127.0.0.1 (the JDK's HTTP server): serves {@code index.yaml} and
 * archives under {@code /<base>/}, counts and records every request, and has switches for the cases
 * the tests need: charts published or re-tagged, a wrong digest in the index, basic auth,
 * redirects, a slow answer. Stops with {@link #close}.
 */
public final class ChartRepositoryServer implements AutoCloseable {
  private final HttpServer server;
  private final String base;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, String> redirects = new ConcurrentHashMap<>();
  private final List<TarGz.IndexEntry> index = Collections.synchronizedList(new ArrayList<>());
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
  private volatile String basicAuth;
  private volatile int failWith;
  private volatile long delayMillis;

  private ChartRepositoryServer(String base) throws IOException {
    this.base = base.startsWith("/") ? base : "/" + base;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A repository served at {@code http://127.0.0.1:<port>/<base>}. */
  public static ChartRepositoryServer start(String base) {
    try {
      return new ChartRepositoryServer(base);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The repository's URL (no trailing slash). */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + base;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Publishes a chart version: its archive and an index entry with its digest. */
  public String publish(String chart, String version, Map<String, String> files) {
    return publish(chart, version, TarGz.chart(chart, files));
  }

  /** Publishes an archive under its name; the index lists its true digest. Returns the digest. */
  public String publish(String chart, String version, byte[] archive) {
    return publish(chart, version, archive, TarGz.sha256(archive));
  }

  /** Publishes an archive with the digest the index claims for it (a lie, if the test wants). */
  public String publish(String chart, String version, byte[] archive, String indexDigest) {
    String name = chart + "-" + version + ".tgz";
    files.put(base + "/" + name, archive);
    index.removeIf(e -> e.name().equals(chart) && e.version().equals(version));
    index.add(new TarGz.IndexEntry(chart, version, indexDigest, name));
    writeIndex();
    return TarGz.sha256(archive);
  }

  /** Serves a file at a path under the repository. */
  public void put(String path, byte[] content) {
    files.put(base + "/" + path, content);
  }

  /** Answers a path (under the repository) with a 302 to {@code location}. */
  public void redirect(String path, String location) {
    redirects.put(base + "/" + path, location);
  }

  /** Requires this user and password (basic auth) on every request. */
  public void requireBasicAuth(String user, String password) {
    basicAuth =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Answers every request with this status (0: serve normally): the repository is down. */
  public void failWith(int status) {
    failWith = status;
  }

  /** Waits this long before answering: a repository that stalls. */
  public void delay(long millis) {
    delayMillis = millis;
  }

  /** The request lines ({@code GET /path}) received so far. */
  public List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** The Authorization headers received (null for requests without one). */
  public List<String> authorizations() {
    synchronized (authorizations) {
      return new ArrayList<>(authorizations);
    }
  }

  private void writeIndex() {
    synchronized (index) {
      files.put(base + "/index.yaml", TarGz.index(index).getBytes(StandardCharsets.UTF_8));
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      requests.add(ex.getRequestMethod() + " " + path);
      authorizations.add(ex.getRequestHeaders().getFirst("Authorization"));
      if (delayMillis > 0) {
        try {
          Thread.sleep(delayMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (failWith > 0) {
        ex.sendResponseHeaders(failWith, -1);
        return;
      }
      String required = basicAuth;
      if (required != null && !required.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"charts\"");
        ex.sendResponseHeaders(401, -1);
        return;
      }
      String location = redirects.get(path);
      if (location != null) {
        ex.getResponseHeaders().add("Location", location);
        ex.sendResponseHeaders(302, -1);
        return;
      }
      byte[] body = files.get(path);
      if (body == null) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

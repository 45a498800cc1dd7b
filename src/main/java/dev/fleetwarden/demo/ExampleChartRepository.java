package dev.fleetwarden.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The example fleet's Helm chart repository, {@value #URL}: a static repository ({@code index.yaml}
 * and the {@code .tgz} archives, packaged in this jar) served over HTTP on 127.0.0.1, on a free
 * port. The embedded defaults fetch the example's remote charts from here instead of the Internet,
 * so nothing leaves the machine; everything else about fetching (allow-list, digest, lock, cache)
 * is the same as for a real repository.
 */
public final class ExampleChartRepository implements AutoCloseable {
  /** The repository URL the example fleet names. */
  public static final String URL = "https://charts.example.org/platform";

  private static final String RESOURCES = "/dev/fleetwarden/demo/chart-repository/";

  /** The files of the repository. */
  public static final List<String> FILES =
      List.of(
          "index.yaml",
          "event-exporter-1.0.0.tgz",
          "event-exporter-1.1.0.tgz",
          "platform-common-1.0.0.tgz");

  private final HttpServer server;
  private final Map<String, byte[]> files;
  private final AtomicLong requests = new AtomicLong();

  private ExampleChartRepository(Map<String, byte[]> files) throws IOException {
    this.files = files;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "fleetwarden-example-charts");
              t.setDaemon(true);
              return t;
            }));
    server.createContext("/platform/", this::handle);
    server.start();
  }

  /** Starts serving on a free port of 127.0.0.1. */
  public static ExampleChartRepository start() {
    Map<String, byte[]> files = new TreeMap<>();
    for (String f : FILES) {
      try (InputStream in = ExampleChartRepository.class.getResourceAsStream(RESOURCES + f)) {
        if (in == null) {
          throw new IllegalStateException(
              "the example chart repository is missing " + f + " from this build");
        }
        files.put("/platform/" + f, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    try {
      return new ExampleChartRepository(files);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve the example chart repository", e);
    }
  }

  /** Where {@value #URL} is served: {@code http://127.0.0.1:<port>/platform}. */
  public String servedAt() {
    return "http://"
        + server.getAddress().getAddress().getHostAddress()
        + ":"
        + server.getAddress().getPort()
        + "/platform";
  }

  /** Requests answered so far. */
  public long requests() {
    return requests.get();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      requests.incrementAndGet();
      byte[] body =
          "GET".equals(ex.getRequestMethod()) ? files.get(ex.getRequestURI().getPath()) : null;
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
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  @Override
  public String toString() {
    return "example chart repository " + URL + " at " + servedAt();
  }
}

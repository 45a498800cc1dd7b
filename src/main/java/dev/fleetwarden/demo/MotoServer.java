package dev.fleetwarden.demo;

import dev.fleetwarden.terraform.Processes;
import dev.fleetwarden.terraform.TerraformBinary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local AWS emulator ({@code moto_server} from {@code PATH}) on 127.0.0.1 and a free port, for
 * tests and the demo. AWS managed IAM policies are loaded, so stacks can attach them.
 */
public final class MotoServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MotoServer.class);
  private static final Duration STARTUP = Duration.ofSeconds(60);

  private final Process process;
  private final int port;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private MotoServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** The {@code moto_server} executable on {@code PATH}, if any. */
  public static Optional<Path> findOnPath() {
    return TerraformBinary.find("moto_server", System.getenv());
  }

  /** Starts {@code moto_server} from {@code PATH} and waits until it answers. */
  public static MotoServer start() throws IOException {
    Path exe =
        findOnPath()
            .orElseThrow(
                () ->
                    new IOException(
                        "moto_server not found on PATH: install it (pip install 'moto[server]')"));
    return start(exe);
  }

  /** Starts the given {@code moto_server} executable and waits until it answers. */
  public static MotoServer start(Path executable) throws IOException {
    int port = freePort();
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(executable.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port)))
            .redirectErrorStream(true);
    pb.environment().put("MOTO_IAM_LOAD_MANAGED_POLICIES", "true");
    Process process = pb.start();
    Deque<String> tail = new ArrayDeque<>();
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  LOG.debug("moto: {}", line);
                  synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > 20) {
                      tail.removeFirst();
                    }
                  }
                }
              } catch (IOException e) {
                // The emulator stopped.
              }
            },
            "moto-output-" + port);
    pump.setDaemon(true);
    pump.start();
    MotoServer server = new MotoServer(process, port);
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        String last;
        synchronized (tail) {
          last = String.join("\n", tail);
        }
        throw new IOException("moto_server exited with " + process.exitValue() + ":\n" + last);
      }
      if (server.answers()) {
        LOG.info("moto_server answering at {}", server.endpoint());
        return server;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        server.close();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for moto_server", e);
      }
    }
    server.close();
    throw new IOException("moto_server did not answer within " + STARTUP.toSeconds() + " s");
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Forgets every resource (faster than destroying stacks). */
  public void reset() throws IOException {
    send(
        HttpRequest.newBuilder(URI.create(endpoint() + "/moto-api/reset"))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build());
  }

  private boolean answers() {
    try {
      send(
          HttpRequest.newBuilder(URI.create(endpoint() + "/moto-api/data.json"))
              .timeout(Duration.ofSeconds(2))
              .GET()
              .build());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void send(HttpRequest request) throws IOException {
    try {
      http.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    Processes.stop(process);
  }
}

package dev.fleetwarden.render;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A loopback Kubernetes API server that holds nothing, for the Helm process only. helm-java 0.0.21
 * renders templates with Helm's "dry-run none" mode, in which {@code lookup} always asks the API
 * server of the process kubeconfig (it cannot be told to render client-only). Pointed at this
 * server, every {@code lookup} returns the empty map {@code helm template} returns: discovery of a
 * group version answers an empty resource list, everything else is 404 Not Found.
 */
final class NullApiServer implements AutoCloseable {
  /** {@code /api/v1} or {@code /apis/<group>/<version>}: the discovery documents. */
  private static final Pattern GROUP_VERSION = Pattern.compile("/api/[^/]+|/apis/[^/]+/[^/]+");

  private final HttpServer server;

  private NullApiServer(HttpServer server) {
    this.server = server;
  }

  /** Starts the server on a free loopback port. */
  static NullApiServer start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", NullApiServer::answer);
    server.start();
    return new NullApiServer(server);
  }

  /** Writes a kubeconfig (no credentials) whose only cluster is this server. */
  void writeKubeconfig(Path file) throws IOException {
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters:
          - name: none
            cluster: {server: "http://%s:%d"}
        users:
          - name: none
            user: {}
        contexts:
          - name: none
            context: {cluster: none, user: none}
        current-context: none
        """
            .formatted(
                server.getAddress().getAddress().getHostAddress(), server.getAddress().getPort()));
  }

  private static void answer(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String accept = String.valueOf(ex.getRequestHeaders().getFirst("Accept"));
    int status;
    String body;
    // Discovery asks with "application/json, */*"; a lookup that lists a kind the empty discovery
    // could not resolve asks the same path with "application/json" and must get "not found".
    if (ex.getRequestMethod().equals("GET")
        && GROUP_VERSION.matcher(path).matches()
        && accept.contains("*/*")) {
      status = 200;
      String groupVersion = path.startsWith("/apis/") ? path.substring(6) : path.substring(5);
      body =
          "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\""
              + groupVersion.replace("\"", "")
              + "\",\"resources\":[]}";
    } else {
      status = 404;
      body =
          "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
              + "\"reason\":\"NotFound\",\"code\":404}";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

package dev.fleetwarden.charts;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OCI registry on 127.0.0.1 over plain HTTP, just enough of the distribution API for Helm to
 * push a chart to it and pull one from it (blob uploads, blobs, manifests by tag and digest), with
 * an optional token challenge ({@code WWW-Authenticate: Bearer}) whose token service asks for a
 * user and password. Records every request.
 */
public final class TinyOciRegistry implements AutoCloseable {
  private static final Pattern PATH =
      Pattern.compile("^/v2/(.+)/(blobs/uploads/?.*|blobs/[^/]+|manifests/[^/]+)$");
  private final HttpServer server;
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final Map<String, ByteArrayOutputStream> uploads = new ConcurrentHashMap<>();
  private final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
  private final Map<String, String> manifestTypes = new ConcurrentHashMap<>();
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final String token = UUID.randomUUID().toString();
  private volatile String tokenUser;
  private volatile String tokenPassword;

  public TinyOciRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code oci://127.0.0.1:<port>/<path>}. */
  public String oci(String path) {
    return "oci://127.0.0.1:" + port() + "/" + path;
  }

  /** From now on, pulls need a token from {@code /token}, which needs this user and password. */
  public void requireToken(String user, String password) {
    tokenUser = user;
    tokenPassword = password;
  }

  /** Request lines with their Authorization scheme ({@code GET /v2/... [Bearer]}). */
  public List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      URI uri = ex.getRequestURI();
      String path = uri.getPath();
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      requests.add(method + " " + path + " [" + (auth == null ? "none" : auth.split(" ")[0]) + "]");
      byte[] in = ex.getRequestBody().readAllBytes();
      boolean head = method.equals("HEAD");
      if (path.equals("/token")) {
        String expected =
            "Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        (tokenUser + ":" + tokenPassword).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(auth)) {
          send(ex, 401, null, false);
          return;
        }
        send(ex, 200, ("{\"token\":\"" + token + "\"}").getBytes(StandardCharsets.UTF_8), false);
        return;
      }
      if (tokenUser != null && !("Bearer " + token).equals(auth)) {
        ex.getResponseHeaders()
            .add(
                "WWW-Authenticate",
                "Bearer realm=\"http://127.0.0.1:"
                    + port()
                    + "/token\",service=\"tiny\",scope=\"repository:charts:pull\"");
        send(ex, 401, null, head);
        return;
      }
      if (path.equals("/v2/") || path.equals("/v2")) {
        ex.getResponseHeaders().add("Docker-Distribution-API-Version", "registry/2.0");
        send(ex, 200, "{}".getBytes(StandardCharsets.UTF_8), head);
        return;
      }
      Matcher m = PATH.matcher(path);
      if (!m.matches()) {
        send(ex, 404, null, head);
        return;
      }
      String name = m.group(1);
      String rest = m.group(2);
      Map<String, String> query = query(uri.getRawQuery());
      if (rest.startsWith("blobs/uploads")) {
        upload(ex, method, name, rest, query, in);
      } else if (rest.startsWith("blobs/")) {
        byte[] b = blobs.get(rest.substring("blobs/".length()));
        if (b == null) {
          send(ex, 404, null, head);
          return;
        }
        ex.getResponseHeaders().add("Docker-Content-Digest", rest.substring("blobs/".length()));
        send(ex, 200, b, head);
      } else {
        String ref = rest.substring("manifests/".length());
        if (method.equals("PUT")) {
          String digest = TarGz.sha256(in);
          String type = ex.getRequestHeaders().getFirst("Content-Type");
          for (String key : List.of(name + "@" + digest, name + "@" + ref)) {
            manifests.put(key, in);
            manifestTypes.put(key, type);
          }
          ex.getResponseHeaders().add("Location", "/v2/" + name + "/manifests/" + digest);
          ex.getResponseHeaders().add("Docker-Content-Digest", digest);
          send(ex, 201, null, false);
          return;
        }
        byte[] b = manifests.get(name + "@" + ref);
        if (b == null) {
          send(ex, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}".getBytes(), head);
          return;
        }
        ex.getResponseHeaders().add("Docker-Content-Digest", TarGz.sha256(b));
        ex.getResponseHeaders().add("Content-Type", manifestTypes.get(name + "@" + ref));
        send(ex, 200, b, head);
      }
    }
  }

  private void upload(
      HttpExchange ex,
      String method,
      String name,
      String rest,
      Map<String, String> query,
      byte[] in)
      throws IOException {
    String prefix = "blobs/uploads/";
    String id = rest.length() > prefix.length() ? rest.substring(prefix.length()) : "";
    if (method.equals("POST")) {
      if (query.containsKey("digest")) {
        blobs.put(query.get("digest"), in);
        ex.getResponseHeaders().add("Location", "/v2/" + name + "/blobs/" + query.get("digest"));
        send(ex, 201, null, false);
        return;
      }
      id = UUID.randomUUID().toString();
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      buffer.writeBytes(in);
      uploads.put(id, buffer);
      ex.getResponseHeaders().add("Location", "/v2/" + name + "/blobs/uploads/" + id);
      ex.getResponseHeaders().add("Range", "0-0");
      send(ex, 202, null, false);
      return;
    }
    ByteArrayOutputStream buffer = uploads.get(id);
    if (buffer == null) {
      send(ex, 404, null, false);
      return;
    }
    buffer.writeBytes(in);
    if (method.equals("PATCH")) {
      ex.getResponseHeaders().add("Location", "/v2/" + name + "/blobs/uploads/" + id);
      ex.getResponseHeaders().add("Range", "0-" + (buffer.size() - 1));
      send(ex, 202, null, false);
      return;
    }
    byte[] blob = buffer.toByteArray();
    String digest = query.get("digest");
    if (!TarGz.sha256(blob).equals(digest)) {
      send(ex, 400, null, false);
      return;
    }
    blobs.put(digest, blob);
    uploads.remove(id);
    ex.getResponseHeaders().add("Location", "/v2/" + name + "/blobs/" + digest);
    ex.getResponseHeaders().add("Docker-Content-Digest", digest);
    send(ex, 201, null, false);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw != null) {
      for (String kv : raw.split("&")) {
        String[] p = kv.split("=", 2);
        q.put(p[0], p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
      }
    }
    return q;
  }

  private static void send(HttpExchange ex, int status, byte[] body, boolean head)
      throws IOException {
    if (body == null) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    if (head) {
      ex.getResponseHeaders().add("Content-Length", String.valueOf(body.length));
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

package dev.fleetwarden.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CRUD mock's dispatcher, made to behave like a real API server in the way the drift checks
 * rely on: a custom resource is served only once its CRD exists (otherwise 404, as with a CRD
 * absent). Tests extend it with fault switches.
 */
class EmbeddedApiDispatcher extends KubernetesMixedDispatcher {
  private static final String CRD_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  private static final Set<String> BUILT_IN_GROUPS =
      Set.of(
          "apps",
          "batch",
          "autoscaling",
          "policy",
          "extensions",
          "networking.k8s.io",
          "rbac.authorization.k8s.io",
          "storage.k8s.io",
          "scheduling.k8s.io",
          "node.k8s.io",
          "admissionregistration.k8s.io",
          "apiextensions.k8s.io",
          "apiregistration.k8s.io",
          "coordination.k8s.io",
          "discovery.k8s.io",
          "events.k8s.io",
          "certificates.k8s.io",
          "flowcontrol.apiserver.k8s.io",
          "authentication.k8s.io",
          "authorization.k8s.io",
          "resource.k8s.io",
          "storagemigration.k8s.io",
          "internal.apiserver.k8s.io");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Set<String> servedCustomResources = ConcurrentHashMap.newKeySet();

  EmbeddedApiDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses) {
    super(responses);
  }

  boolean serves(String group, String plural) {
    return group.isEmpty()
        || BUILT_IN_GROUPS.contains(group)
        || servedCustomResources.contains(plural + "." + group);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath();
    int q = path.indexOf('?');
    if (q >= 0) {
      path = path.substring(0, q);
    }
    if (path.startsWith(CRD_PATH)) {
      // Read the body first: dispatching consumes it.
      String body =
          request.getBody() == null
              ? ""
              : new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8);
      MockResponse response = super.dispatch(request);
      trackCrd(request.getMethod(), path, body, response.code());
      return response;
    }
    if (path.startsWith("/apis/")) {
      String[] seg = path.substring("/apis/".length()).split("/");
      String plural = null;
      if (seg.length >= 5 && seg[2].equals("namespaces")) {
        plural = seg[4];
      } else if (seg.length >= 3 && !seg[2].equals("namespaces")) {
        plural = seg[2];
      }
      if (plural != null && !serves(seg[0], plural)) {
        return status(404, "the server could not find the requested resource");
      }
    }
    return super.dispatch(request);
  }

  private void trackCrd(String method, String path, String body, int code) {
    if (code < 200 || code >= 300) {
      return;
    }
    if ("DELETE".equals(method)) {
      servedCustomResources.remove(path.substring(path.lastIndexOf('/') + 1));
      return;
    }
    if ("POST".equals(method) || "PUT".equals(method)) {
      try {
        JsonNode crd = JSON.readTree(body);
        String group = crd.path("spec").path("group").asText();
        String plural = crd.path("spec").path("names").path("plural").asText();
        if (!group.isEmpty() && !plural.isEmpty()) {
          servedCustomResources.add(plural + "." + group);
        }
      } catch (java.io.IOException e) {
        // Not a CRD body the mock accepted; nothing to track.
      }
    }
  }

  /** A Kubernetes {@code Status} error response. */
  static MockResponse status(int code, String message) {
    String reason =
        switch (code) {
          case 401 -> "Unauthorized";
          case 403 -> "Forbidden";
          case 404 -> "NotFound";
          case 429 -> "TooManyRequests";
          default -> "InternalError";
        };
    String body =
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
            + "\"message\":\""
            + message
            + "\",\"reason\":\""
            + reason
            + "\",\"code\":"
            + code
            + "}";
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(body);
  }
}

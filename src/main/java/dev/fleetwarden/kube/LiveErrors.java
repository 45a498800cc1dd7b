package dev.fleetwarden.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

/** Turns client failures into short, secret-free reasons. */
final class LiveErrors {
  private LiveErrors() {}

  /** True when the failure is the API server's answer with this HTTP code. */
  static boolean isCode(Throwable e, int code) {
    return e instanceof KubernetesClientException k && k.getCode() == code;
  }

  /**
   * A one-line reason: the HTTP status for API answers, the network cause (connection refused,
   * timeout, unknown host) otherwise. Never the request body, headers or kubeconfig contents.
   */
  static String describe(Throwable e) {
    if (e instanceof KubernetesClientException k && k.getCode() > 0) {
      String reason =
          k.getStatus() != null && k.getStatus().getReason() != null
              ? " " + k.getStatus().getReason()
              : "";
      return "HTTP " + k.getCode() + reason;
    }
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      root = t;
      if (t instanceof TimeoutException
          || t instanceof java.net.SocketTimeoutException
          || t instanceof ConnectException
          || t instanceof UnknownHostException) {
        break;
      }
    }
    if (root instanceof TimeoutException || root instanceof java.net.SocketTimeoutException) {
      return "timed out (" + safeMessage(root) + ")";
    }
    if (root instanceof ConnectException) {
      return "connection refused (" + safeMessage(root) + ")";
    }
    if (root instanceof UnknownHostException) {
      return "unknown host " + safeMessage(root);
    }
    if (root instanceof IOException) {
      return "I/O error: " + root.getClass().getSimpleName() + " " + safeMessage(root);
    }
    return root.getClass().getSimpleName() + " " + safeMessage(root);
  }

  private static String safeMessage(Throwable t) {
    String m = t.getMessage();
    if (m == null) {
      return "";
    }
    m = m.replaceAll("[\r\n]+", " ");
    // Network messages are short (host and port); anything long is cut rather than echoed.
    return m.length() > 160 ? m.substring(0, 160) + "..." : m;
  }
}

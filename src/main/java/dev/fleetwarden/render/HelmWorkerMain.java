package dev.fleetwarden.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The Helm process started by {@link HelmWorker}: renders charts with helm-java, one request at a
 * time, and never sees the environment of fleetwarden (no KUBECONFIG, no in-cluster variables, no
 * credentials): its parent starts it with an empty environment whose {@code KUBECONFIG} names the
 * file this process writes for its own {@link NullApiServer}.
 *
 * <p>Protocol: one JSON request per line on stdin ({@code id, chart, values, release, namespace,
 * kubeVersion}); one response per line on stdout, after {@link #RESPONSE_MARK} ({@code id} and
 * {@code output} or {@code error}). Anything else on stdout is ignored by the parent. The process
 * exits when stdin closes.
 *
 * <p>Argument: the kubeconfig file to write.
 */
public final class HelmWorkerMain {
  /** Marks a response line; native code may print to stdout too. */
  static final String RESPONSE_MARK = "@fleetwarden-helm-response ";

  private static final ObjectMapper JSON = new ObjectMapper();

  private HelmWorkerMain() {}

  public static void main(String[] args) throws Exception {
    PrintStream protocol =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    NullApiServer api = NullApiServer.start();
    api.writeKubeconfig(Path.of(args[0]));
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode request = JSON.readTree(line);
      ObjectNode response = JSON.createObjectNode();
      response.put("id", request.path("id").asLong());
      try {
        response.put(
            "output",
            new Helm(Path.of(text(request, "chart")))
                .template()
                .withName(text(request, "release"))
                .withNamespace(text(request, "namespace"))
                .withKubeVersion(text(request, "kubeVersion"))
                .withValuesFile(Path.of(text(request, "values")))
                .call());
      } catch (RuntimeException e) {
        response.put("error", e.getMessage() == null ? e.toString() : e.getMessage().trim());
      }
      protocol.println(RESPONSE_MARK + JSON.writeValueAsString(response));
    }
    api.close();
    System.exit(0);
  }

  private static String text(JsonNode request, String key) {
    return request.hasNonNull(key) ? request.get(key).asText() : null;
  }
}

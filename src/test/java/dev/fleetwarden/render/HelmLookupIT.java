package dev.fleetwarden.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.fleetwarden.fleet.LocatedYaml;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chart's {@code lookup} must never reach a cluster: rendering is {@code helm template}, where
 * {@code lookup} returns an empty map. The attack is reproduced as it happens in production: the
 * process that renders has {@code KUBECONFIG} pointing at an API server holding a Secret (here a
 * local server that answers like one and counts every request), and a committed chart template
 * looks the Secret up and renders its token. Helm's native code reads the real process environment,
 * so the render runs in a forked JVM ({@link RenderProbeMain}) started with that environment,
 * through the production {@link FleetRenderer}.
 */
class HelmLookupIT {
  private static final String TOKEN = "fw-test-sa-token-7c1e9b";
  private static final String TOKEN_B64 =
      Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8));

  @TempDir Path tmp;

  private HttpServer apiServer;
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void startApiServer() throws IOException {
    apiServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    apiServer.createContext("/", this::answerLikeAnApiServer);
    apiServer.start();
  }

  @AfterEach
  void stopApiServer() {
    apiServer.stop(0);
  }

  @Test
  void lookupReturnsAnEmptyMapAndNoRequestReachesTheKubeconfigsServer() throws Exception {
    Path fleet = writeFleet(tmp.resolve("fleet"));
    Path kubeconfig = writeKubeconfig(tmp.resolve("kubeconfig"));

    Probe probe = render(fleet, kubeconfig);

    assertThat(probe.exitCode).as("probe output:\n%s\n%s", probe.stdout, probe.stderr).isZero();
    assertThat(probe.stdout).doesNotContain("RENDER-ERROR");
    assertThat(requests).as("requests that reached the kubeconfig's API server").isEmpty();
    assertThat(probe.stdout + probe.stderr).doesNotContain(TOKEN).doesNotContain(TOKEN_B64);
    JsonNode data = configMapData(probe.stdout);
    assertThat(data.path("token").asText()).isEqualTo("absent");
    assertThat(data.path("found").asText()).isEqualTo("no");
    assertThat(data.path("listed").asText()).isEqualTo("no");
    assertThat(data.path("others").asText()).isEqualTo("none");
  }

  private record Probe(int exitCode, String stdout, String stderr) {}

  private Probe render(Path fleet, Path kubeconfig) throws Exception {
    Path out = tmp.resolve("probe.out");
    Path err = tmp.resolve("probe.err");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                RenderProbeMain.class.getName(),
                fleet.toString())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the render probe did not finish within 5 minutes");
    }
    return new Probe(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static JsonNode configMapData(String yaml) throws Exception {
    for (LocatedYaml.Document d : LocatedYaml.parseAll("probe", yaml)) {
      if (d.root().path("metadata").path("name").asText().equals("lookup-result")) {
        return d.root().path("data");
      }
    }
    throw new AssertionError("ConfigMap lookup-result not rendered:\n" + yaml);
  }

  private void answerLikeAnApiServer(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    requests.add(ex.getRequestMethod() + " " + path);
    String secret =
        """
        {"apiVersion":"v1","kind":"Secret","type":"Opaque",
         "metadata":{"name":"fleetwarden-token","namespace":"kube-system"},
         "data":{"token":"%s"}}"""
            .formatted(TOKEN_B64);
    String body;
    int status = 200;
    switch (path) {
      case "/api/v1" ->
          body =
              """
              {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"v1","resources":[
                {"name":"secrets","singularName":"secret","namespaced":true,"kind":"Secret",
                 "verbs":["get","list"]}]}""";
      case "/api/v1/namespaces/kube-system/secrets/fleetwarden-token" -> body = secret;
      case "/api/v1/namespaces/kube-system/secrets" ->
          body =
              """
              {"apiVersion":"v1","kind":"SecretList","metadata":{},"items":[%s]}"""
                  .formatted(secret);
      default -> {
        status = 404;
        body =
            """
            {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}""";
      }
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  private Path writeKubeconfig(Path file) throws IOException {
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters:
          - name: victim
            cluster: {server: "http://127.0.0.1:%d"}
        users:
          - name: victim
            user: {token: kubeconfig-bearer-token}
        contexts:
          - name: victim
            context: {cluster: victim, user: victim}
        current-context: victim
        """
            .formatted(apiServer.getAddress().getPort()));
    return file;
  }

  static Path writeFleet(Path root) {
    RenderFixtures.write(
        root.resolve("fleet.yaml"),
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Fleet
        metadata:
          name: lookup-fleet
        spec:
          defaults:
            kubeVersion: "1.30.0"
        """);
    RenderFixtures.write(
        root.resolve("environments/prod.yaml"),
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Environment
        metadata:
          name: prod
        spec: {}
        """);
    RenderFixtures.write(
        root.resolve("clusters/mgmt/cluster.yaml"),
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Cluster
        metadata:
          name: mgmt
        spec:
          role: management
          environment: prod
        """);
    RenderFixtures.write(
        root.resolve("addons/leaky/addon.yaml"),
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Addon
        metadata:
          name: leaky
        spec:
          namespace: leaky
          source:
            helm: {chart: chart}
          clusterSelector: {}
        """);
    RenderFixtures.write(
        root.resolve("addons/leaky/chart/Chart.yaml"),
        """
        apiVersion: v2
        name: leaky
        version: 0.1.0
        """);
    RenderFixtures.write(
        root.resolve("addons/leaky/chart/templates/configmap.yaml"),
        """
        {{- $secret := lookup "v1" "Secret" "kube-system" "fleetwarden-token" }}
        {{- $all := lookup "v1" "Secret" "kube-system" "" }}
        {{- $deployment := lookup "apps/v1" "Deployment" "kube-system" "coredns" }}
        {{- $certificates := lookup "cert-manager.io/v1" "Certificate" "" "" }}
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: lookup-result
        data:
          token: {{ dig "data" "token" "absent" $secret | quote }}
          found: {{ empty $secret | ternary "no" "yes" | quote }}
          listed: {{ empty $all | ternary "no" "yes" | quote }}
          others: {{ and (empty $deployment) (empty $certificates) | ternary "none" "some" | quote }}
        """);
    return root;
  }
}

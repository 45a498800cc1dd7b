package dev.fleetwarden.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.app.Main;
import dev.fleetwarden.deploy.DeployFiles.ValueSet;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's configuration run by the real service ({@code run}), on the example fleet with its
 * embedded clusters: the probe paths answer, the webhook secret read from its file verifies
 * signatures, and /metrics exposes every metric the PrometheusRule and the dashboard use.
 *
 * <p>Only the machine-specific keys of the rendered config.yaml are replaced (paths, the fleet
 * repo, embedded clusters, Terraform off, Slack/GitHub pointed at a closed local port); every other
 * key, and the chart's schedule files, are used as rendered.
 */
class RunningInstanceIT {
  static final String WEBHOOK_SECRET = "it-webhook-secret";
  static final Duration STARTUP = Duration.ofSeconds(180);
  static final Duration METRICS = Duration.ofSeconds(240);
  static Thread service;

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @AfterAll
  static void stopService() {
    if (service != null) {
      service.interrupt();
    }
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void theChartsConfigurationRunsAndServesProbesWebhookApiAndEveryMonitoredMetric(@TempDir Path tmp)
      throws Exception {
    int port = freePort();
    Path config = writeConfig(tmp, port);
    dev.fleetwarden.app.Config.fromFile(config, java.util.Map.of()); // only known keys
    if (!Main.commandLine().getSubcommands().containsKey("run")) {
      fail(
          "fleetwarden has no 'run' command yet: this test starts the service with"
              + " Main.execute(\"run\", \"--config\", FILE, \"--http-port\", PORT). Wire the run"
              + " command into Main, then run this test again.");
    }

    AtomicInteger exit = new AtomicInteger(Integer.MIN_VALUE);
    service =
        new Thread(
            () ->
                exit.set(
                    Main.execute(
                        "run", "--config", config.toString(), "--http-port", String.valueOf(port))),
            "fleetwarden-run-it");
    service.setDaemon(true);
    service.start();
    String base = "http://127.0.0.1:" + port;

    awaitStatus(base + "/healthz", 200, STARTUP, exit);
    awaitStatus(base + "/readyz", 200, STARTUP, exit);

    // status API
    HttpResponse<String> fleet = get(base + "/api/v1/fleet");
    assertThat(fleet.statusCode()).isEqualTo(200);
    assertThat(DeployFiles.JSON.readTree(fleet.body()).isContainerNode()).isTrue();
    String cluster = firstExampleCluster();
    assertThat(get(base + "/api/v1/clusters/" + cluster).statusCode()).isEqualTo(200);

    // the webhook checks X-Hub-Signature-256 with the secret read from webhook.secretFile
    String body =
        "{\"ref\":\"refs/heads/main\",\"after\":\"0000000000000000000000000000000000000000\"}";
    assertThat(postWebhook(base, body, sign(WEBHOOK_SECRET, body)).statusCode() / 100)
        .as("signed push accepted")
        .isEqualTo(2);
    assertThat(postWebhook(base, body, sign("wrong-secret", body)).statusCode())
        .as("bad signature refused")
        .isIn(401, 403);

    // every series the alerts and the dashboard query is exposed
    Set<String> wanted = new TreeSet<>();
    MonitoringFilesTest.alerts().values().forEach(e -> wanted.addAll(Metrics.metricNames(e)));
    MonitoringFilesTest.dashboardQueries().forEach(q -> wanted.addAll(Metrics.metricNames(q)));
    // Terraform is off here (no cloud, no provider mirror): its timer cannot appear.
    wanted.removeIf(n -> n.startsWith("fleetwarden_terraform_plan_duration_seconds"));
    Set<String> missing = new TreeSet<>(wanted);
    long deadline = System.nanoTime() + METRICS.toNanos();
    String metrics = "";
    while (!missing.isEmpty() && System.nanoTime() < deadline) {
      metrics = get(base + "/metrics").body();
      Set<String> exposed = exposedNames(metrics);
      missing.removeIf(exposed::contains);
      if (!missing.isEmpty()) {
        Thread.sleep(2000);
      }
    }
    assertThat(missing)
        .as(
            "metrics used by deploy/prometheus-rule.yaml or deploy/grafana-dashboard.json but not"
                + " exposed on /metrics after %ss (register counters and gauges at startup so"
                + " rate() and absent() work)",
            METRICS.toSeconds())
        .isEmpty();
    assertThat(exit.get()).as("the service is still running").isEqualTo(Integer.MIN_VALUE);
  }

  static Set<String> exposedNames(String prometheusText) {
    Set<String> out = new LinkedHashSet<>();
    for (String line : prometheusText.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int end = 0;
      while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
        end++;
      }
      out.add(line.substring(0, end));
    }
    return out;
  }

  /** The chart's config.yaml with only the machine-specific keys replaced. */
  Path writeConfig(Path tmp, int port) throws Exception {
    List<ObjectNode> objects = DeployFiles.render(ValueSet.SINGLE_NODE);
    JsonNode data = DeployFiles.single(objects, "ConfigMap").path("data");
    ObjectNode cfg = (ObjectNode) DeployFiles.YAML.readTree(data.path("config.yaml").asText());

    Path schedules = Files.createDirectories(tmp.resolve("schedules"));
    data.fields()
        .forEachRemaining(
            e -> {
              if (e.getKey().startsWith("schedule-")) {
                write(
                    schedules.resolve(e.getKey().substring("schedule-".length())),
                    e.getValue().asText());
              }
            });
    // scan and fetch soon, not on the production cadence
    write(
        schedules.resolve("it-fast.yaml"),
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Schedule
        metadata:
          name: it-fast-scan
        spec:
          task: kubernetes-drift
          cron: "0/15 * * * * ?"
          misfirePolicy: fire-once-now
        ---
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Schedule
        metadata:
          name: it-fast-git-poll
        spec:
          task: git-poll
          cron: "5/15 * * * * ?"
          misfirePolicy: do-nothing
        """);

    int closed = freePort(); // nothing listens: Slack and GitHub calls fail fast, offline
    Path slackToken = write(tmp.resolve("slack-token"), "xoxb-it-not-a-real-token");
    Path githubToken = write(tmp.resolve("github-token"), "it-not-a-real-token");
    Path webhookSecret = write(tmp.resolve("webhook-secret"), WEBHOOK_SECRET);

    cfg.put("workDir", Files.createDirectories(tmp.resolve("work")).toString());
    ObjectNode fleet = cfg.with("fleet");
    fleet.put("repo", Path.of("fleet-repo-example").toAbsolutePath().toString());
    fleet.remove("tokenFile");
    ObjectNode kube = cfg.with("kube");
    kube.put("embedded", "true");
    kube.remove("kubeconfig");
    cfg.with("terraform").put("enabled", "false");
    cfg.with("schedules").put("dir", schedules.toString());
    cfg.with("http").put("port", port);
    cfg.with("slack")
        .put("tokenFile", slackToken.toString())
        .put("url", "http://127.0.0.1:" + closed);
    cfg.with("github")
        .put("tokenFile", githubToken.toString())
        .put("apiUrl", "http://127.0.0.1:" + closed);
    cfg.with("webhook").put("secretFile", webhookSecret.toString());
    cfg.with("log").put("format", "text");
    Path file = tmp.resolve("config.yaml");
    Files.writeString(file, DeployFiles.YAML.writeValueAsString(cfg));
    return file;
  }

  static Path write(Path file, String content) {
    try {
      return Files.writeString(file, content);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String firstExampleCluster() throws Exception {
    try (Stream<Path> dirs = Files.list(Path.of("fleet-repo-example", "clusters"))) {
      return dirs.filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .sorted()
          .findFirst()
          .orElseThrow(() -> new AssertionError("no cluster in fleet-repo-example/clusters"));
    }
  }

  static String sign(String secret, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }

  HttpResponse<String> postWebhook(String base, String body, String signature) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + "/webhooks/github"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("X-GitHub-Event", "push")
            .header("X-GitHub-Delivery", "it-delivery-1")
            .header("X-Hub-Signature-256", signature)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  void awaitStatus(String url, int status, Duration timeout, AtomicInteger exit) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Predicate<Integer> ok = s -> s == status;
    int last = -1;
    while (System.nanoTime() < deadline) {
      if (exit.get() != Integer.MIN_VALUE) {
        fail("fleetwarden run exited with code " + exit.get() + " before " + url + " answered");
      }
      try {
        last = get(url).statusCode();
        if (ok.test(last)) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(1000);
    }
    fail(
        url
            + " did not answer "
            + status
            + " within "
            + timeout.toSeconds()
            + "s (last: "
            + last
            + ")");
  }
}

package dev.fleetwarden.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetwarden.server.WebhookSignature;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} on the embedded defaults, in its own JVM as in production: it comes up, serves the
 * probes, the status API, metrics and the signed webhook, and stops cleanly on SIGTERM.
 */
class RunServiceIT {
  @TempDir Path tmp;

  @Test
  void comesUpServesAndStopsOnSigterm() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path secret = tmp.resolve("webhook-secret");
    Files.writeString(secret, "s3cret-for-test");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.fleetwarden.app.Main",
                "run",
                "--http-port",
                String.valueOf(port))
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("service.log").toFile());
    pb.environment().put("FLEETWARDEN_WORK_DIR", tmp.resolve("work").toString());
    pb.environment().put("FLEETWARDEN_WEBHOOK_SECRET_FILE", secret.toString());
    Process process = pb.start();
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      String base = "http://127.0.0.1:" + port;
      awaitStatus(http, base + "/readyz", 200, Duration.ofSeconds(120), process);
      assertThat(get(http, base + "/healthz").statusCode()).isEqualTo(200);

      // The first scans run right after the first render.
      JsonNode fleet = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        HttpResponse<String> r = get(http, base + "/api/v1/fleet");
        if (r.statusCode() == 200) {
          fleet = new ObjectMapper().readTree(r.body());
          if (fleet.path("clusters").size() == 5 && statuses(fleet).noneMatch("unknown"::equals)) {
            break;
          }
        }
        Thread.sleep(500);
      }
      assertThat(fleet).as(log()).isNotNull();
      assertThat(
              java.util.stream.StreamSupport.stream(fleet.path("clusters").spliterator(), false)
                  .map(c -> c.path("name").asText()))
          .containsExactly("dev-1", "mgmt", "prod-eu-1", "prod-us-1", "staging-1");
      assertThat(fleet.path("clusters").findValuesAsText("status"))
          .as(log())
          .containsOnly("in-sync");
      assertThat(fleet.path("revision").asText()).hasSize(40);

      HttpResponse<String> cluster = get(http, base + "/api/v1/clusters/prod-eu-1");
      assertThat(cluster.statusCode()).isEqualTo(200);
      assertThat(
              new ObjectMapper().readTree(cluster.body()).at("/cluster/name").asText("")
                  + cluster.body())
          .contains("prod-eu-1");
      assertThat(get(http, base + "/api/v1/clusters/nope").statusCode()).isEqualTo(404);

      String metrics = get(http, base + "/metrics").body();
      for (String name :
          List.of(
              "fleetwarden_scan_duration_seconds",
              "fleetwarden_drifted_objects",
              "fleetwarden_cluster_reachable",
              "fleetwarden_git_last_success_timestamp_seconds",
              "fleetwarden_render_errors_total",
              "fleetwarden_outbox_pending",
              "fleetwarden_scan_failures_total")) {
        assertThat(metrics).as(name).contains(name);
      }

      byte[] body =
          "{\"ref\":\"refs/heads/main\",\"after\":\"abc\"}".getBytes(StandardCharsets.UTF_8);
      HttpResponse<String> signed =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/webhooks/github"))
                  .header("X-GitHub-Event", "push")
                  .header(WebhookSignature.HEADER, WebhookSignature.sign("s3cret-for-test", body))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(signed.statusCode()).isEqualTo(202);
      HttpResponse<String> forged =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/webhooks/github"))
                  .header("X-GitHub-Event", "push")
                  .header(WebhookSignature.HEADER, "sha256=" + "0".repeat(64))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(forged.statusCode()).isEqualTo(401);

      long start = System.nanoTime();
      process.destroy(); // SIGTERM
      assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("stops within 10 s\n" + log()).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      String stopping = log().substring(log().indexOf("stopping fleetwarden"));
      assertThat(log()).contains("fleetwarden stopped").doesNotContain("s3cret-for-test");
      assertThat(stopping)
          .as("nothing closed under a job or watch still running")
          .doesNotContain("already closed", "stopping takes longer");
    } finally {
      process.destroyForcibly();
    }
  }

  private static java.util.stream.Stream<String> statuses(JsonNode fleet) {
    return java.util.stream.StreamSupport.stream(fleet.path("clusters").spliterator(), false)
        .map(c -> c.path("status").asText());
  }

  private String log() {
    try {
      return Files.readString(tmp.resolve("service.log"));
    } catch (Exception e) {
      return "(no log)";
    }
  }

  private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void awaitStatus(HttpClient http, String url, int status, Duration max, Process p)
      throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(p.isAlive()).as("service died:\n" + log()).isTrue();
      try {
        if (get(http, url).statusCode() == status) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new AssertionError(url + " never answered " + status + "\n" + log());
  }
}

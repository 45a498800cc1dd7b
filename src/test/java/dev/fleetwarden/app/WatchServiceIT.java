package dev.fleetwarden.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} on the embedded defaults detects a live change through its watches: the edit is a
 * finding in the status API and an alert on the console within seconds, long before the next
 * scheduled scan (every 2 minutes for production clusters); the status API and the metrics show
 * each cluster's watch.
 */
class WatchServiceIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void aLiveEditIsAFindingAndAnAlertWithinSeconds() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
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
    pb.environment().put("FLEETWARDEN_WATCH_COALESCE_MILLIS", "500");
    Process process = pb.start();
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      String base = "http://127.0.0.1:" + port;
      JsonNode cluster =
          await(
              http,
              base + "/api/v1/clusters/prod-eu-1",
              c ->
                  c.at("/watch/state").asText().equals("watching")
                      && c.path("status").asText().equals("in-sync"),
              Duration.ofSeconds(180),
              process);
      assertThat(cluster.at("/watch/objectsCached").asLong()).isPositive();
      assertThat(cluster.at("/watch/bytesPerObject").asLong()).isPositive();
      assertThat(cluster.at("/watch/watches").asInt()).isPositive();

      Config config =
          Config.fromKubeconfig(
              "prod-eu-1", Files.readString(tmp.resolve("work/kubeconfig")), null);
      long edited;
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
        edited = System.nanoTime();
        client
            .configMaps()
            .inNamespace("ingress-system")
            .withName("ingress-controller-config")
            .edit(
                cm -> {
                  String key = cm.getData().keySet().iterator().next();
                  cm.getData().put(key, cm.getData().get(key) + "-edited");
                  return cm;
                });
      }
      JsonNode drifted =
          await(
              http,
              base + "/api/v1/clusters/prod-eu-1",
              c -> c.path("status").asText().equals("drifted"),
              Duration.ofSeconds(30),
              process);
      Duration took = Duration.ofNanos(System.nanoTime() - edited);
      assertThat(drifted.toString()).contains("ingress-controller-config");
      assertThat(took)
          .as("the watch, not the 2-minute schedule")
          .isLessThan(Duration.ofSeconds(30));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!log().contains("ConfigMap/ingress-system/ingress-controller-config")
          && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(log())
          .as("the alert on the console")
          .contains("ConfigMap/ingress-system/ingress-controller-config");
      assertThat(drifted.at("/watch/lastEventAt").isTextual()).isTrue();

      // The watch gauges are refreshed every 5 s: the state the API just showed reaches them then.
      String metrics = get(http, base + "/metrics").body();
      long metricsDeadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      String watching = "fleetwarden_watch_state{cluster=\"prod-eu-1\",state=\"watching\"} 1.0";
      while (!metrics.contains(watching) && System.nanoTime() < metricsDeadline) {
        Thread.sleep(250);
        metrics = get(http, base + "/metrics").body();
      }
      assertThat(metrics)
          .contains(watching)
          .contains("fleetwarden_watch_objects_cached")
          .contains("fleetwarden_watch_cache_bytes")
          .contains("fleetwarden_watch_event_lag_seconds_count{cluster=\"prod-eu-1\"}")
          .contains("fleetwarden_watch_missed_drift_total{cluster=\"prod-eu-1\"} 0.0");

      process.destroy();
      assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("stops within 10 s\n" + log()).isTrue();
    } finally {
      process.destroyForcibly();
    }
  }

  private JsonNode await(
      HttpClient http, String url, Predicate<JsonNode> ok, Duration max, Process p)
      throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      assertThat(p.isAlive()).as(log()).isTrue();
      try {
        HttpResponse<String> r = get(http, url);
        if (r.statusCode() == 200) {
          last = JSON.readTree(r.body());
          if (ok.test(last)) {
            return last;
          }
        }
      } catch (java.io.IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError("timed out on " + url + ": " + last + "\n" + log());
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
}

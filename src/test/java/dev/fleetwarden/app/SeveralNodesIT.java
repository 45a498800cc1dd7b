package dev.fleetwarden.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetwarden.ExampleCharts;
import dev.fleetwarden.demo.EmbeddedFleet;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.render.RenderListener;
import dev.fleetwarden.store.LocalPostgres;
import dev.fleetwarden.store.StoreConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two whole {@code run} services on one PostgreSQL, watching the same (embedded) clusters: each
 * cluster is watched by one node, a live edit is alerted once, never twice, and after the watching
 * node is killed with SIGKILL the other takes its clusters over within 30 s and the next edit is
 * told once, in the thread of the cluster's open incident.
 */
class SeveralNodesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONFIG_MAP =
      "prod-eu-1/ConfigMap/ingress-system/ingress-controller-config";
  private static final String DEPLOYMENT =
      "prod-eu-1/Deployment.apps/ingress-system/ingress-controller";

  @TempDir Path tmp;
  private EmbeddedFleet clusters;
  private final List<Process> processes = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** One node: its process, port and work dir. */
  private record Node(String name, Process process, int port, Path work) {}

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
    if (clusters != null) {
      clusters.close();
    }
  }

  @Test
  void editsAreReportedOnceAndStillAfterTheWatchingNodeIsKilled() throws Exception {
    StoreConfig db = LocalPostgres.freshDatabase("nodes");
    Fleet fleet = FleetLoader.load(Path.of("fleet-repo-example"));
    // The example fleet has an add-on from a chart repository: the example one serves it.
    Map<String, ClusterRender> renders =
        ExampleCharts.rendering().renderAll(fleet, RenderListener.NONE).all();
    clusters = EmbeddedFleet.forFleet(fleet, tmp.resolve("kubeconfig"));
    renders.values().forEach(r -> clusters.apply(r.cluster(), r.objects()));
    Path config = tmp.resolve("fleetwarden.yaml");
    Files.writeString(
        config,
        """
        fleet:
          repo: %s
        kube:
          embedded: false
          kubeconfig: %s
          kubeconfigSecrets:
            names: %s
        terraform:
          enabled: false
        helm:
          exampleRepository: true
        store:
          jdbcUrl: %s
          username: %s
        watch:
          coalesceMillis: 500
        """
            .formatted(
                Path.of("fleet-repo-example").toAbsolutePath(),
                clusters.kubeconfigPath(),
                String.join(",", clusters.kubeconfigSecrets()),
                db.jdbcUrl(),
                db.user()));

    Node first = start("first", config);
    awaitWatching(first, "prod-eu-1");
    Node second = start("second", config);
    awaitReady(second);
    assertThat(watchState(second, "prod-eu-1")).as("one watcher per cluster").isEqualTo("unknown");

    editConfigMap();
    await(() -> alerts(CONFIG_MAP, first, second) >= 1, "the first edit's alert");
    Thread.sleep(4_000); // time for a second alert, which must not come
    assertThat(alerts(CONFIG_MAP, first, second)).as("reported once, never twice").isEqualTo(1);

    long killed = System.nanoTime();
    first.process().destroyForcibly(); // SIGKILL
    first.process().waitFor();
    awaitWatching(second, "prod-eu-1");
    Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
    assertThat(takeover).as("taken over within 30 s").isLessThan(Duration.ofSeconds(30));

    clusters
        .client("prod-eu-1")
        .apps()
        .deployments()
        .inNamespace("ingress-system")
        .withName("ingress-controller")
        .scale(7);
    await(() -> alerts(DEPLOYMENT, second) >= 1, "the second edit told, by the second node");
    Thread.sleep(4_000);
    assertThat(alerts(DEPLOYMENT, first, second)).as("told once").isEqualTo(1);
    assertThat(alerts(CONFIG_MAP, first, second)).as("the first not again").isEqualTo(1);
    System.out.println("takeover after SIGKILL: " + takeover.toMillis() + " ms");
  }

  private void editConfigMap() {
    clusters
        .client("prod-eu-1")
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

  /**
   * Messages that tell a new drift of {@code resource}, on the nodes' consoles: the incident's post
   * naming it, or a reply in an incident's thread listing it as new.
   */
  private static int alerts(String resource, Node... nodes) {
    int n = 0;
    for (Node node : nodes) {
      Path file = node.work().resolve("notifications.jsonl");
      try {
        if (!Files.exists(file)) {
          continue;
        }
        for (String line : Files.readAllLines(file)) {
          JsonNode m = JSON.readTree(line);
          if (!m.path("action").asText().equals("post")) {
            continue;
          }
          boolean post = m.path("threadTs").asText("").isEmpty();
          String told = post ? m.path("text").asText() : m.path("blocks").toString();
          if (told.contains(resource) && (post || told.contains("*New*"))) {
            n++;
          }
        }
      } catch (IOException e) {
        // a line being written: counted on the next poll
      }
    }
    return n;
  }

  private Node start(String name, Path config) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path work = tmp.resolve(name);
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.fleetwarden.app.Main",
                "run",
                "--config",
                config.toString(),
                "--http-port",
                String.valueOf(port))
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve(name + ".log").toFile());
    pb.environment().put("FLEETWARDEN_WORK_DIR", work.toString());
    Process p = pb.start();
    processes.add(p);
    return new Node(name, p, port, work);
  }

  private JsonNode cluster(Node node, String cluster) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + node.port() + "/api/v1/clusters/" + cluster))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private String watchState(Node node, String cluster) {
    JsonNode c = cluster(node, cluster);
    return c == null ? null : c.at("/watch/state").asText(null);
  }

  private void awaitReady(Node node) throws Exception {
    await(() -> alive(node) && cluster(node, "prod-eu-1") != null, node.name() + " ready");
  }

  private void awaitWatching(Node node, String cluster) throws Exception {
    await(
        () -> alive(node) && "watching".equals(watchState(node, cluster)),
        node.name() + " watching " + cluster);
  }

  /** A node that exited fails the wait at once, with its log, instead of after the timeout. */
  private boolean alive(Node node) {
    if (!node.process().isAlive()) {
      throw new AssertionError(
          node.name() + " exited with " + node.process().exitValue() + "\n" + logs());
    }
    return true;
  }

  private void await(BooleanSupplier condition, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "\n" + logs());
      }
      Thread.sleep(250);
    }
  }

  private String logs() {
    StringBuilder sb = new StringBuilder();
    for (String name : List.of("first", "second")) {
      try {
        String log = Files.readString(tmp.resolve(name + ".log"));
        sb.append("--- ")
            .append(name)
            .append('\n')
            .append(log, Math.max(0, log.length() - 6000), log.length());
      } catch (IOException e) {
        sb.append("--- ").append(name).append(": no log\n");
      }
    }
    return sb.toString();
  }
}

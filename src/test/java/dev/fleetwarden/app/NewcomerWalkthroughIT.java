package dev.fleetwarden.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newcomer's first hour, scripted: the README's first command, then {@code run} on the embedded
 * defaults, a {@code kubectl scale} on prod-eu-1, a commit to the local origin, a restart, another
 * {@code kubectl} edit, a revert, a second restart and the last revert. Exactly one incident
 * message for prod-eu-1 (the second edit joins it: an edit and a thread reply), one thread reply
 * per change, one resolve when the last drift is reverted, nothing re-alerted after a restart, no
 * commit or pull request lost across the restart, no stack trace anywhere.
 */
class NewcomerWalkthroughIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INGRESS =
      "prod-eu-1/Deployment.apps/ingress-system/ingress-controller";
  private static final String CONFIG =
      "prod-eu-1/ConfigMap/ingress-system/ingress-controller-config";

  /** Kept when the walkthrough fails: the service logs and the work dir explain it. */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  private Process service;
  private int port;
  private int starts;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @AfterEach
  void stop() {
    if (service != null) {
      service.destroyForcibly();
    }
  }

  @Test
  void theEmbeddedDefaultsBehaveLikeARealInstallation() throws Exception {
    String kubectl = Kubectl.require();

    // 1. The README's first command.
    CliIT.Run demo =
        CliIT.run(
            "demo",
            "--repo",
            "fleet-repo-example",
            "--no-terraform",
            "-q",
            "--work-dir",
            tmp.resolve("demo").toString());
    assertThat(demo.code()).as(demo.err()).isEqualTo(2);
    assertThat(demo.out() + demo.err()).doesNotContain("\tat ", "Exception");

    // 2. run on the embedded defaults, scanning every few seconds.
    Path schedules = Files.createDirectories(tmp.resolve("schedules"));
    Files.writeString(
        schedules.resolve("fast.yaml"),
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Schedule
        metadata: {name: git-poll}
        spec: {task: git-poll, cron: "*/2 * * * * ?", misfirePolicy: do-nothing}
        ---
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Schedule
        metadata: {name: kubernetes-drift}
        spec: {task: kubernetes-drift, cron: "*/3 * * * * ?", misfirePolicy: do-nothing}
        """);
    Path work = tmp.resolve("work");
    start(work, schedules);
    awaitFleet(f -> statuses(f).stream().allMatch("in-sync"::equals), "every cluster in sync");
    assertThat(posts(work)).isEmpty();

    // 3. kubectl scale on prod-eu-1: one alert, with its pull request.
    Kubectl k = new Kubectl(kubectl, work.resolve("kubeconfig"), tmp.resolve("home"));
    k.run(
        "--context",
        "prod-eu-1",
        "-n",
        "ingress-system",
        "scale",
        "deployment/ingress-controller",
        "--replicas=6");
    await(() -> posts(work).stream().anyMatch(p -> p.contains(INGRESS)), "the scale's alert");
    await(() -> openPullRequests(work) == 1, "the scale's pull request");
    String branch = onlyDriftBranch(work);

    // 4. A commit to the local origin: followed, the verdict names it.
    String commit = commitToOrigin(work.resolve("fleet-origin"));
    awaitFleet(f -> f.path("revision").asText().equals(commit), "the new commit");
    Thread.sleep(6_000); // scans of the clusters the commit affects
    assertThat(posts(work))
        .as("a commit synced as a GitOps tool would is no drift (logs in %s)", tmp)
        .hasSize(1);

    // 5. A restart: nothing lost, nothing re-alerted, no false resolve.
    int postsBefore = posts(work).size();
    restart(work, schedules);
    awaitFleet(
        f -> f.path("revision").asText().equals(commit) && statuses(f).contains("drifted"),
        "the drift seen again after the restart");
    Thread.sleep(8_000); // several scans and dispatches
    assertThat(posts(work)).as("no alert repeated").hasSize(postsBefore);
    assertThat(resolves(work)).as("no false resolve").isEmpty();
    assertThat(openPullRequests(work)).isEqualTo(1);
    assertThat(onlyDriftBranch(work)).isEqualTo(branch);
    try (Git origin = Git.open(work.resolve("fleet-origin").toFile())) {
      List<String> log = new ArrayList<>();
      for (RevCommit c : origin.log().call()) {
        log.add(c.getName());
      }
      assertThat(log).contains(commit);
    }

    // 6. Another kubectl edit on the same cluster: it joins the open incident, no new post.
    String incident = alertTs(work, INGRESS);
    k.run(
        "--context",
        "prod-eu-1",
        "-n",
        "ingress-system",
        "patch",
        "configmap/ingress-controller-config",
        "--type",
        "merge",
        "-p",
        "{\"data\":{\"enable-topology-aware-routing\":\"false\"}}");
    await(
        () ->
            replies(work, incident).stream()
                .anyMatch(r -> r.contains("*New*") && r.contains(CONFIG)),
        "the patch told in the incident's thread");
    Thread.sleep(6_000);
    assertThat(posts(work)).as("no second message for prod-eu-1").hasSize(postsBefore);
    assertThat(updates(work, incident)).anyMatch(u -> u.contains(CONFIG) && u.contains(INGRESS));
    assertThat(replies(work, incident)).filteredOn(r -> r.contains(CONFIG)).hasSize(1);

    // 7. Reverting the scale: told in the thread; the incident stays open for the patch.
    k.run(
        "--context",
        "prod-eu-1",
        "-n",
        "ingress-system",
        "scale",
        "deployment/ingress-controller",
        "--replicas=4");
    await(
        () ->
            replies(work, incident).stream()
                .anyMatch(r -> r.contains("`" + INGRESS + "` is back in sync")),
        "the scale's revert told in the thread");
    Thread.sleep(6_000);
    assertThat(replies(work, incident))
        .filteredOn(r -> r.contains("`" + INGRESS + "` is back in sync"))
        .hasSize(1);
    assertThat(resolves(work)).as("the patch is still open").isEmpty();
    assertThat(posts(work)).hasSize(postsBefore);

    // 8. A second restart: the open drift (the patch) is neither alerted again nor resolved.
    int repliesBefore = replies(work, incident).size();
    restart(work, schedules);
    awaitFleet(f -> statuses(f).contains("drifted"), "the patch's drift seen after the restart");
    Thread.sleep(6_000);
    assertThat(posts(work)).hasSize(postsBefore);
    assertThat(resolves(work)).isEmpty();
    assertThat(replies(work, incident)).hasSize(repliesBefore);

    // 9. Reverting the patch: the last drift of the incident, which resolves once.
    k.run(
        "--context",
        "prod-eu-1",
        "-n",
        "ingress-system",
        "patch",
        "configmap/ingress-controller-config",
        "--type",
        "merge",
        "-p",
        "{\"data\":{\"enable-topology-aware-routing\":\"true\"}}");
    await(() -> resolves(work).size() == 1, "the resolve of the incident");
    Thread.sleep(6_000);
    assertThat(resolves(work)).containsExactly(incident);
    assertThat(posts(work)).hasSize(postsBefore);
    assertThat(updates(work, incident)).last().asString().contains("Resolved: drift on prod-eu-1");

    assertThat(log(work)).doesNotContain("\tat ").doesNotContain("NullPointerException");
  }

  // ---------------------------------------------------------------- the service

  private void start(Path work, Path schedules) throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    starts++;
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
            .redirectOutput(tmp.resolve("service-" + starts + ".log").toFile());
    pb.environment().put("FLEETWARDEN_WORK_DIR", work.toString());
    pb.environment().put("FLEETWARDEN_SCHEDULES_DIR", schedules.toString());
    service = pb.start();
  }

  private void restart(Path work, Path schedules) throws Exception {
    service.destroy(); // SIGTERM
    assertThat(service.waitFor(15, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    start(work, schedules);
  }

  private String log(Path work) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= starts; i++) {
      sb.append(Files.readString(tmp.resolve("service-" + i + ".log")));
    }
    return sb.toString();
  }

  interface FleetCondition {
    boolean holds(JsonNode fleet);
  }

  private void awaitFleet(FleetCondition condition, String what) throws Exception {
    await(
        () -> {
          try {
            HttpResponse<String> r =
                http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/fleet"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && condition.holds(JSON.readTree(r.body()));
          } catch (IOException e) {
            return false;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
          }
        },
        what);
  }

  private void await(BooleanSupplier condition, String what) throws Exception {
    // The first wait covers the start: render, apply ~190 objects to five embedded clusters, scan.
    long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
    while (!condition.getAsBoolean()) {
      if (!service.isAlive()) {
        throw new AssertionError("the service stopped while waiting for " + what);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "\n" + log(tmp.resolve("work")));
      }
      Thread.sleep(300);
    }
  }

  private static List<String> statuses(JsonNode fleet) {
    List<String> out = new ArrayList<>();
    fleet.path("clusters").forEach(c -> out.add(c.path("status").asText()));
    return out;
  }

  // ---------------------------------------------------------------- what on-call and reviewers see

  private static List<JsonNode> notifications(Path work) {
    Path file = work.resolve("notifications.jsonl");
    List<JsonNode> out = new ArrayList<>();
    try {
      if (Files.exists(file)) {
        for (String line : Files.readAllLines(file)) {
          out.add(JSON.readTree(line));
        }
      }
    } catch (IOException e) {
      // a line being written: read again on the next poll
    }
    return out;
  }

  /** New alert messages (not replies in their threads): channel and fallback text. */
  private static List<String> posts(Path work) {
    return notifications(work).stream()
        .filter(n -> n.path("action").asText().equals("post"))
        .filter(n -> n.path("threadTs").asText("").isEmpty())
        .map(n -> n.path("channel").asText() + " " + n.path("text").asText())
        .toList();
  }

  /** The message ts of the alert (incident) that was posted about a resource. */
  private static String alertTs(Path work, String resource) {
    return notifications(work).stream()
        .filter(n -> n.path("action").asText().equals("post"))
        .filter(n -> n.path("threadTs").asText("").isEmpty())
        .filter(n -> n.path("text").asText().contains(resource))
        .map(n -> n.path("ts").asText())
        .findFirst()
        .orElseThrow();
  }

  /** The replies in the thread of a message: fallback text and blocks. */
  private static List<String> replies(Path work, String ts) {
    return notifications(work).stream()
        .filter(n -> n.path("action").asText().equals("post"))
        .filter(n -> n.path("threadTs").asText("").equals(ts))
        .map(n -> n.path("text").asText() + "\n" + n.path("blocks").toString())
        .toList();
  }

  /** The edits of a message, in order: fallback text and blocks. */
  private static List<String> updates(Path work, String ts) {
    return notifications(work).stream()
        .filter(n -> n.path("action").asText().equals("update"))
        .filter(n -> n.path("ts").asText().equals(ts))
        .map(n -> n.path("text").asText() + "\n" + n.path("blocks").toString())
        .toList();
  }

  /** "Resolved" follow-ups: replies in an incident's thread saying all its drift is gone. */
  private static List<String> resolves(Path work) {
    return notifications(work).stream()
        .filter(n -> n.path("action").asText().equals("post"))
        .filter(n -> !n.path("threadTs").asText("").isEmpty())
        .filter(n -> n.path("text").asText().startsWith("Resolved"))
        .map(n -> n.path("threadTs").asText())
        .toList();
  }

  private static long openPullRequests(Path work) {
    Path dir = work.resolve("pull-requests");
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (var files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".json"))
          .filter(
              p -> {
                try {
                  return JSON.readTree(Files.readString(p)).path("status").asText().equals("OPEN");
                } catch (IOException e) {
                  return false;
                }
              })
          .count();
    } catch (IOException e) {
      return 0;
    }
  }

  private static String onlyDriftBranch(Path work) throws Exception {
    try (Git origin = Git.open(work.resolve("fleet-origin").toFile())) {
      List<String> branches =
          origin.branchList().call().stream()
              .map(Ref::getName)
              .filter(n -> n.startsWith("refs/heads/fleetwarden/drift/"))
              .toList();
      assertThat(branches).hasSize(1);
      return branches.get(0);
    }
  }

  /** A change that affects staging-1 only, committed to the local origin's main. */
  private static String commitToOrigin(Path origin) throws Exception {
    Path env = origin.resolve("environments/staging.yaml");
    Files.writeString(env, Files.readString(env).replace("retention: 7d", "retention: 8d"));
    try (Git git = Git.open(origin.toFile())) {
      git.add().addFilepattern("environments/staging.yaml").call();
      return git.commit()
          .setMessage("staging: keep metrics eight days")
          .setSign(false)
          .setAuthor("newcomer", "newcomer@example.org")
          .setCommitter("newcomer", "newcomer@example.org")
          .call()
          .getName();
    }
  }
}

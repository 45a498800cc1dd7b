package dev.fleetwarden.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetwarden.demo.DemoDrift;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.store.JdbcStore;
import dev.fleetwarden.store.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Ref;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo is the service on the embedded defaults, run once: on the same fleet and the same live
 * changes, both record the same findings, send the same alerts and push the same pull-request
 * branches.
 */
class DemoServiceAgreementIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void demoAndServiceGetTheSameFindingsAlertsAndPullRequestBranches() throws Exception {
    Path demoWork = tmp.resolve("demo");
    CliIT.Run demo =
        CliIT.run(
            "demo",
            "--repo",
            "fleet-repo-example",
            "--no-terraform",
            "-q",
            "-o",
            "json",
            "--work-dir",
            demoWork.toString());
    assertThat(demo.code()).as(demo.err()).isEqualTo(2);
    demo.json();

    Path serviceWork = tmp.resolve("service");
    Path noSchedules = Files.createDirectories(tmp.resolve("schedules"));
    Config config =
        Config.defaults(Map.of())
            .with(Setting.WORK_DIR, serviceWork.toString())
            .with(Setting.FLEET_REPO, "fleet-repo-example")
            .with(Setting.SCHEDULES_DIR, noSchedules.toString());
    try (Service service = Service.start(config, 0, Map.of())) {
      // No schedules: the scans below are the only ones.
      waitFor(() -> service.fleetService().ready(), "the first render");
      new DemoDrift(service.embeddedClusters(), Clock.systemUTC()).applyAll();
      service.fleetService().scanAll(4, r -> {});
      int expectedPosts = posts(demoWork).size();
      waitFor(
          () ->
              Files.exists(serviceWork.resolve("notifications.jsonl"))
                  && posts(serviceWork).size() >= expectedPosts,
          "the service's alerts");
    }

    assertThat(findings(serviceWork)).isEqualTo(findings(demoWork)).hasSize(7);
    // One fleet-wide message for the hotfix both prod clusters share, and one incident per
    // drifted cluster for the rest.
    assertThat(posts(serviceWork)).isEqualTo(posts(demoWork)).hasSize(5);
    assertThat(posts(serviceWork)).filteredOn(p -> p.contains("2 clusters")).hasSize(1);
    // Scans of the whole fleet are recorded before anything is told: the group is known from its
    // first message, so no incident first shows the hotfix and then gives it up, and no cluster
    // "joins" a message that already lists it.
    assertThat(posts(serviceWork))
        .noneMatch(p -> p.contains("moved to a fleet-wide"))
        .noneMatch(p -> p.contains("joined"));
    // One pull request for the group, one for prod-eu-1's ConfigMap.
    assertThat(branches(serviceWork))
        .isEqualTo(branches(demoWork))
        .hasSize(2)
        .anyMatch(b -> b.startsWith("refs/heads/fleetwarden/group/"));
  }

  /** Open findings as resource, type and drifted paths (Secret hashes are per installation). */
  private static TreeSet<String> findings(Path work) {
    TreeSet<String> out = new TreeSet<>();
    try (JdbcStore store = JdbcStore.open(StoreConfig.embedded(work.resolve("db")))) {
      for (Finding f : store.findings().open()) {
        List<String> paths = new ArrayList<>();
        f.drift().fields().forEach(d -> paths.add(d.path()));
        out.add(f.resource() + " " + f.type().label() + " " + new TreeSet<>(paths));
      }
    }
    return out;
  }

  /**
   * Alert messages posted: channel and fallback text (the work dir, in local PR links, as WORK).
   */
  private static TreeSet<String> posts(Path work) throws Exception {
    TreeSet<String> out = new TreeSet<>();
    for (String line : Files.readAllLines(work.resolve("notifications.jsonl"))) {
      JsonNode n = JSON.readTree(line);
      if (n.path("action").asText().equals("post")) {
        String text = n.path("text").asText().replace(work.toUri().toString(), "WORK/");
        out.add(n.path("channel").asText() + " " + text);
      }
    }
    return out;
  }

  private static TreeSet<String> branches(Path work) throws Exception {
    try (Git origin = Git.open(work.resolve("fleet-origin").toFile())) {
      TreeSet<String> out = new TreeSet<>();
      for (Ref ref : origin.branchList().call()) {
        if (!ref.getName().equals("refs/heads/main")) {
          out.add(ref.getName());
        }
      }
      return out;
    }
  }

  interface Condition {
    boolean holds() throws Exception;
  }

  private static void waitFor(Condition condition, String what) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!condition.holds()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(200);
    }
  }
}

package dev.fleetwarden.reconcile;

import static dev.fleetwarden.reconcile.WatchFixture.await;
import static dev.fleetwarden.reconcile.WatchFixture.pause;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.demo.FaultyFleet;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.Fingerprints;
import dev.fleetwarden.ledger.OutboxMessage;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.notify.AlertPlanner;
import dev.fleetwarden.watch.WatchState;
import dev.fleetwarden.watch.WatchStatus;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event-driven detection against embedded API servers (Fabric8's mock server in CRUD mode, which
 * serves watches over WebSocket): a live edit reaches the ledger and the outbox through the watch,
 * without any scan.
 */
class WatchIT {
  private static final ResourceId SETTINGS =
      new ResourceId("a", "", "ConfigMap", "web", "web-settings");

  @TempDir Path tmp;
  WatchFixture f;

  @AfterEach
  void close() throws Exception {
    if (f != null) {
      f.close();
    }
  }

  private List<Finding> open(String cluster) {
    return f.store.findings().open(cluster);
  }

  @Test
  void aBurstOfEditsProducesExactlyOneFindingAndOneAlert() throws Exception {
    f = new WatchFixture(tmp);
    f.awaitWatching("a", "b");
    assertThat(open("a")).isEmpty();
    assertThat(f.store.outbox().pendingCount()).isZero();

    f.editConfigMap("a", "debug");
    f.editConfigMap("a", "verbose");
    f.editConfigMap("a", "trace");

    await("a finding on a", () -> !open("a").isEmpty());
    pause(WatchFixture.WINDOW.multipliedBy(3)); // nothing more may come
    assertThat(open("a"))
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.resource()).isEqualTo(SETTINGS);
              assertThat(x.type()).isEqualTo(DriftType.MODIFIED);
              assertThat(x.drift().fields().get(0).live().asText()).isEqualTo("trace");
            });
    assertThat(f.store.outbox().pendingCount()).as("one alert").isEqualTo(1);
    assertThat(f.store.outbox().claimDue(Instant.now().plus(Duration.ofHours(1)), 10))
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.message().kind()).isEqualTo(OutboxMessage.Kind.ALERT);
              assertThat(row.message().fingerprint())
                  .isEqualTo(AlertPlanner.incidentKey("a", "#fallback"));
              assertThat(row.message().text()).contains(SETTINGS.toString());
            });
    assertThat(open("b")).isEmpty();
    WatchStatus status = f.loop.status("a");
    assertThat(status.lastEventAt()).isNotNull();
    assertThat(status.lastLag()).isNotNull().isLessThan(Duration.ofSeconds(10));
    assertThat(status.objectsCached()).isGreaterThanOrEqualTo(2);
    assertThat(status.bytesPerObject()).isPositive();
    assertThat(f.store.scans().recent("a", 10))
        .as("no scan ran: the watch found it")
        .hasSize(2); // the first scan and the watch's judgement of its whole cache
  }

  @Test
  void anEditRevertedWithinTheWindowProducesNothing() throws Exception {
    f = new WatchFixture(tmp);
    f.awaitWatching("a");
    Instant before = Instant.now();

    f.editConfigMap("a", "debug");
    f.editConfigMap("a", "normal");

    await(
        "the events",
        () ->
            f.loop.status("a").lastEventAt() != null
                && f.loop.status("a").lastEventAt().isAfter(before));
    await("the verdict", () -> f.loop.status("a").lastLag() != null);
    pause(WatchFixture.WINDOW.multipliedBy(2));
    assertThat(open("a")).isEmpty();
    assertThat(f.store.outbox().pendingCount()).isZero();
  }

  @Test
  void aResolvedDriftResolvesAndSaysSo() throws Exception {
    f = new WatchFixture(tmp);
    f.awaitWatching("a");
    f.editConfigMap("a", "debug");
    await("a finding", () -> !open("a").isEmpty());
    String fp = open("a").get(0).fingerprint();

    f.editConfigMap("a", "normal");

    await("resolved", () -> open("a").isEmpty());
    assertThat(f.store.findings().find("a", fp).orElseThrow().resolvedAt()).isNotNull();
    await("the alert, its resolve and a note", () -> f.store.outbox().pendingCount() == 3);
  }

  @Test
  void aDeletedObjectIsMissingAndAnObjectCreatedByHandIsAdded() throws Exception {
    f = new WatchFixture(tmp);
    f.awaitWatching("a");

    f.clusters.client("a").apps().deployments().inNamespace("web").withName("web").delete();

    await("missing", () -> open("a").stream().anyMatch(x -> x.type() == DriftType.MISSING));
    assertThat(open("a"))
        .singleElement()
        .satisfies(x -> assertThat(x.resource().name()).isEqualTo("web"));
  }

  @Test
  void aWatchDroppedAndReestablishedLosesNothing() throws Exception {
    f = new WatchFixture(tmp);
    f.awaitWatching("a");

    // Dropped while the edit happens: the relist finds it.
    assertThat(FaultyFleet.dropWatches(f.clusters, "a")).isPositive();
    f.editConfigMap("a", "debug");
    await("the edit made while dropped", () -> open("a").size() == 1);

    // Dropped and refused for a while: scan-only, then back, and the edit meanwhile is found.
    FaultyFleet.failWatches(f.clusters, "a", 503);
    FaultyFleet.dropWatches(f.clusters, "a");
    await("scan-only", () -> f.loop.status("a").state() == WatchState.SCAN_ONLY);
    f.clusters.client("a").apps().deployments().inNamespace("web").withName("web").scale(5);
    pause(Duration.ofMillis(500));
    FaultyFleet.failWatches(f.clusters, "a", 0);
    f.awaitWatching("a");
    await("the edit made while down", () -> open("a").size() == 2);
    assertThat(open("a"))
        .extracting(x -> x.resource().kind())
        .containsExactlyInAnyOrder("ConfigMap", "Deployment");
    pause(WatchFixture.WINDOW.multipliedBy(2));
    assertThat(f.store.outbox().pendingCount())
        .as("one incident: the post, then an edit and a thread reply for the second drift")
        .isEqualTo(3);
  }

  @Test
  void aForbiddenWatchFallsBackToScheduledScans() throws Exception {
    f = new WatchFixture(tmp);
    FaultyFleet.failWatches(f.clusters, "b", 403);
    FaultyFleet.dropWatches(f.clusters, "b");
    await("b scan-only", () -> f.loop.status("b").state() == WatchState.SCAN_ONLY);
    assertThat(f.loop.status("b").reason()).contains("refused to watch").contains("403");
    f.awaitWatching("a");

    f.editConfigMap("b", "debug");
    pause(WatchFixture.WINDOW.multipliedBy(3));
    assertThat(open("b")).as("no watch reports it").isEmpty();

    // The scheduled scan does: b is not watched, so its scan is not skipped...
    f.loop.tasks().run(scheduled("kubernetes-drift", "b"));
    assertThat(open("b"))
        .singleElement()
        .satisfies(x -> assertThat(x.resource().cluster()).isEqualTo("b"));
    // ...while a watched cluster scanned recently is left to its watches.
    f.loop
        .tasks()
        .run(new TaskFiring("kubernetes-drift", "a", null, null, false, null, null, null));
    f.loop.tasks().run(scheduled("kubernetes-drift", "a"));
    assertThat(f.skipped).containsExactly("a");
    assertThat(f.missed).isEmpty();
  }

  @Test
  void aCommitAddingAnAddonStartsWatchingItsKinds() throws Exception {
    f = new WatchFixture(tmp);
    f.awaitWatching("a", "b");
    int before = f.loop.status("a").watches();
    f.write(
        "clusters/a/cluster.yaml",
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Cluster
        metadata:
          name: a
        spec:
          role: workload
          environment: dev
          addons:
            - name: web
            - name: extras
        """);
    f.commit("a runs extras");
    f.service.pollGit();
    await("roles watched on a", () -> f.loop.status("a").watches() > before);
    f.awaitWatching("a");
    assertThat(f.loop.status("b").watches()).as("b is not affected").isEqualTo(before);

    f.clusters
        .client("a")
        .rbac()
        .roles()
        .inNamespace("web")
        .withName("web-reader")
        .edit(
            r -> {
              r.getRules()
                  .add(
                      new PolicyRuleBuilder()
                          .withApiGroups("")
                          .withResources("secrets")
                          .withVerbs("get")
                          .build());
              return r;
            });

    await(
        "the Role's drift",
        () -> open("a").stream().anyMatch(x -> x.resource().kind().equals("Role")));
    assertThat(open("a")).singleElement();
    assertThat(Fingerprints.of(open("a").get(0).drift())).isEqualTo(open("a").get(0).fingerprint());
  }

  private static TaskFiring scheduled(String task, String cluster) {
    Instant now = Instant.now();
    return new TaskFiring(task, cluster, now, now, false, "test", "1", "kubernetes-drift-all");
  }
}

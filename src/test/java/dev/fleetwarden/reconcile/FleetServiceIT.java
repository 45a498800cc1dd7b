package dev.fleetwarden.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.ExampleCharts;
import dev.fleetwarden.git.GitSettings;
import dev.fleetwarden.git.JGitFleetRepository;
import dev.fleetwarden.model.ClusterReport;
import dev.fleetwarden.model.ClusterStatus;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.store.JdbcStore;
import dev.fleetwarden.store.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service against a real Git remote and a real (H2) store: commits re-render only what they
 * affect, a broken commit keeps the last good render and is reported once, restarts do not
 * re-alert.
 */
class FleetServiceIT {
  private static final ResourceId INGRESS =
      new ResourceId("prod-eu-1", "apps", "Deployment", "ingress-system", "ingress-controller");

  @TempDir Path tmp;
  Git remote;
  FakeLiveSource live = new FakeLiveSource();
  JdbcStore store;
  JGitFleetRepository repo;
  FleetService service;
  List<Collection<String>> affected = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    Path remoteDir = tmp.resolve("remote");
    copy(Path.of("fleet-repo-example"), remoteDir);
    remote = Git.init().setDirectory(remoteDir.toFile()).setInitialBranch("main").call();
    commit("initial fleet");
    start();
    for (String c : service.fleet().clusters().keySet()) {
      live.sync(c, ExampleCharts.rendering().renderCluster(service.fleet(), c).objects());
    }
  }

  private void start() {
    store = JdbcStore.open(StoreConfig.embedded(tmp.resolve("db")));
    repo =
        new JGitFleetRepository(
            GitSettings.of(tmp.resolve("remote").toUri().toString(), "main", tmp.resolve("clone")));
    Alerts alerts = new Alerts(store.alertStates(), store.outbox(), "#fallback", null);
    service =
        new FleetService(
            repo, ExampleCharts.rendering(), live, null, store, alerts, Clock.systemUTC(), null);
    service.onAffected(affected::add);
    service.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    repo.close();
    store.close();
    remote.close();
  }

  private void commit(String message) throws Exception {
    remote.add().addFilepattern(".").call();
    remote.add().addFilepattern(".").setUpdate(true).call();
    remote.commit().setMessage(message).setSign(false).setAuthor("dev", "dev@example.org").call();
  }

  private void write(String rel, String content) throws Exception {
    Files.writeString(tmp.resolve("remote").resolve(rel), content);
  }

  private String read(String rel) throws Exception {
    return Files.readString(tmp.resolve("remote").resolve(rel));
  }

  @Test
  void aCommitReRendersOnlyTheClustersItAffects() throws Exception {
    assertThat(service.ready()).isTrue();
    affected.clear();
    write(
        "clusters/prod-eu-1/values/ingress.yaml",
        read("clusters/prod-eu-1/values/ingress.yaml").replace("replicas: 4", "replicas: 5"));
    commit("prod-eu-1: five ingress replicas");
    service.pollGit();
    assertThat(affected).singleElement().satisfies(c -> assertThat(c).containsExactly("prod-eu-1"));
    ClusterReport report = service.scanKubernetes("prod-eu-1");
    assertThat(report.status()).isEqualTo(ClusterStatus.DRIFTED);
    assertThat(report.drifts())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.resource()).isEqualTo(INGRESS);
              assertThat(d.fields().get(0).path()).isEqualTo("/spec/replicas");
            });
    affected.clear();
    write(
        "environments/staging.yaml",
        read("environments/staging.yaml").replace("retention: 7d", "retention: 8d"));
    commit("staging retention");
    service.pollGit();
    assertThat(affected).singleElement().satisfies(c -> assertThat(c).containsExactly("staging-1"));
  }

  @Test
  void aBrokenCommitKeepsTheLastGoodRenderIsReportedOnceAndRecoversOnTheFix() throws Exception {
    assertThat(service.scanKubernetes("prod-eu-1").status()).isEqualTo(ClusterStatus.IN_SYNC);
    assertThat(store.outbox().pendingCount()).isZero();
    String good = service.revision();

    String cluster = read("clusters/prod-eu-1/cluster.yaml");
    write(
        "clusters/prod-eu-1/cluster.yaml",
        cluster.replace("  role: workload", "  role: workload\n  replicaz: 3"));
    commit("typo");
    service.pollGit();
    assertThat(service.revision()).isEqualTo(good);
    assertThat(service.brokenRevision()).isNotNull();
    assertThat(service.brokenErrors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.file()).isEqualTo("clusters/prod-eu-1/cluster.yaml");
              assertThat(e.line()).isEqualTo(9);
            });
    long afterBroken = store.outbox().pendingCount();
    assertThat(afterBroken).isEqualTo(1); // the broken-commit message

    // No false drift from the broken commit: the last good render is still compared.
    ClusterReport during = service.scanKubernetes("prod-eu-1");
    assertThat(during.drifts()).isEmpty();
    assertThat(store.findings().open("prod-eu-1")).isEmpty();
    service.pollGit();
    assertThat(store.outbox().pendingCount()).isEqualTo(afterBroken); // reported once

    write("clusters/prod-eu-1/cluster.yaml", cluster);
    commit("fix typo");
    service.pollGit();
    assertThat(service.brokenRevision()).isNull();
    assertThat(service.revision()).isNotEqualTo(good);
    assertThat(service.scanKubernetes("prod-eu-1").status()).isEqualTo(ClusterStatus.IN_SYNC);
    assertThat(store.outbox().pendingCount()).isEqualTo(afterBroken);
  }

  @Test
  void eachVerdictCarriesTheRevisionItWasComputedFrom() throws Exception {
    String good = service.revision();
    service.scanKubernetes("prod-eu-1");
    service.scanKubernetes("dev-1");
    assertThat(service.scanRevisions()).containsEntry("prod-eu-1", good);

    // A manifest every cluster but dev-1 renders breaks: their renders fail, dev-1's does not.
    write("addons/network-policies/manifests/default-deny.yaml", "kind: [unclosed\n");
    commit("broken manifest");
    service.pollGit();
    String head = service.revision();
    assertThat(head).isNotEqualTo(good);
    service.scanKubernetes("prod-eu-1");
    service.scanKubernetes("dev-1");
    assertThat(service.report("prod-eu-1").status()).isEqualTo(ClusterStatus.RENDER_ERROR);
    assertThat(service.scanRevisions())
        .as("prod-eu-1 is still compared with its last good render")
        .containsEntry("prod-eu-1", good)
        .containsEntry("dev-1", head);
  }

  @Test
  void findingsSurviveARestartWithoutASecondAlert() throws Exception {
    live.edit(INGRESS, o -> ((ObjectNode) o.get("spec")).put("replicas", 9));
    assertThat(service.scanKubernetes("prod-eu-1").status()).isEqualTo(ClusterStatus.DRIFTED);
    assertThat(store.outbox().pendingCount()).isEqualTo(1);
    service.scanKubernetes("prod-eu-1");
    assertThat(store.outbox().pendingCount()).isEqualTo(1); // repeat drift: no new message

    repo.close();
    store.close();
    start();
    assertThat(store.findings().open("prod-eu-1")).hasSize(1);
    service.scanKubernetes("prod-eu-1");
    assertThat(store.outbox().pendingCount()).isEqualTo(1);

    live.edit(INGRESS, o -> ((ObjectNode) o.get("spec")).put("replicas", 4));
    assertThat(service.scanKubernetes("prod-eu-1").status()).isEqualTo(ClusterStatus.IN_SYNC);
    assertThat(store.findings().open("prod-eu-1")).isEmpty();
    assertThat(store.outbox().pendingCount()).isGreaterThan(1); // resolved follow-up queued
  }

  @Test
  void aScanThatACommitOvertakesIsDiscardedNotReportedAsDrift() throws Exception {
    // As on the embedded defaults: a commit's new render is synced to the cluster before it is
    // installed. A scan holding the old render that reads the already synced cluster would see
    // the commit itself as drift.
    assertThat(service.scanKubernetes("staging-1").status()).isEqualTo(ClusterStatus.IN_SYNC);
    service.beforeInstall(
        fresh -> fresh.values().forEach(r -> live.sync(r.cluster(), r.objects())));
    live.duringObserve =
        () -> {
          live.duringObserve = () -> {};
          try {
            write(
                "environments/staging.yaml",
                read("environments/staging.yaml").replace("retention: 7d", "retention: 8d"));
            commit("staging retention");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          service.pollGit();
        };
    String before = service.revision();
    service.scanKubernetes("staging-1");
    assertThat(service.revision()).as("the commit was adopted mid-scan").isNotEqualTo(before);
    assertThat(store.findings().open("staging-1")).as("the overtaken scan recorded").isEmpty();
    assertThat(store.outbox().pendingCount()).isZero();
    assertThat(service.scanRevisions()).containsEntry("staging-1", before);

    ClusterReport next = service.scanKubernetes("staging-1");
    assertThat(next.status()).isEqualTo(ClusterStatus.IN_SYNC);
    assertThat(service.scanRevisions()).containsEntry("staging-1", service.revision());
  }

  @Test
  void anUnreachableClusterIsUnknownAndResolvesNothing() {
    live.edit(INGRESS, o -> ((ObjectNode) o.get("spec")).put("replicas", 9));
    service.scanKubernetes("prod-eu-1");
    live.unreachable.add("prod-eu-1");
    ClusterReport report = service.scanKubernetes("prod-eu-1");
    assertThat(report.status()).isEqualTo(ClusterStatus.UNKNOWN);
    assertThat(report.reason()).contains("connection refused");
    assertThat(store.findings().open("prod-eu-1")).hasSize(1);
  }

  /**
   * A read finds a drift that the watch's copy does not show yet (its event not delivered, or the
   * copy taken earlier): the verdict on that copy must not resolve the drift, or the next event
   * opens it again with a second alert and a second pull request.
   */
  @Test
  void aWatchVerdictOlderThanTheLastReadNeverResolvesWhatTheReadFound() throws Exception {
    assertThat(service.scanKubernetes("prod-eu-1").status()).isEqualTo(ClusterStatus.IN_SYNC);
    JsonNode watchCopy = live.clusters.get("prod-eu-1").get(INGRESS).deepCopy();
    Instant eventArrived = Instant.now().minusSeconds(1);
    live.edit(INGRESS, o -> ((ObjectNode) o.get("spec")).put("replicas", 6));
    assertThat(service.scanKubernetes("prod-eu-1").status()).isEqualTo(ClusterStatus.DRIFTED);
    long messages = store.outbox().pendingCount();
    assertThat(messages).isEqualTo(1);

    assertThat(
            service.judgeObjects(
                "prod-eu-1", Map.of(INGRESS, eventArrived), id -> watchCopy, Set.of()))
        .as("an event that arrived before the read is the read's to judge")
        .isNull();
    assertThat(
            service.judgeCache(
                "prod-eu-1",
                eventArrived,
                () -> {
                  throw new AssertionError("a cache listed before the read is not copied");
                }))
        .isNull();
    assertThat(store.findings().open("prod-eu-1")).hasSize(1);
    assertThat(store.outbox().pendingCount()).isEqualTo(messages);

    // An event after the read is news: the watch saw the change undone.
    live.edit(INGRESS, o -> ((ObjectNode) o.get("spec")).put("replicas", 4));
    assertThat(
            service.judgeObjects(
                "prod-eu-1",
                Map.of(INGRESS, Instant.now().plusSeconds(1)),
                id -> live.clusters.get("prod-eu-1").get(id),
                Set.of()))
        .isNotNull();
    assertThat(store.findings().open("prod-eu-1")).isEmpty();
  }

  /** The whole-cache verdict copies the cache once a read in progress has ended, not before. */
  @Test
  void aWholeCacheVerdictCopiesTheCacheOnlyWhenItsTurnComes() throws Exception {
    assertThat(service.scanKubernetes("prod-eu-1").status()).isEqualTo(ClusterStatus.IN_SYNC);
    Instant listed = Instant.now().plusSeconds(1);
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    live.duringObserve =
        () -> {
          live.duringObserve = () -> {};
          live.edit(INGRESS, o -> ((ObjectNode) o.get("spec")).put("replicas", 6));
          reading.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    Thread read = new Thread(() -> service.scanKubernetes("prod-eu-1"));
    read.start();
    assertThat(reading.await(30, TimeUnit.SECONDS)).isTrue();
    AtomicBoolean copiedAfterTheRead = new AtomicBoolean();
    Thread verdict =
        new Thread(
            () ->
                service.judgeCache(
                    "prod-eu-1",
                    listed,
                    () -> {
                      // the read records its drift before it lets the verdict in
                      copiedAfterTheRead.set(!store.findings().open("prod-eu-1").isEmpty());
                      return Observation.of(List.copyOf(live.clusters.get("prod-eu-1").values()));
                    }));
    verdict.start();
    Thread.sleep(200); // the verdict waits for its turn
    release.countDown();
    read.join(30_000);
    verdict.join(30_000);
    assertThat(copiedAfterTheRead).as("the cache was copied after the read ended").isTrue();
    assertThat(store.findings().open("prod-eu-1")).hasSize(1);
    assertThat(store.outbox().pendingCount()).isEqualTo(1);
  }

  static void copy(Path from, Path to) throws Exception {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}

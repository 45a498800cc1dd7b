package dev.fleetwarden.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetwarden.model.ClusterStatus;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link Store} database must show; subclasses pick the database. */
abstract class StoreContract {
  static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");
  static final String C = "prod-eu-1";

  private StoreConfig config;
  JdbcStore store;

  /** A fresh, empty database for one test. */
  abstract StoreConfig newDatabase() throws Exception;

  @BeforeEach
  void open() throws Exception {
    config = newDatabase();
    store = JdbcStore.open(config, Clock.fixed(T0, ZoneOffset.UTC));
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  void restart() {
    store.close();
    store = JdbcStore.open(config, Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC));
  }

  @Test
  void migrationsCreateTheQuartzTablesToo() throws Exception {
    try (Connection c = store.dataSource().getConnection();
        ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM QRTZ_LOCKS")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  @Test
  void valueHashKeyIsCreatedOnceAndSurvivesARestart() throws Exception {
    byte[] key = store.valueHashKey();
    assertThat(key).hasSize(32).isNotEqualTo(new byte[32]);
    key[0]++;
    assertThat(store.valueHashKey()).as("a copy is handed out").isNotEqualTo(key);
    key = store.valueHashKey();

    restart();
    assertThat(store.valueHashKey()).isEqualTo(key);
    try (JdbcStore otherNode = JdbcStore.open(config)) {
      assertThat(otherNode.valueHashKey()).isEqualTo(key);
    }
    try (Connection c = store.dataSource().getConnection();
        ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM fw_value_hash_key")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }

  @Test
  void firstScanReportsEveryDriftAsNewAndRecordsHistory() {
    ScanOutcome out =
        store.recordScan(
            new ScanInput(
                C,
                null,
                T0,
                Duration.ofMillis(1234),
                "rev1",
                List.of(
                    Drifts.replicas(C, "web", 2, 5),
                    Drifts.missing(C, "NetworkPolicy.networking.k8s.io", "a", "deny"))));

    assertThat(out.status()).isEqualTo(ClusterStatus.DRIFTED);
    assertThat(out.newFindings()).hasSize(2);
    assertThat(out.changed()).isEmpty();
    assertThat(out.resolved()).isEmpty();
    Finding web =
        out.newFindings().stream().filter(f -> f.resource().name().equals("web")).findFirst().get();
    assertThat(web.fingerprint()).isEqualTo(Fingerprints.of(Drifts.replicas(C, "web", 2, 5)));
    assertThat(web.firstSeen()).isEqualTo(T0);
    assertThat(web.severity()).isEqualTo(dev.fleetwarden.model.Severity.DRIFTED);

    List<Finding> open = store.openFindings(C);
    assertThat(open)
        .extracting(Finding::fingerprint)
        .containsExactlyInAnyOrderElementsOf(
            out.newFindings().stream().map(Finding::fingerprint).toList());
    Finding stored = store.finding(C, web.fingerprint()).orElseThrow();
    assertThat(stored.drift()).isEqualTo(Drifts.replicas(C, "web", 2, 5));
    assertThat(stored.drift().fields().get(0).manager()).isEqualTo("kubectl-edit");
    assertThat(stored.firstRevision()).isEqualTo("rev1");

    ScanRecord rec = store.lastScan(C).orElseThrow();
    assertThat(rec.status()).isEqualTo(ClusterStatus.DRIFTED);
    assertThat(rec.revision()).isEqualTo("rev1");
    assertThat(rec.newCount()).isEqualTo(2);
    assertThat(rec.openCount()).isEqualTo(2);
    assertThat(rec.duration()).isEqualTo(Duration.ofMillis(1234));
    assertThat(rec.scope()).isEqualTo("all");
  }

  @Test
  void repeatScanReportsNothingNewAndKeepsFirstSeen() {
    List<ObjectDrift> drifts = List.of(Drifts.replicas(C, "web", 2, 5));
    store.recordScan(C, T0, drifts, "rev1");
    ScanOutcome again = store.recordScan(C, T0.plusSeconds(300), drifts, "rev2");

    assertThat(again.hasNews()).isFalse();
    assertThat(again.stillOpen()).hasSize(1);
    Finding f = store.openFindings(C).get(0);
    assertThat(f.firstSeen()).isEqualTo(T0);
    assertThat(f.lastSeen()).isEqualTo(T0.plusSeconds(300));
    assertThat(f.firstRevision()).isEqualTo("rev1");
    assertThat(f.lastRevision()).isEqualTo("rev2");
  }

  @Test
  void changedLiveValueIsAChangeThatKeepsSinceWhen() {
    ObjectDrift before = Drifts.replicas(C, "web", 2, 5);
    ObjectDrift after = Drifts.replicas(C, "web", 2, 7);
    ObjectDrift other = Drifts.missing(C, "NetworkPolicy.networking.k8s.io", "a", "deny");
    store.recordScan(C, T0, List.of(before, other), "rev1");

    ScanOutcome out = store.recordScan(C, T0.plusSeconds(60), List.of(after, other), "rev1");

    assertThat(out.newFindings()).isEmpty();
    assertThat(out.resolved()).isEmpty();
    assertThat(out.stillOpen())
        .extracting(Finding::fingerprint)
        .containsExactly(Fingerprints.of(other));
    assertThat(out.changed()).hasSize(1);
    ScanOutcome.Change ch = out.changed().get(0);
    assertThat(ch.previous().fingerprint()).isEqualTo(Fingerprints.of(before));
    assertThat(ch.current().fingerprint()).isEqualTo(Fingerprints.of(after));
    assertThat(ch.current().firstSeen()).isEqualTo(T0);
    assertThat(store.finding(C, Fingerprints.of(before)).orElseThrow().supersededBy())
        .isEqualTo(Fingerprints.of(after));
    assertThat(store.finding(C, Fingerprints.of(before)).orElseThrow().isOpen()).isFalse();
    assertThat(store.openFindings(C)).hasSize(2);
    assertThat(store.lastScan(C).orElseThrow().changedCount()).isEqualTo(1);
  }

  @Test
  void driftNoLongerPresentIsResolvedAndComesBackAsNew() {
    ObjectDrift d = Drifts.replicas(C, "web", 2, 5);
    store.recordScan(C, T0, List.of(d), "rev1");

    ScanOutcome clean = store.recordScan(C, T0.plusSeconds(60), List.of(), "rev1");
    assertThat(clean.status()).isEqualTo(ClusterStatus.IN_SYNC);
    assertThat(clean.resolved())
        .extracting(Finding::fingerprint)
        .containsExactly(Fingerprints.of(d));
    assertThat(clean.resolved().get(0).resolvedAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(store.openFindings(C)).isEmpty();
    assertThat(store.finding(C, Fingerprints.of(d)).orElseThrow().resolvedAt())
        .isEqualTo(T0.plusSeconds(60));

    ScanOutcome back = store.recordScan(C, T0.plusSeconds(120), List.of(d), "rev1");
    assertThat(back.newFindings())
        .extracting(Finding::fingerprint)
        .containsExactly(Fingerprints.of(d));
    assertThat(back.newFindings().get(0).firstSeen()).isEqualTo(T0.plusSeconds(120));
    assertThat(store.openFindings(C)).hasSize(1);
  }

  @Test
  void unknownScanResolvesNothing() {
    store.recordScan(C, T0, List.of(Drifts.replicas(C, "web", 2, 5)), "rev1");

    ScanOutcome out =
        store.recordUnknown(C, T0.plusSeconds(60), "rev1", "cluster unreachable: timeout");

    assertThat(out.status()).isEqualTo(ClusterStatus.UNKNOWN);
    assertThat(out.hasNews()).isFalse();
    assertThat(out.stillOpen()).hasSize(1);
    assertThat(store.openFindings(C)).hasSize(1);
    ScanRecord rec = store.lastScan(C).orElseThrow();
    assertThat(rec.status()).isEqualTo(ClusterStatus.UNKNOWN);
    assertThat(rec.message()).isEqualTo("cluster unreachable: timeout");
    assertThat(store.recentScans(C, 10)).hasSize(2);
  }

  @Test
  void scopedScanOnlyResolvesItsOwnSource() {
    ObjectDrift kube = Drifts.replicas(C, "web", 2, 5);
    ObjectDrift tf = Drifts.bucket(C, "aws_s3_bucket.logs", "someone");
    store.recordScan(C, T0, List.of(kube, tf), "rev1");

    ScanOutcome out =
        store.recordScan(
            new ScanInput(C, DriftSource.KUBERNETES, T0.plusSeconds(60), null, "rev1", List.of()));

    assertThat(out.resolved())
        .extracting(Finding::fingerprint)
        .containsExactly(Fingerprints.of(kube));
    assertThat(store.openFindings(C))
        .extracting(Finding::fingerprint)
        .containsExactly(Fingerprints.of(tf));
    assertThat(store.lastScan(C).orElseThrow().scope()).isEqualTo("kubernetes");
    assertThatThrownBy(
            () ->
                store.recordScan(
                    new ScanInput(C, DriftSource.KUBERNETES, T0, null, "rev1", List.of(tf))))
        .hasMessageContaining("matching scope");
  }

  @Test
  void findingsSurviveARestartAndTheSameDriftIsNotNewAfterwards() {
    List<ObjectDrift> drifts =
        List.of(Drifts.replicas(C, "web", 2, 5), Drifts.bucket(C, "aws_s3_bucket.logs", "x"));
    store.recordScan(C, T0, drifts, "rev1");
    store.saveRender(C, "rev1", Set.of(new ResourceId(C, "apps", "Deployment", "ingress", "web")));

    restart();

    assertThat(store.openFindings(C)).hasSize(2);
    assertThat(store.previousRender(C)).isPresent();
    ScanOutcome out = store.recordScan(C, T0.plusSeconds(7200), drifts, "rev1");
    assertThat(out.hasNews()).isFalse();
    assertThat(out.stillOpen()).hasSize(2);
    assertThat(store.openFindings()).hasSize(2);
  }

  @Test
  void openFindingsOfAllClustersAndLastScans() {
    store.recordScan("a", T0, List.of(Drifts.replicas("a", "web", 1, 2)), "r");
    store.recordScan("b", T0, List.of(Drifts.replicas("b", "web", 1, 3)), "r");
    store.recordScan("b", T0.plusSeconds(1), List.of(), "r2");

    assertThat(store.openFindings()).extracting(Finding::cluster).containsExactly("a");
    assertThat(store.lastScans())
        .extracting(ScanRecord::cluster, ScanRecord::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", ClusterStatus.DRIFTED),
            org.assertj.core.groups.Tuple.tuple("b", ClusterStatus.IN_SYNC));
    assertThat(store.pruneScans(T0.plusMillis(500))).isEqualTo(2);
    assertThat(store.recentScans("b", 10)).extracting(ScanRecord::revision).containsExactly("r2");
  }

  @Test
  void driftOfAnotherClusterIsRefused() {
    assertThatThrownBy(
            () -> store.recordScan(C, T0, List.of(Drifts.replicas("other", "w", 1, 2)), "r"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("other/Deployment.apps/ingress/w");
    assertThat(store.recentScans(C, 10)).isEmpty();
  }

  @Test
  void renderAndRevisionState() {
    assertThat(store.previousRender(C)).isEmpty();
    assertThat(store.revisionState(C)).isEmpty();
    Set<ResourceId> ids =
        Set.of(
            new ResourceId(C, "apps", "Deployment", "ingress", "web"),
            new ResourceId(C, "", "Namespace", null, "ingress"),
            ResourceId.terraform(C, "aws_s3_bucket.logs"));

    store.saveRender(C, "rev1", ids);
    PreviousRender r = store.previousRender(C).orElseThrow();
    assertThat(r.revision()).isEqualTo("rev1");
    assertThat(r.resources()).isEqualTo(ids);
    assertThat(r.savedAt()).isEqualTo(T0);

    store.recordRenderError(C, "rev2", "addons/ingress/values.yaml:3: bad value");
    RevisionState broken = store.revisionState(C).orElseThrow();
    assertThat(broken.broken()).isTrue();
    assertThat(broken.goodRevision()).isEqualTo("rev1");
    assertThat(broken.errorRevision()).isEqualTo("rev2");
    assertThat(store.previousRender(C).orElseThrow().revision()).isEqualTo("rev1");
    assertThat(store.lastScan(C).orElseThrow().status()).isEqualTo(ClusterStatus.RENDER_ERROR);

    store.saveRender(C, "rev3", Set.of(new ResourceId(C, "apps", "Deployment", "ingress", "web")));
    RevisionState fixed = store.revisionState(C).orElseThrow();
    assertThat(fixed.broken()).isFalse();
    assertThat(fixed.goodRevision()).isEqualTo("rev3");
    assertThat(store.previousRender(C).orElseThrow().resources()).hasSize(1);
  }

  @Test
  void outboxDeliversOneChannelKeyInOrder() {
    assertThat(store.enqueue("c1/fp1", "fp1:post", "{\"text\":\"post\"}")).isTrue();
    assertThat(store.enqueue("c1/fp1", "fp1:update", "{\"text\":\"update\"}")).isTrue();
    assertThat(store.enqueue("c1/fp2", "fp2:post", "{\"text\":\"other\"}")).isTrue();
    List<OutboxMessage> first = store.claimDue(T0, 10);
    assertThat(first).extracting(OutboxMessage::dedupKey).containsExactly("fp1:post", "fp2:post");
    store.markFailed(first.get(0).id(), "boom", T0);
    store.markSent(first.get(1).id(), "ts2");
    // The update waits while its post is unsent, even after the post's lease expires.
    List<OutboxMessage> retry = store.claimDue(T0.plus(java.time.Duration.ofHours(1)), 10);
    assertThat(retry).extracting(OutboxMessage::dedupKey).containsExactly("fp1:post");
    store.markSent(retry.get(0).id(), "ts1");
    assertThat(store.claimDue(T0.plus(java.time.Duration.ofHours(2)), 10))
        .extracting(OutboxMessage::dedupKey)
        .containsExactly("fp1:update");
  }

  @Test
  void outboxIsIdempotentLeasedRetriedAndSentOnce() {
    assertThat(store.enqueue("c1/fp1", "fp1:opened", "{\"text\":\"a\"}")).isTrue();
    assertThat(store.enqueue("c1/fp1", "fp1:opened", "{\"text\":\"other\"}")).isFalse();
    assertThat(store.enqueue("c1/fp2", "fp2:opened", "{\"text\":\"b\"}")).isTrue();
    assertThat(store.pendingCount()).isEqualTo(2);

    List<OutboxMessage> first = store.claimDue(T0, 10);
    assertThat(first)
        .extracting(OutboxMessage::dedupKey)
        .containsExactly("fp1:opened", "fp2:opened");
    assertThat(first.get(0).payloadJson()).isEqualTo("{\"text\":\"a\"}");
    assertThat(first.get(0).attempts()).isEqualTo(1);
    assertThat(first.get(0).leaseUntil()).isEqualTo(T0.plus(StoreConfig.DEFAULT_OUTBOX_LEASE));
    // Leased: nobody else gets them.
    assertThat(store.claimDue(T0.plusSeconds(1), 10)).isEmpty();

    long a = first.get(0).id();
    long b = first.get(1).id();
    store.markSent(a, "C123:1700000000.000100");
    store.markFailed(b, "HTTP 500 from Slack", T0.plusSeconds(30));
    assertThat(store.message(a).orElseThrow().status()).isEqualTo(OutboxMessage.Status.SENT);
    assertThat(store.message(a).orElseThrow().externalRef()).isEqualTo("C123:1700000000.000100");
    assertThat(store.message(b).orElseThrow().lastError()).isEqualTo("HTTP 500 from Slack");

    assertThat(store.claimDue(T0.plusSeconds(29), 10)).isEmpty();
    restart();
    assertThat(store.pendingCount()).isEqualTo(1);
    List<OutboxMessage> retry = store.claimDue(T0.plusSeconds(30), 10);
    assertThat(retry).extracting(OutboxMessage::id).containsExactly(b);
    assertThat(retry.get(0).attempts()).isEqualTo(2);

    // A lease that expires without an answer (the node died) makes the row claimable again.
    Instant afterLease = T0.plusSeconds(30).plus(StoreConfig.DEFAULT_OUTBOX_LEASE).plusSeconds(1);
    assertThat(store.claimDue(afterLease, 10)).extracting(OutboxMessage::id).containsExactly(b);
    store.markSent(b, "ref-b");
    store.markFailed(b, "late failure", T0);
    assertThat(store.message(b).orElseThrow().status()).isEqualTo(OutboxMessage.Status.SENT);
    assertThat(store.claimDue(afterLease.plusSeconds(3600), 10)).isEmpty();
    assertThat(store.messageByDedupKey("fp2:opened").orElseThrow().externalRef())
        .isEqualTo("ref-b");
    assertThat(store.enqueue("c1/fp1", "fp1:opened", "{}")).isFalse();
  }

  @Test
  void concurrentClaimersNeverGetTheSameMessage() throws Exception {
    int n = 60;
    for (int i = 0; i < n; i++) {
      store.enqueue("ops/k" + i, "k" + i, "{}");
    }
    JdbcStore other = JdbcStore.open(config.withNodeId("node-b"));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<List<Long>>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        JdbcStore s = t % 2 == 0 ? store : other;
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  List<Long> mine = new ArrayList<>();
                  List<OutboxMessage> batch;
                  while (!(batch = s.claimDue(T0.plusSeconds(1), 7)).isEmpty()) {
                    batch.forEach(m -> mine.add(m.id()));
                  }
                  return mine;
                }));
      }
      go.countDown();
      List<Long> all = Collections.synchronizedList(new ArrayList<>());
      for (Future<List<Long>> f : results) {
        all.addAll(f.get(60, TimeUnit.SECONDS));
      }
      assertThat(all).hasSize(n).doesNotHaveDuplicates();
    } finally {
      pool.shutdownNow();
      other.close();
    }
  }

  @Test
  void alertAndPullRequestState() {
    assertThat(store.alertState("fp1")).isEmpty();
    store.saveAlertState(new AlertState("fp1", C, "#ops", "1700.0001", "h1", null));
    store.saveAlertState(new AlertState("fp1", C, "#ops", "1700.0001", "h2", T0.plusSeconds(5)));
    AlertState a = store.alertState("fp1").orElseThrow();
    assertThat(a.payloadHash()).isEqualTo("h2");
    assertThat(a.updatedAt()).isEqualTo(T0.plusSeconds(5));

    store.savePullRequestState(
        new PullRequestState(
            "fp1",
            C,
            C + "/Deployment.apps/ns/app",
            "fleetwarden/drift-fp1",
            null,
            null,
            null,
            PullRequestState.Status.OPEN,
            null));
    assertThat(store.pullRequestState("fp1").orElseThrow().number()).isNull();
    store.savePullRequestState(
        new PullRequestState(
            "fp1",
            C,
            C + "/Deployment.apps/ns/app",
            "fleetwarden/drift-fp1",
            42,
            "https://github.example/o/r/pull/42",
            "0123abcd",
            PullRequestState.Status.OPEN,
            null));
    store.savePullRequestState(
        new PullRequestState(
            "fp2",
            C,
            C + "/terraform/aws_vpc.main",
            "fleetwarden/drift-fp2",
            43,
            null,
            null,
            PullRequestState.Status.CLOSED_BY_REVIEWER,
            null));
    store.savePullRequestState(
        new PullRequestState(
            "fp3", C, null, "b3", 44, null, null, PullRequestState.Status.CLOSED_RESOLVED, null));
    PullRequestState fp1 = store.pullRequestState("fp1").orElseThrow();
    assertThat(fp1.number()).isEqualTo(42);
    assertThat(fp1.url()).isEqualTo("https://github.example/o/r/pull/42");
    assertThat(fp1.commit()).isEqualTo("0123abcd");
    assertThat(fp1.resource()).isEqualTo(C + "/Deployment.apps/ns/app");
    assertThat(store.pullRequests(PullRequestState.Status.OPEN))
        .extracting(PullRequestState::fingerprint)
        .containsExactly("fp1");
    store.deletePullRequestState("fp3");
    store.deletePullRequestState("no-such-fingerprint");
    restart();
    assertThat(store.alertState("fp1")).isPresent();
    assertThat(store.pullRequests(PullRequestState.Status.CLOSED_BY_REVIEWER)).hasSize(1);
    assertThat(store.pullRequestState("fp3")).isEmpty();
  }

  @Test
  void storedDriftKeepsEveryField() {
    ObjectDrift d =
        new ObjectDrift(
            new ResourceId(C, "", "Secret", "ns", "creds"),
            "app",
            DriftSource.KUBERNETES,
            dev.fleetwarden.model.DriftType.MODIFIED,
            "addons/app/secret.yaml",
            List.of(
                new FieldDrift(
                        "/data/password",
                        com.fasterxml.jackson.databind.node.TextNode.valueOf("sha256:aa"),
                        com.fasterxml.jackson.databind.node.TextNode.valueOf("sha256:bb"))
                    .withOrigin(
                        new dev.fleetwarden.model.ValueOrigin(
                            "clusters/x/values/app.yaml", 4, "/password"))));
    store.recordScan(C, T0, List.of(d), "r");
    assertThat(store.openFindings(C).get(0).drift()).isEqualTo(d);
  }
}

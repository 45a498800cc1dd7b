package dev.fleetwarden.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetwarden.model.ClusterStatus;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.Severity;
import dev.fleetwarden.model.ValueOrigin;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Ledger} must show: the store on each database, and the in-memory fakes
 * the pure tests use (so the fakes are proven to behave like the store). Subclasses open a fresh,
 * empty ledger per test.
 */
public abstract class LedgerContract {
  protected static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");
  protected static final String C = "prod-eu-1";

  /** The outbox lease every ledger under test is configured with. */
  protected static final Duration LEASE = Duration.ofMinutes(2);

  /** The clock of the ledger under test; {@link #restart()} moves it an hour on. */
  protected final MutableClock clock = new MutableClock(T0);

  protected Ledger ledger;

  /** A fresh, empty ledger on {@link #clock} with an outbox lease of {@link #LEASE}. */
  protected abstract Ledger open() throws Exception;

  /** The same data after a restart (a new process): a new connection, or the same fakes. */
  protected abstract Ledger reopen(Ledger before);

  /** Releases what {@link #open()} opened. */
  protected abstract void close(Ledger ledger);

  @BeforeEach
  void openLedger() throws Exception {
    ledger = open();
  }

  @AfterEach
  void closeLedger() {
    if (ledger != null) {
      close(ledger);
    }
  }

  protected void restart() {
    clock.advance(Duration.ofHours(1));
    ledger = reopen(ledger);
  }

  private static OutboxMessage alert(String fingerprint, String text) {
    return new OutboxMessage(
        OutboxMessage.Kind.ALERT,
        C,
        fingerprint,
        "#ops",
        AlertStatus.OPEN,
        text,
        "[]",
        "h-" + text);
  }

  private static OutboxMessage update(String fingerprint, String text) {
    return new OutboxMessage(
        OutboxMessage.Kind.UPDATE,
        C,
        fingerprint,
        "#ops",
        AlertStatus.RESOLVED,
        text,
        "[]",
        "h-" + text);
  }

  private static OutboxMessage standalone(String text) {
    return new OutboxMessage(
        OutboxMessage.Kind.STANDALONE, null, null, "#ops", null, text, "[]", "h-" + text);
  }

  @Test
  void valueHashKeyIsOneKeyHandedOutAsACopy() {
    byte[] key = ledger.valueHashKey();
    assertThat(key).hasSize(ValueHashKey.BYTES).isNotEqualTo(new byte[ValueHashKey.BYTES]);
    key[0]++;
    assertThat(ledger.valueHashKey()).as("a copy is handed out").isNotEqualTo(key);
    key = ledger.valueHashKey();
    restart();
    assertThat(ledger.valueHashKey()).isEqualTo(key);
  }

  @Test
  void firstScanReportsEveryDriftAsNewAndRecordsHistory() {
    ScanOutcome out =
        ledger
            .findings()
            .recordScan(
                new ScanInput(
                    C,
                    null,
                    T0,
                    Duration.ofMillis(1234),
                    "rev1",
                    List.of(
                        Drifts.replicas(C, "web", 2, 5),
                        Drifts.missing(C, "NetworkPolicy", "a", "deny"))));

    assertThat(out.status()).isEqualTo(ClusterStatus.DRIFTED);
    assertThat(out.newFindings()).hasSize(2);
    assertThat(out.changed()).isEmpty();
    assertThat(out.resolved()).isEmpty();
    Finding web =
        out.newFindings().stream().filter(f -> f.resource().name().equals("web")).findFirst().get();
    assertThat(web.fingerprint()).isEqualTo(Fingerprints.of(Drifts.replicas(C, "web", 2, 5)));
    assertThat(web.firstSeen()).isEqualTo(T0);
    assertThat(web.severity()).isEqualTo(Severity.DRIFTED);

    List<Finding> open = ledger.findings().open(C);
    assertThat(open)
        .extracting(Finding::fingerprint)
        .containsExactlyInAnyOrderElementsOf(
            out.newFindings().stream().map(Finding::fingerprint).toList());
    Finding stored = ledger.findings().find(C, web.fingerprint()).orElseThrow();
    assertThat(stored).isEqualTo(web);
    assertThat(stored.drift().fields().get(0).manager()).isEqualTo("kubectl-edit");
    assertThat(stored.firstRevision()).isEqualTo("rev1");

    ScanRecord rec = ledger.scans().last(C).orElseThrow();
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
    ledger.findings().recordScan(C, T0, drifts, "rev1");
    ScanOutcome again = ledger.findings().recordScan(C, T0.plusSeconds(300), drifts, "rev2");

    assertThat(again.hasNews()).isFalse();
    assertThat(again.stillOpen()).hasSize(1);
    Finding f = ledger.findings().open(C).get(0);
    assertThat(f.firstSeen()).isEqualTo(T0);
    assertThat(f.lastSeen()).isEqualTo(T0.plusSeconds(300));
    assertThat(f.firstRevision()).isEqualTo("rev1");
    assertThat(f.lastRevision()).isEqualTo("rev2");
    assertThat(f).isEqualTo(again.stillOpen().get(0));
  }

  @Test
  void changedLiveValueIsAChangeThatKeepsSinceWhen() {
    ObjectDrift before = Drifts.replicas(C, "web", 2, 5);
    ObjectDrift after = Drifts.replicas(C, "web", 2, 7);
    ObjectDrift other = Drifts.missing(C, "NetworkPolicy", "a", "deny");
    ledger.findings().recordScan(C, T0, List.of(before, other), "rev1");

    ScanOutcome out =
        ledger.findings().recordScan(C, T0.plusSeconds(60), List.of(after, other), "rev1");

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
    Finding superseded = ledger.findings().find(C, Fingerprints.of(before)).orElseThrow();
    assertThat(superseded).isEqualTo(ch.previous());
    assertThat(superseded.supersededBy()).isEqualTo(Fingerprints.of(after));
    assertThat(superseded.isOpen()).isFalse();
    assertThat(ledger.findings().open(C)).hasSize(2);
    assertThat(ledger.scans().last(C).orElseThrow().changedCount()).isEqualTo(1);
  }

  @Test
  void driftNoLongerPresentIsResolvedAndComesBackAsNew() {
    ObjectDrift d = Drifts.replicas(C, "web", 2, 5);
    ledger.findings().recordScan(C, T0, List.of(d), "rev1");

    ScanOutcome clean = ledger.findings().recordScan(C, T0.plusSeconds(60), List.of(), "rev1");
    assertThat(clean.status()).isEqualTo(ClusterStatus.IN_SYNC);
    assertThat(clean.resolved())
        .extracting(Finding::fingerprint)
        .containsExactly(Fingerprints.of(d));
    assertThat(clean.resolved().get(0).resolvedAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(ledger.findings().open(C)).isEmpty();
    assertThat(ledger.findings().find(C, Fingerprints.of(d)).orElseThrow().resolvedAt())
        .isEqualTo(T0.plusSeconds(60));

    ScanOutcome back = ledger.findings().recordScan(C, T0.plusSeconds(120), List.of(d), "rev1");
    assertThat(back.newFindings())
        .extracting(Finding::fingerprint)
        .containsExactly(Fingerprints.of(d));
    assertThat(back.newFindings().get(0).firstSeen()).isEqualTo(T0.plusSeconds(120));
    assertThat(ledger.findings().open(C)).hasSize(1);
  }

  @Test
  void unknownScanResolvesNothing() {
    ledger.findings().recordScan(C, T0, List.of(Drifts.replicas(C, "web", 2, 5)), "rev1");

    ScanOutcome out =
        ledger
            .findings()
            .recordUnknown(C, T0.plusSeconds(60), "rev1", "cluster unreachable: timeout");

    assertThat(out.status()).isEqualTo(ClusterStatus.UNKNOWN);
    assertThat(out.hasNews()).isFalse();
    assertThat(out.stillOpen()).hasSize(1);
    assertThat(ledger.findings().open(C)).hasSize(1);
    ScanRecord rec = ledger.scans().last(C).orElseThrow();
    assertThat(rec.status()).isEqualTo(ClusterStatus.UNKNOWN);
    assertThat(rec.message()).isEqualTo("cluster unreachable: timeout");
    assertThat(ledger.scans().recent(C, 10)).hasSize(2);
  }

  @Test
  void objectVerdictJudgesItsObjectsOnlyAndIsNoScan() {
    ObjectDrift web = Drifts.replicas(C, "web", 2, 5);
    ObjectDrift api = Drifts.replicas(C, "api", 2, 3);
    ObjectDrift tf = Drifts.bucket(C, "aws_s3_bucket.logs", "someone");
    ledger.findings().recordScan(C, T0, List.of(web, api, tf), "rev1");
    int scans = ledger.scans().recent(C, 10).size();

    // web is back in sync: only web is resolved, api and the cloud finding stay open
    ScanOutcome resolved =
        ledger
            .findings()
            .recordScan(
                ScanInput.objects(C, Set.of(web.resource()), T0.plusSeconds(5), "rev1", List.of()));
    assertThat(resolved.resolved())
        .extracting(Finding::fingerprint)
        .containsExactly(Fingerprints.of(web));
    assertThat(resolved.stillOpen()).isEmpty();
    assertThat(ledger.findings().open(C))
        .extracting(Finding::fingerprint)
        .containsExactlyInAnyOrder(Fingerprints.of(api), Fingerprints.of(tf));

    // api changed value: a change of that object; a new object's drift is new
    ObjectDrift api2 = Drifts.replicas(C, "api", 2, 4);
    ObjectDrift gone = Drifts.missing(C, "ConfigMap", "shop", "settings");
    ScanOutcome changed =
        ledger
            .findings()
            .recordScan(
                ScanInput.objects(
                    C,
                    Set.of(api.resource(), gone.resource()),
                    T0.plusSeconds(10),
                    "rev1",
                    List.of(api2, gone)));
    assertThat(changed.changed()).hasSize(1);
    assertThat(changed.changed().get(0).current().firstSeen()).isEqualTo(T0);
    assertThat(changed.newFindings())
        .extracting(Finding::fingerprint)
        .containsExactly(Fingerprints.of(gone));
    assertThat(ledger.scans().recent(C, 10)).as("verdicts are not scans").hasSize(scans);

    // the same verdict again is no news
    ScanOutcome again =
        ledger
            .findings()
            .recordScan(
                ScanInput.objects(
                    C, Set.of(api.resource()), T0.plusSeconds(15), "rev1", List.of(api2)));
    assertThat(again.hasNews()).isFalse();
    assertThat(again.stillOpen()).hasSize(1);
    assertThatThrownBy(
            () ->
                ledger
                    .findings()
                    .recordScan(
                        ScanInput.objects(
                            C, Set.of(api.resource()), T0, "rev1", List.of(api2, gone))))
        .hasMessageContaining("other objects");
  }

  @Test
  void scopedScanOnlyResolvesItsOwnSource() {
    ObjectDrift kube = Drifts.replicas(C, "web", 2, 5);
    ObjectDrift tf = Drifts.bucket(C, "aws_s3_bucket.logs", "someone");
    ledger.findings().recordScan(C, T0, List.of(kube, tf), "rev1");

    ScanOutcome out =
        ledger
            .findings()
            .recordScan(
                new ScanInput(
                    C, DriftSource.KUBERNETES, T0.plusSeconds(60), null, "rev1", List.of()));

    assertThat(out.resolved())
        .extracting(Finding::fingerprint)
        .containsExactly(Fingerprints.of(kube));
    assertThat(ledger.findings().open(C))
        .extracting(Finding::fingerprint)
        .containsExactly(Fingerprints.of(tf));
    assertThat(ledger.scans().last(C).orElseThrow().scope()).isEqualTo("kubernetes");
    assertThatThrownBy(
            () ->
                ledger
                    .findings()
                    .recordScan(
                        new ScanInput(C, DriftSource.KUBERNETES, T0, null, "rev1", List.of(tf))))
        .hasMessageContaining("matching scope");
  }

  @Test
  void findingsSurviveARestartAndTheSameDriftIsNotNewAfterwards() {
    List<ObjectDrift> drifts =
        List.of(Drifts.replicas(C, "web", 2, 5), Drifts.bucket(C, "aws_s3_bucket.logs", "x"));
    ledger.findings().recordScan(C, T0, drifts, "rev1");
    ledger
        .renderHistory()
        .save(C, "rev1", Set.of(new ResourceId(C, "apps", "Deployment", "ingress", "web")));

    restart();

    assertThat(ledger.findings().open(C)).hasSize(2);
    assertThat(ledger.renderHistory().previous(C)).hasSize(1);
    ScanOutcome out = ledger.findings().recordScan(C, T0.plusSeconds(7200), drifts, "rev1");
    assertThat(out.hasNews()).isFalse();
    assertThat(out.stillOpen()).hasSize(2);
    assertThat(ledger.findings().open()).hasSize(2);
  }

  @Test
  void openFindingsOfAllClustersAndLastScans() {
    ledger.findings().recordScan("a", T0, List.of(Drifts.replicas("a", "web", 1, 2)), "r");
    ledger.findings().recordScan("b", T0, List.of(Drifts.replicas("b", "web", 1, 3)), "r");
    ledger.findings().recordScan("b", T0.plusSeconds(1), List.of(), "r2");

    assertThat(ledger.findings().open()).extracting(Finding::cluster).containsExactly("a");
    assertThat(ledger.scans().lastOfEachCluster())
        .extracting(ScanRecord::cluster, ScanRecord::status)
        .containsExactly(
            Tuple.tuple("a", ClusterStatus.DRIFTED), Tuple.tuple("b", ClusterStatus.IN_SYNC));
    assertThat(ledger.scans().prune(T0.plusMillis(500))).isEqualTo(2);
    assertThat(ledger.scans().recent("b", 10))
        .extracting(ScanRecord::revision)
        .containsExactly("r2");
  }

  @Test
  void driftOfAnotherClusterIsRefusedAndNothingIsRecorded() {
    assertThatThrownBy(
            () ->
                ledger
                    .findings()
                    .recordScan(C, T0, List.of(Drifts.replicas("other", "w", 1, 2)), "r"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("other/Deployment.apps/ingress/w");
    assertThat(ledger.scans().recent(C, 10)).isEmpty();
    assertThat(ledger.findings().open()).isEmpty();
  }

  @Test
  void renderHistoryAndRevisionState() {
    assertThat(ledger.renderHistory().previous(C)).isEmpty();
    assertThat(ledger.revisions().state(C)).isEmpty();
    Set<ResourceId> ids =
        Set.of(
            new ResourceId(C, "apps", "Deployment", "ingress", "web"),
            new ResourceId(C, "", "Namespace", null, "ingress"),
            ResourceId.terraform(C, "aws_s3_bucket.logs"));

    ledger.renderHistory().save(C, "rev1", ids);
    assertThat(ledger.renderHistory().previous(C)).isEqualTo(ids);
    RevisionState good = ledger.revisions().state(C).orElseThrow();
    assertThat(good.goodRevision()).isEqualTo("rev1");
    assertThat(good.goodAt()).isEqualTo(T0);
    assertThat(good.broken()).isFalse();

    ledger.findings().recordScan(C, T0, List.of(Drifts.replicas(C, "web", 2, 5)), "rev1");
    clock.advance(Duration.ofMinutes(1));
    ledger.revisions().recordRenderError(C, "rev2", "addons/ingress/values.yaml:3: bad value");
    RevisionState broken = ledger.revisions().state(C).orElseThrow();
    assertThat(broken.broken()).isTrue();
    assertThat(broken.goodRevision()).isEqualTo("rev1");
    assertThat(broken.errorRevision()).isEqualTo("rev2");
    assertThat(broken.errorAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(ledger.renderHistory().previous(C)).isEqualTo(ids);
    ScanRecord error = ledger.scans().last(C).orElseThrow();
    assertThat(error.status()).isEqualTo(ClusterStatus.RENDER_ERROR);
    assertThat(error.openCount()).isEqualTo(1);
    assertThat(error.message()).isEqualTo("addons/ingress/values.yaml:3: bad value");

    ledger
        .renderHistory()
        .save(C, "rev3", Set.of(new ResourceId(C, "apps", "Deployment", "ingress", "web")));
    RevisionState fixed = ledger.revisions().state(C).orElseThrow();
    assertThat(fixed.broken()).isFalse();
    assertThat(fixed.goodRevision()).isEqualTo("rev3");
    assertThat(fixed.errorRevision()).isNull();
    assertThat(ledger.renderHistory().previous(C)).hasSize(1);
  }

  @Test
  void outboxKeepsTheMessageAndDeliversOneAlertInOrder() {
    Outbox outbox = ledger.outbox();
    assertThat(outbox.enqueue("fp1:post", alert("fp1", "post"))).isTrue();
    assertThat(outbox.enqueue("fp1:update", update("fp1", "update"))).isTrue();
    assertThat(outbox.enqueue("fp2:post", alert("fp2", "other"))).isTrue();
    assertThat(outbox.enqueue("digest", standalone("digest"))).isTrue();
    assertThat(outbox.enqueue("broken", standalone("broken"))).isTrue();
    List<OutboxRow> first = outbox.claimDue(T0, 10);
    assertThat(first)
        .extracting(OutboxRow::dedupKey)
        .containsExactly("fp1:post", "fp2:post", "digest", "broken");
    assertThat(first.get(0).message()).isEqualTo(alert("fp1", "post"));
    assertThat(first.get(2).message()).isEqualTo(standalone("digest"));
    outbox.markFailed(first.get(0).id(), "boom", T0);
    outbox.markSent(first.get(1).id(), new MessageRef("C2", "2.2"));
    // The update waits while its post is unsent, even after the post's lease expires.
    List<OutboxRow> retry = outbox.claimDue(T0.plus(Duration.ofHours(1)), 10);
    assertThat(retry)
        .extracting(OutboxRow::dedupKey)
        .containsExactly("fp1:post", "digest", "broken");
    outbox.markSent(retry.get(0).id(), new MessageRef("C1", "1.1"));
    List<OutboxRow> last = outbox.claimDue(T0.plus(Duration.ofHours(2)), 10);
    assertThat(last).extracting(OutboxRow::dedupKey).contains("fp1:update");
    assertThat(last.get(0).message()).isEqualTo(update("fp1", "update"));
  }

  @Test
  void outboxIsIdempotentLeasedRetriedAndSentOnce() {
    Outbox outbox = ledger.outbox();
    assertThat(outbox.enqueue("fp1:opened", alert("fp1", "a"))).isTrue();
    assertThat(outbox.enqueue("fp1:opened", alert("fp1", "other"))).isFalse();
    assertThat(outbox.enqueue("fp2:opened", alert("fp2", "b"))).isTrue();
    assertThat(outbox.pendingCount()).isEqualTo(2);
    assertThat(outbox.hasUnsent(alert("fp1", "a").orderKey())).isTrue();
    assertThat(outbox.hasUnsent(OutboxMessage.orderKey(C, "fp3"))).isFalse();
    assertThat(outbox.hasUnsent(OutboxMessage.orderKey("other-cluster", "fp1"))).isFalse();

    List<OutboxRow> first = outbox.claimDue(T0, 10);
    assertThat(first).extracting(OutboxRow::dedupKey).containsExactly("fp1:opened", "fp2:opened");
    OutboxRow a0 = first.get(0);
    assertThat(a0.message().text()).isEqualTo("a");
    assertThat(a0.attempts()).isEqualTo(1);
    assertThat(a0.earlierAttempts()).isZero();
    assertThat(a0.createdAt()).isEqualTo(T0);
    assertThat(a0.leaseUntil()).isEqualTo(T0.plus(LEASE));
    assertThat(a0.leaseOwner()).isNotBlank();
    // Leased: nobody else gets them.
    assertThat(outbox.claimDue(T0.plusSeconds(1), 10)).isEmpty();

    long a = a0.id();
    long b = first.get(1).id();
    outbox.markSent(a, new MessageRef("C123", "1700000000.000100"));
    outbox.markFailed(b, "HTTP 500 from Slack", T0.plusSeconds(30));
    assertThat(outbox.hasUnsent(OutboxMessage.orderKey(C, "fp1"))).as("sent").isFalse();
    assertThat(outbox.hasUnsent(OutboxMessage.orderKey(C, "fp2"))).as("failed, due again").isTrue();
    OutboxRow sentA = outbox.row(a).orElseThrow();
    assertThat(sentA.status()).isEqualTo(OutboxRow.Status.SENT);
    assertThat(sentA.sentAs()).isEqualTo(new MessageRef("C123", "1700000000.000100"));
    assertThat(sentA.sentAt()).isEqualTo(T0);
    assertThat(sentA.leaseUntil()).isNull();
    assertThat(outbox.row(b).orElseThrow().lastError()).isEqualTo("HTTP 500 from Slack");

    assertThat(outbox.claimDue(T0.plusSeconds(29), 10)).isEmpty();
    restart();
    outbox = ledger.outbox();
    assertThat(outbox.pendingCount()).isEqualTo(1);
    List<OutboxRow> retry = outbox.claimDue(T0.plusSeconds(30), 10);
    assertThat(retry).extracting(OutboxRow::id).containsExactly(b);
    assertThat(retry.get(0).attempts()).isEqualTo(2);
    assertThat(retry.get(0).earlierAttempts()).isEqualTo(1);

    // A lease that expires without an answer (the node died) makes the row claimable again.
    Instant afterLease = T0.plusSeconds(30).plus(LEASE).plusSeconds(1);
    assertThat(outbox.claimDue(afterLease, 10)).extracting(OutboxRow::id).containsExactly(b);
    outbox.markSent(b, new MessageRef("C9", "9.9"));
    outbox.markSent(b, new MessageRef("C9", "late duplicate"));
    outbox.markFailed(b, "late failure", T0);
    assertThat(outbox.row(b).orElseThrow().status()).isEqualTo(OutboxRow.Status.SENT);
    assertThat(outbox.row(b).orElseThrow().lastError()).isEqualTo("HTTP 500 from Slack");
    assertThat(outbox.claimDue(afterLease.plusSeconds(3600), 10)).isEmpty();
    assertThat(outbox.row("fp2:opened").orElseThrow().sentAs())
        .isEqualTo(new MessageRef("C9", "9.9"));
    assertThat(outbox.row("no-such-key")).isEmpty();
    assertThat(outbox.enqueue("fp1:opened", alert("fp1", "again"))).isFalse();
    assertThat(outbox.pendingCount()).isZero();
  }

  @Test
  void alertStateRoundTripFollowsItsFingerprintAndCluster() {
    AlertStates states = ledger.alertStates();
    assertThat(states.find(C, "fp1")).isEmpty();
    AlertState posted =
        new AlertState(C, "fp1", "C123", "1700.0001", "h1", AlertStatus.OPEN, T0, T0, null);
    states.save(posted);
    assertThat(states.find(C, "fp1")).contains(posted);
    assertThat(states.find("dev-1", "fp1")).as("another cluster's fingerprint").isEmpty();

    AlertState changed =
        posted.reminded(T0.plusSeconds(60)).updated("h2", AlertStatus.RESOLVED, T0.plusSeconds(90));
    states.save(changed);
    states.save(changed.movedTo("fp2"));
    AlertState unstamped =
        new AlertState(C, "fp3", "C123", null, "h3", AlertStatus.OPEN, null, null, null);
    states.save(unstamped);

    restart();
    states = ledger.alertStates();
    assertThat(states.find(C, "fp1")).contains(changed);
    assertThat(states.find(C, "fp2").orElseThrow().ts()).isEqualTo("1700.0001");
    assertThat(states.find(C, "fp2").orElseThrow().remindedAt()).isEqualTo(T0.plusSeconds(60));
    AlertState stamped = states.find(C, "fp3").orElseThrow();
    assertThat(stamped.updatedAt()).as("stamped when saved").isEqualTo(T0);
    assertThat(stamped.ts()).isNull();
    assertThat(stamped.createdAt()).isNull();
  }

  @Test
  void aGroupsPullRequestKeepsItsMemberClustersAcrossARestart() {
    PullRequests prs = ledger.pullRequests();
    PullRequestState group =
        new PullRequestState(
            PullRequestState.FLEET,
            "gfp1",
            "Deployment.apps/ingress-system/ingress-controller",
            "fleetwarden/group/gfp1",
            9,
            "https://github.example/org/fleet/pull/9",
            "abc123",
            PullRequestState.Status.OPEN,
            T0,
            java.util.List.of("prod-eu-1", "prod-us-1"));
    prs.save(group);
    restart();
    prs = ledger.pullRequests();
    assertThat(prs.find(PullRequestState.FLEET, "gfp1")).contains(group);
    assertThat(prs.open(PullRequestState.FLEET)).containsExactly(group);
    assertThat(prs.open("prod-eu-1")).as("kept under the fleet, not a member").isEmpty();
    prs.save(group.with(PullRequestState.Status.CLOSED_RESOLVED));
    assertThat(prs.find(PullRequestState.FLEET, "gfp1").orElseThrow().members())
        .containsExactly("prod-eu-1", "prod-us-1");
  }

  @Test
  void openAlertStatesOfAClusterAreFoundAfterARestart() {
    AlertStates states = ledger.alertStates();
    String fleet = "fleet/groups";
    states.save(new AlertState(fleet, "g2", "C1", "1.2", "h", AlertStatus.OPEN, T0, T0, null));
    states.save(new AlertState(fleet, "g1", "C1", "1.1", "h", AlertStatus.OPEN, T0, T0, null));
    states.save(new AlertState(fleet, "g3", "C1", "1.3", "h", AlertStatus.RESOLVED, T0, T0, null));
    states.save(new AlertState(C, "fp1", "C1", "1.4", "h", AlertStatus.OPEN, T0, T0, null));

    restart();
    states = ledger.alertStates();
    assertThat(states.openOf(fleet))
        .extracting(AlertState::fingerprint)
        .as("open ones only, of that cluster, by key")
        .containsExactly("g1", "g2");
    assertThat(states.openOf(C)).extracting(AlertState::fingerprint).containsExactly("fp1");
    assertThat(states.openOf("nowhere")).isEmpty();
  }

  @Test
  void pullRequestStateSurvivesARestartAndBelongsToItsCluster() {
    PullRequests prs = ledger.pullRequests();
    PullRequestState open =
        new PullRequestState(
            C,
            "fp1",
            C + "/terraform/aws_eks_node_group.general",
            "fleetwarden/drift/" + C + "/fp1",
            7,
            "https://github.example/org/fleet/pull/7",
            "abc123",
            PullRequestState.Status.OPEN,
            T0);
    prs.save(
        new PullRequestState(
            C,
            "fp1",
            null,
            "fleetwarden/drift/fp1",
            0,
            null,
            null,
            PullRequestState.Status.OPEN,
            null));
    assertThat(prs.find(C, "fp1").orElseThrow().number()).as("not opened yet").isZero();
    assertThat(prs.find(C, "fp1").orElseThrow().updatedAt()).as("stamped").isEqualTo(T0);
    prs.save(
        new PullRequestState(
            "dev-1",
            "fp2",
            "dev-1/ConfigMap/a/b",
            "b2",
            8,
            null,
            null,
            PullRequestState.Status.OPEN,
            T0));
    prs.save(open.with(PullRequestState.Status.CLOSED_BY_REVIEWER));
    assertThat(prs.open(C)).isEmpty();
    prs.save(open);
    prs.save(
        new PullRequestState(
            C, "fp3", null, "b3", 44, null, null, PullRequestState.Status.CLOSED_RESOLVED, T0));
    prs.save(
        new PullRequestState(
            C,
            "fp0",
            C + "/ConfigMap/a/c",
            "b0",
            45,
            null,
            null,
            PullRequestState.Status.OPEN,
            T0));

    restart();
    prs = ledger.pullRequests();
    assertThat(prs.find(C, "fp1")).contains(open);
    assertThat(prs.find("dev-1", "fp1")).as("another cluster's fingerprint").isEmpty();
    assertThat(prs.open(C)).extracting(PullRequestState::fingerprint).containsExactly("fp0", "fp1");
    assertThat(prs.find(C, "fp3").orElseThrow().status())
        .isEqualTo(PullRequestState.Status.CLOSED_RESOLVED);
    prs.delete(C, "fp2"); // not this cluster's: kept
    assertThat(prs.open("dev-1")).hasSize(1);
    prs.delete("dev-1", "fp2");
    prs.delete(C, "no-such-fingerprint");
    assertThat(prs.open("dev-1")).isEmpty();
    assertThat(prs.find("dev-1", "fp2")).isEmpty();
  }

  @Test
  void storedDriftKeepsEveryField() {
    ObjectDrift d =
        new ObjectDrift(
            new ResourceId(C, "", "Secret", "ns", "creds"),
            "app",
            DriftSource.KUBERNETES,
            DriftType.MODIFIED,
            "addons/app/secret.yaml",
            List.of(
                new FieldDrift(
                        "/data/password",
                        com.fasterxml.jackson.databind.node.TextNode.valueOf("sha256:aa"),
                        com.fasterxml.jackson.databind.node.TextNode.valueOf("sha256:bb"))
                    .withOrigin(new ValueOrigin("clusters/x/values/app.yaml", 4, "/password"))));
    ledger.findings().recordScan(C, T0, List.of(d), "r");
    assertThat(ledger.findings().open(C).get(0).drift()).isEqualTo(d);
  }
}

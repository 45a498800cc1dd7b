package dev.fleetwarden.store.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.fleetwarden.fleet.FleetSettings.NotificationRoute;
import dev.fleetwarden.ledger.AlertState;
import dev.fleetwarden.ledger.AlertStatus;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.Fingerprints;
import dev.fleetwarden.ledger.OutboxMessage;
import dev.fleetwarden.ledger.OutboxRow;
import dev.fleetwarden.ledger.PullRequestState;
import dev.fleetwarden.ledger.ScanOutcome;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.notify.AlertPlan;
import dev.fleetwarden.notify.AlertPlanner;
import dev.fleetwarden.notify.AlertRouter;
import dev.fleetwarden.notify.ClusterContext;
import dev.fleetwarden.notify.ClusterFindings;
import dev.fleetwarden.notify.PlannedMessage;
import dev.fleetwarden.store.JdbcStore;
import dev.fleetwarden.store.StoreConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A store written before resource ids carried the API group (schema V4: open findings with their
 * alert state, a pull request, outbox rows and a render), opened by this version: the V6 migration
 * and the first scan keep every finding's history. Subclasses pick the database.
 */
abstract class GroupRekeyContract {
  static final String C = "prod-eu-1";
  static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
  static final Instant T1 = T0.plusSeconds(3600);
  static final Instant T2 = T1.plusSeconds(3600);
  static final String TS = "1700000000.000100";
  static final String POLICY_TS = "1700000000.000200";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /** A Deployment (group apps: the migration resolves it from the kind). */
  static final ObjectDrift DEPLOYMENT =
      new ObjectDrift(
          new ResourceId(C, "apps", "Deployment", "ingress", "web"),
          "ingress",
          DriftSource.KUBERNETES,
          DriftType.MODIFIED,
          "addons/ingress/chart/templates/deployment.yaml",
          List.of(
              new FieldDrift("/spec/replicas", IntNode.valueOf(2), IntNode.valueOf(5))
                  .withManager("kubectl-edit", Instant.parse("2026-02-28T10:00:00Z"))));

  /** The Deployment's earlier drift, superseded by {@link #DEPLOYMENT}. */
  static final ObjectDrift DEPLOYMENT_BEFORE =
      new ObjectDrift(
          DEPLOYMENT.resource(),
          "ingress",
          DriftSource.KUBERNETES,
          DriftType.MODIFIED,
          DEPLOYMENT.file(),
          List.of(new FieldDrift("/spec/replicas", IntNode.valueOf(2), IntNode.valueOf(4))));

  /** A custom resource: no stored row says its group, the first scan does. */
  static final ObjectDrift POLICY =
      new ObjectDrift(
          new ResourceId(C, "kyverno.io", "ClusterPolicy", null, "require-labels"),
          "policies",
          DriftSource.KUBERNETES,
          DriftType.MODIFIED,
          "addons/policies/manifests/require-labels.yaml",
          List.of(
              new FieldDrift(
                  "/spec/validationFailureAction",
                  TextNode.valueOf("Enforce"),
                  TextNode.valueOf("Audit"))));

  /** A core kind: its id and fingerprint do not change. */
  static final ObjectDrift CONFIG_MAP =
      new ObjectDrift(
          new ResourceId(C, "", "ConfigMap", "ingress", "settings"),
          "ingress",
          DriftSource.KUBERNETES,
          DriftType.MODIFIED,
          "addons/ingress/chart/templates/configmap.yaml",
          List.of(new FieldDrift("/data/mode", TextNode.valueOf("a"), TextNode.valueOf("b"))));

  private StoreConfig config;
  private JdbcStore store;

  /** A fresh, empty database for one test. */
  abstract StoreConfig newDatabase() throws Exception;

  @BeforeEach
  void createDatabase() throws Exception {
    config = newDatabase();
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void findingsAlertStatePullRequestsOutboxAndRendersMoveToTheGroupedIds() throws Exception {
    String deployOld = Fingerprints.legacy(DEPLOYMENT);
    String policyOld = Fingerprints.legacy(POLICY);
    String deployNew = Fingerprints.of(DEPLOYMENT);
    String policyNew = Fingerprints.of(POLICY);
    assertThat(deployNew).isNotEqualTo(deployOld);
    assertThat(Fingerprints.legacy(CONFIG_MAP)).isEqualTo(Fingerprints.of(CONFIG_MAP));
    writeVersion4Store();

    store = JdbcStore.open(config, Clock.fixed(T1, ZoneOffset.UTC));

    // The Deployment's finding, its history, alert, pull request and outbox rows moved.
    Finding deploy = store.findings().find(C, deployNew).orElseThrow();
    assertThat(deploy.resource()).isEqualTo(DEPLOYMENT.resource());
    assertThat(deploy.drift()).isEqualTo(DEPLOYMENT);
    assertThat(deploy.firstSeen()).isEqualTo(T0);
    assertThat(store.findings().find(C, deployOld)).isEmpty();
    Finding before = store.findings().find(C, Fingerprints.of(DEPLOYMENT_BEFORE)).orElseThrow();
    assertThat(before.supersededBy()).isEqualTo(deployNew);
    assertThat(before.resource()).isEqualTo(DEPLOYMENT.resource());
    assertThat(store.alertStates().find(C, deployNew)).isPresent();
    assertThat(store.alertStates().find(C, deployOld)).isEmpty();
    PullRequestState pr = store.pullRequests().find(C, deployNew).orElseThrow();
    assertThat(pr.resource()).isEqualTo(DEPLOYMENT.resource().toString());
    assertThat(pr.branch()).isEqualTo("fleetwarden/drift/" + C + "/" + deployOld.substring(0, 8));
    assertThat(pr.number()).isEqualTo(7);
    assertThat(store.pullRequests().find(C, deployOld)).isEmpty();
    String updateKey = "update:" + C + ":" + deployNew + ":h2:" + T0;
    OutboxRow pending = store.outbox().row(updateKey).orElseThrow();
    assertThat(pending.message().cluster()).isEqualTo(C);
    assertThat(pending.message().fingerprint()).isEqualTo(deployNew);
    assertThat(store.outbox().row("alert:" + C + ":" + deployNew)).isPresent();
    assertThat(store.outbox().row("alert:" + C + ":" + deployOld)).isEmpty();
    assertThat(store.renderHistory().previous(C))
        .contains(DEPLOYMENT.resource(), CONFIG_MAP.resource());

    // The custom resource waits, unchanged, for a scan to tell its group.
    Finding policy = store.findings().find(C, policyOld).orElseThrow();
    assertThat(policy.resource()).isEqualTo(POLICY.resource().withGroup(""));
    assertThat(store.findings().find(C, Fingerprints.of(CONFIG_MAP))).isPresent();

    // The same drifts seen again: nothing new, first seen kept, the alert states found.
    ScanOutcome again =
        store
            .findings()
            .recordScan(C, T1, List.of(DEPLOYMENT, POLICY, CONFIG_MAP), "rev-after-upgrade");
    assertThat(again.newFindings()).isEmpty();
    assertThat(again.changed()).isEmpty();
    assertThat(again.resolved()).isEmpty();
    assertThat(again.stillOpen())
        .extracting(Finding::fingerprint)
        .containsExactlyInAnyOrder(deployNew, policyNew, Fingerprints.of(CONFIG_MAP));
    assertThat(again.stillOpen()).allSatisfy(f -> assertThat(f.firstSeen()).isEqualTo(T0));
    assertThat(store.findings().find(C, policyOld)).isEmpty();
    assertThat(store.findings().find(C, policyNew).orElseThrow().resource())
        .isEqualTo(POLICY.resource());
    assertThat(store.findings().open(C)).hasSize(3);

    var states = store.alertStates();
    ClusterFindings seenAgain =
        new ClusterFindings(context(), again, "rev-after-upgrade", null, Map.of());
    Map<String, AlertState> found = planner().statesFor(seenAgain, states);
    assertThat(found).containsOnlyKeys(deployNew, policyNew, Fingerprints.of(CONFIG_MAP));
    assertThat(found.get(deployNew).ts()).isEqualTo(TS);
    assertThat(found.get(policyNew).ts()).isEqualTo(POLICY_TS);
    assertThat(planner().plan(seenAgain, found).messages()).as("no new alert").isEmpty();

    // Resolved later: the follow-up edits the message posted before the upgrade.
    ScanOutcome resolved = store.findings().recordScan(C, T2, List.of(CONFIG_MAP), "rev-fixed");
    assertThat(resolved.resolved())
        .extracting(Finding::fingerprint)
        .containsExactlyInAnyOrder(deployNew, policyNew);
    ClusterFindings gone = new ClusterFindings(context(), resolved, "rev-fixed", null, Map.of());
    Map<String, AlertState> resolvedStates = planner().statesFor(gone, states);
    AlertPlan plan = planner().plan(gone, resolvedStates);
    assertThat(plan.messages())
        .extracting(PlannedMessage::message)
        .noneMatch(m -> m.kind() == OutboxMessage.Kind.ALERT)
        .anyMatch(
            m ->
                m.kind() == OutboxMessage.Kind.UPDATE
                    && m.fingerprint().equals(deployNew)
                    && m.status() == AlertStatus.RESOLVED);
    assertThat(resolvedStates.get(deployNew).message().ts()).isEqualTo(TS);
  }

  @Test
  void aFindingWhoseDriftNoLongerGivesItsFingerprintIsKeptAsItWas() throws Exception {
    writeVersion4Store();
    String damaged = "0123456789abcdef0123456789abcdef";
    try (Connection c =
        DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password())) {
      ObjectDrift missing =
          new ObjectDrift(
              DEPLOYMENT.resource(),
              "ingress",
              DriftSource.KUBERNETES,
              DriftType.MISSING,
              DEPLOYMENT.file(),
              List.of());
      finding(c, missing, damaged, T0, null, null);
    }

    store = JdbcStore.open(config, Clock.fixed(T1, ZoneOffset.UTC));

    Finding kept = store.findings().find(C, damaged).orElseThrow();
    assertThat(kept.resource()).isEqualTo(DEPLOYMENT.resource().withGroup(""));
    assertThat(kept.isOpen()).isTrue();
    assertThat(store.findings().find(C, Fingerprints.of(DEPLOYMENT))).isPresent();
    // Not reported again: resolved as any finding that a scan no longer reports.
    ScanOutcome next = store.findings().recordScan(C, T1, List.of(DEPLOYMENT), "rev-after-upgrade");
    assertThat(next.resolved()).extracting(Finding::fingerprint).contains(damaged);
    assertThat(next.newFindings()).isEmpty();
  }

  @Test
  void aFindingStoredWithIndexPathsIsAdoptedByTheSameDriftReportedAtItsKey() throws Exception {
    store = JdbcStore.open(config, Clock.fixed(T1, ZoneOffset.UTC));
    ObjectDrift indexed = image("/spec/template/spec/containers/1/image", "web:2");
    ObjectDrift keyed = image("/spec/template/spec/containers/name=web/image", "web:2");
    String before = Fingerprints.of(indexed);
    String after = Fingerprints.of(keyed);
    assertThat(after).isNotEqualTo(before);
    assertThat(Fingerprints.sameBeforeKeyedPaths(indexed, keyed)).isTrue();
    assertThat(
            Fingerprints.sameBeforeKeyedPaths(
                indexed, image("/spec/template/spec/containers/name=web/image", "web:3")))
        .as("another live value is another drift")
        .isFalse();
    store.findings().recordScan(C, T0, List.of(indexed), "rev-before-upgrade");
    store
        .alertStates()
        .save(new AlertState(C, before, "#alerts", TS, "h1", AlertStatus.OPEN, T0, T0, null));

    ScanOutcome again = store.findings().recordScan(C, T1, List.of(keyed), "rev-after-upgrade");

    assertThat(again.newFindings()).isEmpty();
    assertThat(again.resolved()).isEmpty();
    assertThat(again.changed()).isEmpty();
    assertThat(again.stillOpen()).extracting(Finding::fingerprint).containsExactly(after);
    assertThat(again.stillOpen().get(0).firstSeen()).isEqualTo(T0);
    assertThat(store.findings().find(C, before)).isEmpty();
    assertThat(store.alertStates().find(C, after)).isPresent();
    assertThat(store.alertStates().find(C, before)).isEmpty();

    // a changed live value afterwards is a changed drift, as always
    ScanOutcome changed =
        store
            .findings()
            .recordScan(
                C,
                T2,
                List.of(image("/spec/template/spec/containers/name=web/image", "web:3")),
                "rev-later");
    assertThat(changed.changed()).hasSize(1);
  }

  private static ObjectDrift image(String path, String live) {
    return new ObjectDrift(
        new ResourceId(C, "apps", "Deployment", "shop", "web"),
        "shop",
        DriftSource.KUBERNETES,
        DriftType.MODIFIED,
        "addons/shop/chart/templates/deployment.yaml",
        List.of(
            new FieldDrift(path, TextNode.valueOf("web:1"), TextNode.valueOf(live))
                .withManager("kubectl-edit", Instant.parse("2026-02-28T10:00:00Z"))));
  }

  private static ClusterContext context() {
    return new ClusterContext(C, "prod", Map.of(), Map.of());
  }

  private static AlertPlanner planner() {
    return new AlertPlanner(
        new AlertRouter(List.of(new NotificationRoute(null, null, null, "#alerts", null)), null),
        null);
  }

  // ------------------------------------------------------------- the store as V4 wrote it

  private void writeVersion4Store() throws Exception {
    Flyway.configure()
        .dataSource(config.jdbcUrl(), config.user(), config.password())
        .locations(
            "classpath:db/migration/common",
            "classpath:db/migration/" + (config.isPostgres() ? "postgresql" : "h2"))
        .target("4")
        .load()
        .migrate();
    String deployOld = Fingerprints.legacy(DEPLOYMENT);
    String beforeOld = Fingerprints.legacy(DEPLOYMENT_BEFORE);
    String policyOld = Fingerprints.legacy(POLICY);
    try (Connection c =
        DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password())) {
      finding(c, DEPLOYMENT_BEFORE, beforeOld, T0, T0, deployOld);
      finding(c, DEPLOYMENT, deployOld, T0, null, null);
      finding(c, POLICY, policyOld, T0, null, null);
      finding(c, CONFIG_MAP, Fingerprints.of(CONFIG_MAP), T0, null, null);
      alertState(c, deployOld, TS);
      alertState(c, policyOld, POLICY_TS);
      alertState(c, Fingerprints.of(CONFIG_MAP), "1700000000.000300");
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO fw_pr_state (fingerprint, cluster, branch, pr_number, status,"
                  + " updated_at, resource, url, head_commit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, deployOld);
        ps.setString(2, C);
        ps.setString(3, "fleetwarden/drift/" + C + "/" + deployOld.substring(0, 8));
        ps.setInt(4, 7);
        ps.setString(5, "OPEN");
        ps.setObject(6, ts(T0));
        ps.setString(7, DEPLOYMENT.resource().withGroup("").toString());
        ps.setString(8, "https://github.example/org/fleet/pull/7");
        ps.setString(9, "0123abcd");
        ps.executeUpdate();
      }
      outbox(c, deployOld, "alert:" + C + ":" + deployOld, OutboxMessage.Kind.ALERT, "SENT");
      outbox(
          c,
          deployOld,
          "update:" + C + ":" + deployOld + ":h2:" + T0,
          OutboxMessage.Kind.UPDATE,
          "PENDING");
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO fw_render (cluster, revision, resource_ids, saved_at)"
                  + " VALUES (?, ?, ?, ?)")) {
        ps.setString(1, C);
        ps.setString(2, "rev-before-upgrade");
        ps.setString(
            3,
            JSON.writeValueAsString(
                List.of(
                    CONFIG_MAP.resource().toString(),
                    DEPLOYMENT.resource().withGroup("").toString(),
                    POLICY.resource().withGroup("").toString())));
        ps.setObject(4, ts(T0));
        ps.executeUpdate();
      }
    }
  }

  private static void finding(
      Connection c,
      ObjectDrift d,
      String fingerprint,
      Instant firstSeen,
      Instant resolvedAt,
      String supersededBy)
      throws Exception {
    String oldId = d.resource().withGroup("").toString();
    JsonNode json = JSON.valueToTree(d);
    ((com.fasterxml.jackson.databind.node.ObjectNode) json).put("resource", oldId);
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO fw_finding (cluster, fingerprint, resource_id, source, severity,"
                + " drift_type, drift_json, first_seen, last_seen, resolved_at, first_revision,"
                + " last_revision, superseded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, C);
      ps.setString(2, fingerprint);
      ps.setString(3, oldId);
      ps.setString(4, d.source().name());
      ps.setString(5, d.severity().name());
      ps.setString(6, d.type().name());
      ps.setString(7, JSON.writeValueAsString(json));
      ps.setObject(8, ts(firstSeen));
      ps.setObject(9, ts(resolvedAt == null ? firstSeen : resolvedAt));
      ps.setObject(10, ts(resolvedAt));
      ps.setString(11, "rev-before-upgrade");
      ps.setString(12, "rev-before-upgrade");
      ps.setString(13, supersededBy);
      ps.executeUpdate();
    }
  }

  private static void alertState(Connection c, String fingerprint, String ts) throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO fw_alert_state (fingerprint, cluster, channel, message_ref,"
                + " payload_hash, updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, fingerprint);
      ps.setString(2, C);
      ps.setString(3, "C0ALERTS");
      ps.setString(4, "{\"ts\":\"" + ts + "\",\"status\":\"OPEN\",\"createdAt\":\"" + T0 + "\"}");
      ps.setString(5, "h1");
      ps.setObject(6, ts(T0));
      ps.executeUpdate();
    }
  }

  private static void outbox(
      Connection c, String fingerprint, String dedupKey, OutboxMessage.Kind kind, String status)
      throws Exception {
    OutboxMessage m =
        new OutboxMessage(kind, C, fingerprint, "#alerts", AlertStatus.OPEN, "drift", "[]", "h2");
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO fw_outbox (channel_key, dedup_key, payload, status, attempts,"
                + " created_at, next_attempt_at, sent_at) VALUES (?, ?, ?, ?, 0, ?, ?, ?)")) {
      ps.setString(1, C + "/" + fingerprint);
      ps.setString(2, dedupKey);
      ps.setString(3, new ObjectMapper().writeValueAsString(m));
      ps.setString(4, status);
      ps.setObject(5, ts(T0));
      ps.setObject(6, ts(T0));
      ps.setObject(7, "SENT".equals(status) ? ts(T0) : null);
      ps.executeUpdate();
    }
  }

  private static OffsetDateTime ts(Instant i) {
    return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }
}

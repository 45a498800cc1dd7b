package dev.fleetwarden.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleetwarden.fleet.FleetSettings.NotificationRoute;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.ledger.ScanOutcome;
import dev.fleetwarden.model.ClusterStatus;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.ValueOrigin;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Drifts, clusters and routes shared by the notify tests. */
final class NotifyFixtures {
  static final Instant T0 = Instant.parse("2026-11-23T07:00:00Z");
  static final String COMMIT = "3f2a9c1d0e4b5a69788a9b0c1d2e3f4a5b6c7d8e";
  static final String COMMIT_URL = "https://git.example.org/fleet/commit/" + COMMIT;
  static final String PR_URL = "https://github.com/example-org/fleet/pull/42";

  /** The plaintext of the Secret used in secret tests: must never leave the process. */
  static final String SECRET_VALUE = "hunter2-Sup3rS3cret!";

  static final List<NotificationRoute> ROUTES =
      List.of(
          new NotificationRoute("prod", null, null, "#platform-prod-alerts", "@platform-oncall"),
          new NotificationRoute(null, null, "team-security", "#security-alerts", null),
          new NotificationRoute(null, Map.of("tier", "critical"), null, "#critical", null),
          new NotificationRoute(null, null, null, "#platform-alerts", null));

  static final ClusterContext PROD =
      new ClusterContext(
          "prod-eu-1",
          "prod",
          Map.of("region", "eu-west-1", "tier", "critical"),
          Map.of("ingress", "team-platform", "policies", "team-security"));

  static final ClusterContext DEV =
      new ClusterContext(
          "dev", "dev", Map.of(), Map.of("ingress", "team-platform", "policies", "team-security"));

  private NotifyFixtures() {}

  static AlertRouter router() {
    return new AlertRouter(ROUTES, null);
  }

  static AlertPlanner planner(Duration reminderAfter) {
    return new AlertPlanner(router(), reminderAfter);
  }

  static ObjectDrift replicas(String cluster, int desired, int live) {
    return new ObjectDrift(
        new ResourceId(cluster, "apps", "Deployment", "ingress", "ingress-controller"),
        "ingress",
        DriftSource.KUBERNETES,
        DriftType.MODIFIED,
        "addons/ingress/chart/templates/deployment.yaml",
        List.of(
            new FieldDrift("/spec/replicas", IntNode.valueOf(desired), IntNode.valueOf(live))
                .withManager("kubectl-edit", T0.minus(Duration.ofMinutes(10)))
                .withOrigin(
                    new ValueOrigin(
                        "clusters/" + cluster + "/values/ingress.yaml",
                        4,
                        "/controller/replicas"))));
  }

  static ObjectDrift image(String cluster, String desired, String live) {
    return new ObjectDrift(
        new ResourceId(cluster, "apps", "Deployment", "ingress", "ingress-controller"),
        "ingress",
        DriftSource.KUBERNETES,
        DriftType.MODIFIED,
        "addons/ingress/chart/templates/deployment.yaml",
        List.of(
            new FieldDrift(
                    "/spec/template/spec/containers/name=controller/image",
                    TextNode.valueOf(desired),
                    TextNode.valueOf(live))
                .withManager("kubectl-set", T0)));
  }

  /** A ConfigMap of the ingress add-on whose {@code mode} was changed to {@code live}. */
  static ObjectDrift configValue(String cluster, String name, String live) {
    return new ObjectDrift(
        new ResourceId(cluster, "", "ConfigMap", "ingress", name),
        "ingress",
        DriftSource.KUBERNETES,
        DriftType.MODIFIED,
        "addons/ingress/manifests/" + name + ".yaml",
        List.of(
            new FieldDrift("/data/mode", TextNode.valueOf("normal"), TextNode.valueOf(live))
                .withManager("kubectl-edit", T0)));
  }

  static ObjectDrift missingPolicy(String cluster) {
    return new ObjectDrift(
        new ResourceId(cluster, "networking.k8s.io", "NetworkPolicy", "team-a", "default-deny"),
        "policies",
        DriftSource.KUBERNETES,
        DriftType.MISSING,
        "addons/policies/manifests/default-deny.yaml",
        List.of());
  }

  static String base64(String s) {
    return java.util.Base64.getEncoder()
        .encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** A Secret value masked as the diff masks it (a keyed hash under a fixed test key). */
  static String masked(String s) {
    return HASHER.hash(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)).asText();
  }

  private static final dev.fleetwarden.drift.SecretHasher HASHER =
      new dev.fleetwarden.drift.SecretHasher(new byte[32]);

  /**
   * A Secret drift as the diff hands it over: data masked as keyed hashes. It also carries the
   * {@code last-applied-configuration} annotation, which holds the Secret's base64 data in clear
   * JSON: the formatter must hide it.
   */
  static ObjectDrift secretDrift(String cluster) {
    String lastApplied =
        "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"data\":{\"password\":\""
            + base64(SECRET_VALUE)
            + "\"}}";
    JsonNode objectValue;
    try {
      objectValue =
          new ObjectMapper()
              .readTree("{\"password\":\"" + SECRET_VALUE + "\",\"note\":\"raw value\"}");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return new ObjectDrift(
        new ResourceId(cluster, "", "Secret", "ingress", "ingress-basic-auth"),
        "ingress",
        DriftSource.KUBERNETES,
        DriftType.MODIFIED,
        "addons/ingress/manifests/basic-auth.yaml",
        List.of(
            new FieldDrift(
                    "/data/password",
                    TextNode.valueOf(masked("old-password")),
                    TextNode.valueOf(masked(SECRET_VALUE)))
                .withManager("kubectl-edit", T0),
            new FieldDrift(
                "/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration",
                null,
                TextNode.valueOf(lastApplied)),
            new FieldDrift("/stringData", null, objectValue)));
  }

  /** An open finding of a drift under a test fingerprint, first seen at {@code since}. */
  static Finding finding(String fingerprint, ObjectDrift drift, Instant since) {
    return Finding.opened(fingerprint, drift, since, since, COMMIT);
  }

  /** A finding that resolved at {@code resolvedAt}, open since {@code since}. */
  static Finding resolved(String fingerprint, ObjectDrift last, Instant since, Instant resolvedAt) {
    return finding(fingerprint, last, since).resolved(resolvedAt);
  }

  /**
   * A drift of one resource that changed from {@code before} to {@code after}: the finding under
   * {@code fingerprint} (the alert's) is superseded by {@code fingerprint + "-now"}.
   */
  static ScanOutcome.Change changed(
      String fingerprint, ObjectDrift before, ObjectDrift after, Instant since) {
    Finding current = finding(fingerprint + "-now", after, since);
    return new ScanOutcome.Change(
        finding(fingerprint, before, since).resolved(since).withSupersededBy(current.fingerprint()),
        current);
  }

  /** A scan of {@code cluster} at {@code at} as the ledger records it (null lists: none). */
  static ClusterFindings scan(
      ClusterContext cluster,
      Instant at,
      List<Finding> added,
      List<ScanOutcome.Change> changed,
      List<Finding> resolved,
      List<Finding> open) {
    ScanOutcome outcome =
        new ScanOutcome(
            cluster.cluster(), at, ClusterStatus.DRIFTED, added, changed, resolved, open);
    return new ClusterFindings(cluster, outcome, COMMIT, COMMIT_URL, Map.of());
  }

  /** The same scan with {@code url} as the pull request of every fingerprint in it. */
  static ClusterFindings withPullRequest(ClusterFindings scan, String url) {
    Map<String, String> urls = new java.util.HashMap<>();
    ScanOutcome o = scan.outcome();
    o.newFindings().forEach(f -> urls.put(f.fingerprint(), url));
    o.changed().forEach(c -> urls.put(c.current().fingerprint(), url));
    o.resolved().forEach(f -> urls.put(f.fingerprint(), url));
    o.stillOpen().forEach(f -> urls.put(f.fingerprint(), url));
    return new ClusterFindings(scan.cluster(), o, scan.commit(), scan.commitUrl(), urls);
  }

  /**
   * Plans a scan as the service does ({@code reconcile.Alerts}): with the alert states it needs and
   * the incidents that have messages waiting in the outbox.
   */
  static AlertPlan plan(
      AlertPlanner planner,
      ClusterFindings scan,
      dev.fleetwarden.ledger.AlertStates states,
      dev.fleetwarden.ledger.Outbox outbox) {
    java.util.Set<String> waiting = new java.util.HashSet<>();
    for (String key : planner.incidentKeys(scan)) {
      if (outbox.hasUnsent(
          dev.fleetwarden.ledger.OutboxMessage.orderKey(scan.cluster().cluster(), key))) {
        waiting.add(key);
      }
    }
    return planner.plan(scan, planner.statesFor(scan, states), waiting);
  }

  /** The routing context of the fixture clusters, by name (what the digest takes). */
  static Map<String, ClusterContext> clusters() {
    return Map.of(PROD.cluster(), PROD, DEV.cluster(), DEV);
  }
}

package dev.fleetwarden.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.fleetwarden.drift.SecretHasher;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.ledger.InMemoryLedger;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.Provenance;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.preview.DriftEffect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Drift under the head, judged from the ledger's open findings without reading a cluster. */
class LedgerDriftTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final JsonNodeFactory N = JsonNodeFactory.instance;
  private static final Instant AT = Instant.parse("2026-11-23T02:14:09Z");
  private static final ResourceId WEB = ResourceId.parse("prod/Deployment.apps/shop/web");
  private static final ResourceId CREDS = ResourceId.parse("prod/Secret/shop/creds");
  private static final Fleet FLEET =
      new Fleet(Path.of("."), null, new TreeMap<>(), new TreeMap<>(), new TreeMap<>());

  private final InMemoryLedger ledger =
      new InMemoryLedger(Clock.systemUTC(), Duration.ofMinutes(1));
  private final SecretHasher hasher = new SecretHasher(ledger.valueHashKey());
  private final LedgerDrift drift = new LedgerDrift(ledger.findings(), hasher);

  private static DesiredObject object(String yaml) throws Exception {
    ObjectNode m = (ObjectNode) YAML.readTree(yaml);
    return new DesiredObject(ResourceId.of("prod", m), m, new Provenance("shop", "x.yaml"));
  }

  private static DesiredObject web(int replicas, String image, String memory) throws Exception {
    return object(
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          replicas: %d
          template:
            spec:
              containers:
                - name: web
                  image: %s
                  resources: {limits: {memory: %s}}
        """
            .formatted(replicas, image, memory));
  }

  private static DesiredObject creds(String password) throws Exception {
    String b64 = Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8));
    return object(
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: creds, namespace: shop}
        data: {password: %s}
        """
            .formatted(b64));
  }

  private void open(ObjectDrift... drifts) {
    ledger.findings().recordScan("prod", AT, List.of(drifts), null);
  }

  @Test
  void aFieldTheHeadSetsToTheLiveValueIsAdoptedOthersStayDriftedNormalizedAsAScan()
      throws Exception {
    open(
        new ObjectDrift(
            WEB,
            "shop",
            DriftSource.KUBERNETES,
            DriftType.MODIFIED,
            null,
            List.of(
                new FieldDrift("/spec/replicas", N.numberNode(2), N.numberNode(6))
                    .withManager("kubectl", AT),
                new FieldDrift(
                        "/spec/template/spec/containers/name=web/image",
                        N.textNode("web:1"),
                        N.textNode("web:1-hotfix"))
                    .withManager("kubectl-edit", AT),
                new FieldDrift(
                        "/spec/template/spec/containers/name=web/resources/limits/memory",
                        N.textNode("512Mi"),
                        N.textNode("1Gi"))
                    .withManager("kubectl-edit", AT))));
    // The head adopts six replicas and 1024Mi (= the live 1Gi), and moves the image on.
    DesiredObject head = web(6, "web:2", "1024Mi");
    LiveComparison.Drifts d =
        drift.compare(
            "prod",
            FLEET,
            ClusterRender.ok("prod", List.of(web(2, "web:1", "512Mi"))),
            FLEET,
            ClusterRender.ok("prod", List.of(head)));

    assertThat(d.unknownReason()).isNull();
    assertThat(d.today()).hasSize(1);
    assertThat(d.underHead()).hasSize(1);
    assertThat(d.underHead().get(0).fields())
        .extracting(FieldDrift::path)
        .containsExactly("/spec/template/spec/containers/name=web/image");

    DriftEffect.Effect effect = DriftEffect.of(Set.of(WEB), Set.of(WEB), d.today(), d.underHead());
    assertThat(effect.overwrites()).hasSize(1);
    assertThat(effect.overwrites().get(0).manager()).isEqualTo("kubectl-edit");
    assertThat(effect.overwrites().get(0).desired().asText()).isEqualTo("web:2");
    assertThat(effect.overwrites().get(0).live().asText()).isEqualTo("web:1-hotfix");
    assertThat(effect.resolutions())
        .extracting(r -> r.path())
        .containsExactly(
            "/spec/replicas", "/spec/template/spec/containers/name=web/resources/limits/memory");
  }

  @Test
  void aSecretKeyIsJudgedByItsKeyedHash() throws Exception {
    String live = "rotated-by-hand";
    open(
        new ObjectDrift(
            CREDS,
            "shop",
            DriftSource.KUBERNETES,
            DriftType.MODIFIED,
            null,
            List.of(
                new FieldDrift(
                    "/data/password",
                    hasher.hash("old".getBytes(StandardCharsets.UTF_8)),
                    hasher.hash(live.getBytes(StandardCharsets.UTF_8))))));
    LiveComparison.Drifts adopted =
        drift.compare("prod", FLEET, null, FLEET, ClusterRender.ok("prod", List.of(creds(live))));
    assertThat(adopted.today()).hasSize(1);
    assertThat(adopted.underHead()).isEmpty();

    LiveComparison.Drifts still =
        drift.compare("prod", FLEET, null, FLEET, ClusterRender.ok("prod", List.of(creds("new"))));
    assertThat(still.underHead()).hasSize(1);
    FieldDrift f = still.underHead().get(0).fields().get(0);
    assertThat(f.desired().asText()).startsWith("hmac:");
    assertThat(f.toString()).doesNotContain("new", live);
  }

  @Test
  void aFieldTheHeadNoLongerSetsIsNeitherOverwrittenNorAdopted() throws Exception {
    open(
        new ObjectDrift(
            WEB,
            "shop",
            DriftSource.KUBERNETES,
            DriftType.MODIFIED,
            null,
            List.of(
                new FieldDrift(
                    "/spec/template/spec/containers/0/args", N.textNode("a"), N.textNode("b")))));
    LiveComparison.Drifts d =
        drift.compare(
            "prod", FLEET, null, FLEET, ClusterRender.ok("prod", List.of(web(2, "web:1", "1Gi"))));
    assertThat(d.today()).isEmpty();
    assertThat(d.underHead()).isEmpty();
  }

  @Test
  void keyedPathsReachTheItemByItsKeys() throws Exception {
    ObjectNode m = web(1, "web:1", "1Gi").manifest().deepCopy();
    assertThat(
            LedgerDrift.set(
                m, "/spec/template/spec/containers/name=web/image", N.textNode("web:9")))
        .isTrue();
    assertThat(m.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("web:9");
    assertThat(
            LedgerDrift.set(m, "/spec/template/spec/containers/name=nope/image", N.textNode("x")))
        .isFalse();
    assertThat(LedgerDrift.set(m, "/spec/replicas", null)).isTrue();
    assertThat(m.at("/spec").has("replicas")).isFalse();
  }
}

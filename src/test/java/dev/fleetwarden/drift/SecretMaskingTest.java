package dev.fleetwarden.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.model.ClusterReport;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.FleetReport;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.PartStatus;
import dev.fleetwarden.model.Provenance;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.report.ReportJson;
import dev.fleetwarden.report.ReportMarkdown;
import dev.fleetwarden.report.ReportText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** No Secret value, plain or base64, may appear anywhere in a drift result or a report of it. */
class SecretMaskingTest {
  /** The Secret values of the {@code secret-*} fixture cases. */
  private static final List<String> FIXTURE_SECRETS =
      List.of("k8s-db-pass-9f2c1e7a", "k8s-db-pass-rotated-4b7d");

  private final Differ differ = new Differ(DriftFixtures.HASHER);

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertLeaksNothing(List<ObjectDrift> drifts, String... values) {
    String json = DriftFixtures.toJson(drifts).toString();
    String text = drifts.toString();
    for (String value : values) {
      for (String form : List.of(value, b64(value))) {
        assertThat(json).doesNotContain(form);
        assertThat(text).doesNotContain(form);
      }
    }
  }

  /** The drifts as every output of {@code diff} prints them: JSON, text and markdown. */
  private static List<String> reports(List<ObjectDrift> drifts) {
    FleetReport report =
        new FleetReport(
            List.of(
                ClusterReport.combine(DriftFixtures.CLUSTER, PartStatus.of(true), null, drifts)));
    return List.of(
        DriftFixtures.toJson(drifts).toString(),
        ReportJson.format(report),
        new ReportText(false).format(report),
        ReportMarkdown.format(report));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "secret-annotations-scalar-vs-map",
        "secret-data-scalar-vs-map",
        "secret-stringdata-list-vs-map",
        "secret-labels-changed",
        "secret-value-changed"
      })
  void noOutputOfTheDiffHoldsASecretValueOrTheLastAppliedConfiguration(String name) {
    List<ObjectDrift> drifts = differ.diff(DriftFixtures.load(name).input());

    assertThat(drifts).as("the case has drift to report").isNotEmpty();
    for (String output : reports(drifts)) {
      for (String value : FIXTURE_SECRETS) {
        assertThat(output).doesNotContain(value).doesNotContain(b64(value));
      }
      assertThat(output)
          .doesNotContain("last-applied-configuration")
          .doesNotContain("correct-horse-battery-staple")
          .doesNotContain("hunter2-rotated-by-hand");
    }
  }

  @Test
  void everySecretDriftInEveryCaseIsAScalarAndDataIsAlwaysAKeyedHash() throws IOException {
    List<FieldDrift> secretFields =
        DriftFixtures.all()
            .flatMap(c -> differ.diff(c.input()).stream())
            .filter(d -> d.resource().kind().equals("Secret"))
            .flatMap(d -> d.fields().stream())
            .toList();

    assertThat(secretFields).hasSizeGreaterThanOrEqualTo(5);
    for (FieldDrift f : secretFields) {
      for (JsonNode value : new JsonNode[] {f.desired(), f.live()}) {
        assertThat(value == null || value.isValueNode()).as(f.path()).isTrue();
        if (value != null && (f.path().startsWith("/data") || f.path().startsWith("/stringData"))) {
          assertThat(value.asText()).as(f.path()).matches("hmac:[0-9a-f]{12}");
        }
      }
    }
  }

  @Test
  void annotationsScalarAgainstALiveMapIsReportedByPathAndHashes() {
    ObjectDrift drift =
        differ.diff(DriftFixtures.load("secret-annotations-scalar-vs-map").input()).get(0);

    assertThat(drift.fields())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.path()).isEqualTo("/metadata/annotations");
              assertThat(f.desired().asText()).matches("hmac:[0-9a-f]{12}");
              assertThat(f.live().asText()).matches("hmac:[0-9a-f]{12}");
            });
  }

  @Test
  void driftedStringDataKeyIsReportedByNameAndKeyedHashOnly() {
    List<ObjectDrift> drifts = differ.diff(DriftFixtures.load("secret-value-changed").input());

    assertThat(drifts).hasSize(1);
    assertThat(drifts.get(0).fields())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.path()).isEqualTo("/data/password");
              assertThat(f.desired().asText()).matches("hmac:[0-9a-f]{12}");
              assertThat(f.live().asText())
                  .matches("hmac:[0-9a-f]{12}")
                  .isNotEqualTo(f.desired().asText());
            });
    assertLeaksNothing(
        drifts, "correct-horse-battery-staple", "hunter2-rotated-by-hand", "tok-0d9f7c2a91");
  }

  @Test
  void dataKeysMissingLiveAndLastAppliedConfigurationDoNotLeak() throws Exception {
    ObjectNode desired =
        (ObjectNode)
            DriftFixtures.YAML.readTree(
                """
                apiVersion: v1
                kind: Secret
                metadata: {name: db, namespace: shop, annotations: {note: x}}
                type: Opaque
                data: {user: %s, password: %s}
                """
                    .formatted(b64("app-user"), b64("pa55-desired")));
    ObjectNode live =
        (ObjectNode)
            DriftFixtures.YAML.readTree(
                """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: db
                  namespace: shop
                  annotations:
                    note: y
                    kubectl.kubernetes.io/last-applied-configuration: '{"data":{"password":"%s"}}'
                type: Opaque
                data: {password: %s}
                """
                    .formatted(b64("pa55-desired"), b64("pa55-live")));
    DesiredObject object =
        new DesiredObject(
            ResourceId.of("c", desired), desired, new Provenance("db", "addons/db/secret.yaml"));

    ObjectDrift drift = differ.compare("c", object, live, List.of());

    assertThat(drift.fields())
        .extracting(f -> f.path())
        .containsExactly("/data/password", "/data/user", "/metadata/annotations/note");
    assertThat(drift.fields().get(1).live()).isNull();
    assertLeaksNothing(List.of(drift), "app-user", "pa55-desired", "pa55-live");
  }

  @Test
  void lastAppliedConfigurationIsRemovedFromDesiredToo() throws Exception {
    // desired from Git carries the annotation (copied from kubectl output); live, read from a
    // dump file, holds annotations that are not a map
    ObjectNode desired =
        (ObjectNode)
            DriftFixtures.YAML.readTree(
                """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                  namespace: shop
                  annotations:
                    owner: team-shop
                    kubectl.kubernetes.io/last-applied-configuration: '{"data":{"k":"applied-7f3e"}}'
                data: {k: v}
                """);
    JsonNode live =
        DriftFixtures.YAML.readTree(
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: shop, annotations: [owner]}
            data: {k: v}
            """);
    DesiredObject object =
        new DesiredObject(ResourceId.of("c", desired), desired, new Provenance("a", "a.yaml"));

    ObjectDrift drift = differ.compare("c", object, live, List.of());

    assertThat(drift.fields())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.path()).isEqualTo("/metadata/annotations");
              assertThat(f.desired()).isEqualTo(DriftFixtures.YAML.readTree("{owner: team-shop}"));
            });
    assertThat(DriftFixtures.toJson(List.of(drift)).toString()).doesNotContain("applied-7f3e");
    assertThat(desired.at("/metadata/annotations").size()).as("input not changed").isEqualTo(2);
  }

  @Test
  void theSameValueHashesAlikeUnderOneKeyAndDifferentlyUnderAnother() {
    byte[] value = "k8s-db-pass-9f2c1e7a".getBytes(StandardCharsets.UTF_8);
    SecretHasher one = new SecretHasher(SecretHasher.newKey());
    SecretHasher sameKey = new SecretHasher(DriftFixtures.KEY);
    SecretHasher other = new SecretHasher(SecretHasher.newKey());

    assertThat(one.hash(value)).isEqualTo(one.hash(value.clone()));
    assertThat(sameKey.hash(value)).isEqualTo(DriftFixtures.HASHER.hash(value));
    assertThat(one.hash(value)).isNotEqualTo(other.hash(value));
    assertThat(one.hash(value)).isNotEqualTo(DriftFixtures.HASHER.hash(value));

    // and through the whole diff: one installation's hash says nothing to another
    DiffInput input = DriftFixtures.load("secret-value-changed").input();
    JsonNode withFixtureKey = DriftFixtures.toJson(new Differ(sameKey).diff(input));
    assertThat(DriftFixtures.toJson(differ.diff(input))).isEqualTo(withFixtureKey);
    assertThat(DriftFixtures.toJson(new Differ(one).diff(input))).isNotEqualTo(withFixtureKey);
  }

  @Test
  void hashIsTheFirstTwelveHexOfHmacSha256() {
    // RFC 4231, test case 1: key 20 × 0x0b, data "Hi There"
    byte[] key = HexFormat.of().parseHex("0b".repeat(20));
    assertThat(new SecretHasher(key).hash("Hi There".getBytes(StandardCharsets.US_ASCII)).asText())
        .isEqualTo("hmac:b0344c61d8db");
  }

  @Test
  void containerHashIgnoresKeyOrderAndNumberSpelling() throws Exception {
    SecretHasher h = DriftFixtures.HASHER;
    assertThat(h.hash(DriftFixtures.YAML.readTree("{a: 1, b: [x, {c: 2.0}]}")))
        .isEqualTo(h.hash(DriftFixtures.YAML.readTree("{b: [x, {c: 2}], a: 1.00}")))
        .isNotEqualTo(h.hash(DriftFixtures.YAML.readTree("{b: [{c: 2}, x], a: 1}")));
  }

  @Test
  void theKeyNeverPrints() {
    SecretHasher h = new SecretHasher(HexFormat.of().parseHex("ab".repeat(32)));
    assertThat(h.toString()).doesNotContain("abab").doesNotContain("q6ur");
  }
}

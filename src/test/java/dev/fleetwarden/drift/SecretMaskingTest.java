package dev.fleetwarden.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.Provenance;
import dev.fleetwarden.model.ResourceId;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No Secret value, plain or base64, may appear anywhere in a drift result. */
class SecretMaskingTest {
  private final Differ differ = new Differ();

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

  @Test
  void driftedStringDataKeyIsReportedByNameAndFingerprintOnly() {
    List<ObjectDrift> drifts = differ.diff(DriftFixtures.load("secret-value-changed").input());

    assertThat(drifts).hasSize(1);
    assertThat(drifts.get(0).fields())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.path()).isEqualTo("/data/password");
              assertThat(f.desired().asText()).matches("sha256:[0-9a-f]{12}");
              assertThat(f.live().asText())
                  .matches("sha256:[0-9a-f]{12}")
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
  void fingerprintIsTheFirstTwelveHexOfSha256() {
    // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    assertThat(SecretData.fingerprint("abc".getBytes(StandardCharsets.UTF_8)).asText())
        .isEqualTo("sha256:ba7816bf8f01");
  }
}

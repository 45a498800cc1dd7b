package dev.fleetwarden.preview;

import static dev.fleetwarden.preview.PreviewFixtures.deployment;
import static dev.fleetwarden.preview.PreviewFixtures.object;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.model.DesiredObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class DesiredDiffTest {
  private final DesiredDiff diff = new DesiredDiff(PreviewFixtures::hash);

  private static final String CONFIG =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: web-config, namespace: shop}
      data: {level: info}
      """;

  @Test
  void listsAddedRemovedAndModifiedObjectsSortedWithFieldsOfModifiedOnes() {
    DesiredObject oldConfig = object("c", CONFIG);
    DesiredObject policy =
        object(
            "c",
            """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: deny, namespace: shop}
            spec: {podSelector: {}}
            """);
    List<ObjectChange> changes =
        diff.diff(
            "prod-1",
            List.of(object("c", deployment(3, "web:1")), oldConfig),
            List.of(object("c", deployment(4, "web:2")), policy));

    assertThat(changes)
        .extracting(o -> o.resource().toString(), o -> o.change())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("prod-1/ConfigMap/shop/web-config", Change.REMOVED),
            org.assertj.core.groups.Tuple.tuple("prod-1/Deployment.apps/shop/web", Change.MODIFIED),
            org.assertj.core.groups.Tuple.tuple(
                "prod-1/NetworkPolicy.networking.k8s.io/shop/deny", Change.ADDED));
    ObjectChange web = changes.get(1);
    assertThat(web.fields())
        .extracting(FieldChange::path, f -> f.before().asText(), f -> f.after().asText())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("/spec/replicas", "3", "4"),
            org.assertj.core.groups.Tuple.tuple(
                "/spec/template/spec/containers/name=web/image", "web:1", "web:2"));
    assertThat(changes.get(0).fields()).isEmpty();
    assertThat(changes.get(2).fields()).isEmpty();
  }

  @Test
  void equalObjectsAreNotListedWhateverTheirKeyOrder() {
    DesiredObject a = object("c", CONFIG);
    DesiredObject b =
        object(
            "c",
            """
            data: {level: info}
            metadata: {namespace: shop, name: web-config}
            kind: ConfigMap
            apiVersion: v1
            """);
    assertThat(diff.diff("c", List.of(a), List.of(b))).isEmpty();
  }

  @Test
  void namedItemsAreMatchedByNameNotPosition() {
    DesiredObject before = object("c", deployment(2, "web:1"));
    DesiredObject reordered =
        object(
            "c",
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop, labels: {app: web}}
            spec:
              replicas: 2
              template:
                spec:
                  containers:
                    - name: shipper
                      image: shipper:2
                    - name: web
                      image: web:1
                      args: [--port=8080]
                    - name: sidecar
                      image: sidecar:1
            """);
    List<FieldChange> fields = diff.diff("c", List.of(before), List.of(reordered)).get(0).fields();
    assertThat(fields)
        .extracting(FieldChange::path)
        .containsExactly(
            "/spec/template/spec/containers/name=shipper/image",
            "/spec/template/spec/containers/name=sidecar");
    assertThat(fields.get(1).before()).isNull();
    assertThat(fields.get(1).after().path("image").asText()).isEqualTo("sidecar:1");
  }

  /**
   * Lists are keyed as the diff keys them (the kind's schema), so that a preview names a field as
   * its drift does: container ports by port and protocol, mounts by path, not by {@code name}.
   */
  @Test
  void listsAreKeyedAsTheDiffKeysThem() {
    String before =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          template:
            spec:
              containers:
                - name: web
                  image: web:1
                  ports: [{name: http, containerPort: 8080}]
                  volumeMounts: [{name: config, mountPath: /etc/web}]
        """;
    String after =
        before
            .replace("{name: http, containerPort: 8080}", "{name: api, containerPort: 8080}")
            .replace("mountPath: /etc/web}", "mountPath: /etc/web, readOnly: true}");
    List<FieldChange> fields =
        diff.diff("c", List.of(object("c", before)), List.of(object("c", after))).get(0).fields();
    assertThat(fields)
        .extracting(FieldChange::path)
        .containsExactly(
            "/spec/template/spec/containers/name=web/ports/containerPort=8080,protocol=TCP/name",
            "/spec/template/spec/containers/name=web/volumeMounts/mountPath=~1etc~1web/readOnly");
  }

  @Test
  void listsOfAnotherLengthWithoutNamesChangeAsOneValue() {
    List<FieldChange> fields =
        diff.fields(
            "Deployment",
            PreviewFixtures.yaml("{spec: {args: [a, b]}}"),
            PreviewFixtures.yaml("{spec: {args: [a, b, c]}}"));
    assertThat(fields).hasSize(1);
    assertThat(fields.get(0).path()).isEqualTo("/spec/args");
    assertThat(fields.get(0).after()).hasSize(3);
  }

  @Test
  void aNullValueIsTheSameAsNoValue() {
    assertThat(
            diff.fields(
                "ConfigMap",
                PreviewFixtures.yaml("{data: {a: '1', b: null}, metadata: {name: x}}"),
                PreviewFixtures.yaml("{data: {a: '1'}, metadata: {name: x, labels: null}}")))
        .isEmpty();
  }

  @Test
  void secretValuesAreShownByKeyAndHashOnlyPlainOrBase64() {
    String oldValue = "hunter2-old-password";
    String newValue = "correct-horse-battery";
    String newBase64 =
        Base64.getEncoder().encodeToString(newValue.getBytes(StandardCharsets.UTF_8));
    DesiredObject before =
        object(
            "c",
            """
            apiVersion: v1
            kind: Secret
            metadata: {name: creds, namespace: shop, labels: {team: a}}
            stringData: {password: %s, user: admin}
            """
                .formatted(oldValue));
    DesiredObject after =
        object(
            "c",
            """
            apiVersion: v1
            kind: Secret
            metadata: {name: creds, namespace: shop, labels: {team: b}}
            data: {password: %s}
            stringData: {user: admin}
            """
                .formatted(newBase64));
    ObjectChange change = diff.diff("c", List.of(before), List.of(after)).get(0);
    assertThat(change.fields())
        .extracting(FieldChange::path)
        .containsExactly("/data/password", "/metadata/labels/team");
    FieldChange password = change.fields().get(0);
    assertThat(password.before().asText()).isEqualTo(PreviewFixtures.hash(oldValue));
    assertThat(password.after().asText()).isEqualTo(PreviewFixtures.hash(newValue));
    assertThat(change.fields().get(1).after().asText()).isEqualTo("b");
    String everything = change.toString();
    assertThat(everything).doesNotContain(oldValue, newValue, newBase64);
  }

  @Test
  void aSecretMapOutsideDataIsShownByHash() {
    List<FieldChange> fields =
        diff.fields(
            "Secret",
            PreviewFixtures.yaml("{metadata: {name: s}}"),
            PreviewFixtures.yaml("{metadata: {name: s, annotations: {copy: {token: leaked}}}}"));
    assertThat(fields).hasSize(1);
    assertThat(fields.get(0).after().asText()).startsWith("hmac:");
    assertThat(fields.toString()).doesNotContain("leaked");
  }
}

package dev.fleetwarden.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.demo.EmbeddedFleet;
import dev.fleetwarden.drift.DiffInput;
import dev.fleetwarden.drift.Differ;
import dev.fleetwarden.drift.SecretHasher;
import dev.fleetwarden.fleet.Connection;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.ObjectDrift;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two custom kinds named {@code Certificate} (cert-manager's and the ACM controller's), one object
 * of each with the same namespace and name, in the CRUD mock API server: read live and diffed, each
 * desired object is compared with its own live object.
 */
class SameKindTwoGroupsIT {
  private static final String CLUSTER = "alpha";

  @TempDir Path dir;
  private EmbeddedFleet fleet;
  private ClusterClients clients;
  private Fabric8LiveStateReader reader;
  private final Differ differ = new Differ(new SecretHasher(new byte[32]));

  private static final DesiredObject CERT_MANAGER =
      TestObjects.desired(
          CLUSTER,
          "ingress",
          """
          apiVersion: cert-manager.io/v1
          kind: Certificate
          metadata:
            name: web-tls
            namespace: shop
            labels: {fleetwarden.dev/addon: ingress}
          spec:
            secretName: web-tls
            dnsNames: [shop.example.org]
          """);

  private static final DesiredObject ACM =
      TestObjects.desired(
          CLUSTER,
          "ingress",
          """
          apiVersion: acm.services.k8s.aws/v1alpha1
          kind: Certificate
          metadata:
            name: web-tls
            namespace: shop
            labels: {fleetwarden.dev/addon: ingress}
          spec:
            domainName: shop.example.org
          """);

  /** A third Certificate kind whose CRD the cluster does not have. */
  private static final DesiredObject UNSERVED =
      TestObjects.desired(
          CLUSTER,
          "ingress",
          """
          apiVersion: certificates.example.com/v1
          kind: Certificate
          metadata:
            name: web-tls
            namespace: shop
          spec: {}
          """);

  @BeforeEach
  void start() {
    fleet = EmbeddedFleet.start(dir.resolve("kubeconfig"), CLUSTER);
    clients =
        new ClusterClients(
            Map.of(CLUSTER, Connection.context(CLUSTER)),
            null,
            fleet.kubeconfigPath(),
            KubeSettings.DEFAULTS.withRequestTimeout(Duration.ofSeconds(5)));
    reader = new Fabric8LiveStateReader(clients);
  }

  @AfterEach
  void stop() {
    clients.close();
    fleet.close();
  }

  @Test
  void eachCertificateIsReadAndComparedWithItsOwnKind() {
    assertThat(CERT_MANAGER.id()).isNotEqualTo(ACM.id());
    assertThat(CERT_MANAGER.id().toString())
        .isEqualTo("alpha/Certificate.cert-manager.io/shop/web-tls");
    fleet.apply(CLUSTER, List.of(CERT_MANAGER, ACM));
    ObjectNode live = fleet.get(CLUSTER, "cert-manager.io/v1", "Certificate", "shop", "web-tls");
    live.withObjectProperty("spec").putArray("dnsNames").add("shop.example.org").add("evil.org");
    fleet.update(CLUSTER, live);

    LiveState state = reader.read(CLUSTER, List.of(CERT_MANAGER, ACM, UNSERVED));

    assertThat(state.isKnown()).as(state.toString()).isTrue();
    assertThat(state.ids())
        .containsExactlyInAnyOrder(CERT_MANAGER.id(), ACM.id())
        .doesNotContain(UNSERVED.id());
    assertThat(state.get(CERT_MANAGER.id()).at("/spec/dnsNames/1").asText()).isEqualTo("evil.org");
    assertThat(state.get(ACM.id()).at("/spec/domainName").asText()).isEqualTo("shop.example.org");
    // Only the kind of the group without a CRD is unserved, not every Certificate.
    assertThat(state.unservedGroupKinds()).containsExactly("Certificate.certificates.example.com");
    assertThat(state.judgeable(List.of(CERT_MANAGER, ACM, UNSERVED)))
        .containsExactly(CERT_MANAGER, ACM);

    List<ObjectDrift> drifts = diff(state);
    assertThat(drifts).hasSize(1);
    assertThat(drifts.get(0).resource()).isEqualTo(CERT_MANAGER.id());
    assertThat(drifts.get(0).type()).isEqualTo(DriftType.MODIFIED);
    assertThat(drifts.get(0).fields())
        .singleElement()
        .satisfies(f -> assertThat(f.path()).isEqualTo("/spec/dnsNames"));

    fleet.delete(CLUSTER, "acm.services.k8s.aws/v1alpha1", "Certificate", "shop", "web-tls");
    List<ObjectDrift> afterDelete = diff(reader.read(CLUSTER, List.of(CERT_MANAGER, ACM)));
    assertThat(afterDelete)
        .extracting(d -> d.resource().toString() + " " + d.type().label())
        .containsExactly(
            "alpha/Certificate.acm.services.k8s.aws/shop/web-tls missing",
            "alpha/Certificate.cert-manager.io/shop/web-tls modified");
  }

  private List<ObjectDrift> diff(LiveState state) {
    return differ.diff(
        DiffInput.of(CLUSTER, state.judgeable(List.of(CERT_MANAGER, ACM)), state.objects()));
  }
}

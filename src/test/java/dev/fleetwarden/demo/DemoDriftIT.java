package dev.fleetwarden.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.fleetwarden.drift.DiffInput;
import dev.fleetwarden.drift.Differ;
import dev.fleetwarden.drift.SecretHasher;
import dev.fleetwarden.fleet.Connection;
import dev.fleetwarden.kube.ClusterClients;
import dev.fleetwarden.kube.Fabric8LiveStateReader;
import dev.fleetwarden.kube.KubeSettings;
import dev.fleetwarden.kube.LiveState;
import dev.fleetwarden.kube.ObjectNotFoundException;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.Provenance;
import dev.fleetwarden.model.ResourceId;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's changes behind Git's back, read back through the live state reader and judged by the
 * drift engine: real changes are drift, cosmetic ones are not.
 */
class DemoDriftIT {
  private static final List<String> CLUSTERS =
      List.of("prod-eu-1", "prod-us-1", "staging-1", "dev-1");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-04T10:15:30Z"), ZoneOffset.UTC);

  @TempDir Path dir;
  private EmbeddedFleet fleet;
  private ClusterClients clients;
  private final Map<String, List<DesiredObject>> desired = new LinkedHashMap<>();

  @BeforeEach
  void start() throws Exception {
    fleet = EmbeddedFleet.start(dir.resolve("kubeconfig"), CLUSTERS.toArray(String[]::new));
    for (String c : CLUSTERS) {
      List<DesiredObject> objects = new ArrayList<>();
      for (String file :
          List.of(
              "ingress.yaml", "cert-manager.yaml", "monitoring.yaml", "network-policies.yaml")) {
        objects.addAll(load(c, file));
      }
      desired.put(c, objects);
      fleet.apply(c, objects);
    }
    Map<String, Connection> connections = new LinkedHashMap<>();
    CLUSTERS.forEach(c -> connections.put(c, Connection.context(c)));
    clients = new ClusterClients(connections, null, fleet.kubeconfigPath(), KubeSettings.DEFAULTS);
  }

  @AfterEach
  void stop() {
    clients.close();
    fleet.close();
  }

  @Test
  void demoChangesAreJudgedAsAdvertised() {
    List<DemoDrift.Change> changes = new DemoDrift(fleet, CLOCK).applyAll();
    assertThat(changes).hasSize(11);
    assertThat(changes.get(0).line())
        .isEqualTo(
            "prod-eu-1/Deployment.apps/ingress-system/ingress-controller: container controller image"
                + " registry.example.com/ingress/controller:v1.11.2 ->"
                + " registry.example.com/ingress/controller:v1.11.3-hotfix, replicas 3 -> 6"
                + " (kubectl-edit) -> expected drifted");
    assertThat(changes).allSatisfy(c -> assertThat(c.line()).doesNotContain("from-git-not-real"));

    Map<String, LiveState> live = new Fabric8LiveStateReader(clients).readAll(desired);
    Map<ResourceId, ObjectDrift> drifts = new LinkedHashMap<>();
    Differ differ = new Differ(SecretHasher.ephemeral());
    for (String c : CLUSTERS) {
      LiveState state = live.get(c);
      assertThat(state.isKnown()).isTrue();
      for (ObjectDrift d :
          differ.diff(DiffInput.of(c, state.judgeable(desired.get(c)), state.objects()))) {
        drifts.put(d.resource(), d);
      }
    }

    Map<ResourceId, DriftType> expected = new LinkedHashMap<>();
    for (DemoDrift.Change change : changes) {
      if (change.expected() != DemoDrift.Verdict.IN_SYNC) {
        expected.put(
            change.resource(),
            switch (change.expected()) {
              case MISSING -> DriftType.MISSING;
              case ORPHAN -> DriftType.ORPHAN;
              default -> DriftType.MODIFIED;
            });
      }
    }
    assertThat(
            drifts.values().stream()
                .collect(Collectors.toMap(ObjectDrift::resource, ObjectDrift::type)))
        .as("drift found: %s", drifts.values())
        .isEqualTo(expected);

    ObjectDrift hotfix =
        drifts.get(
            new ResourceId(
                "prod-eu-1", "apps", "Deployment", "ingress-system", "ingress-controller"));
    assertThat(hotfix.fields()).extracting(FieldDrift::path).hasSize(2).contains("/spec/replicas");
    FieldDrift image =
        hotfix.fields().stream().filter(f -> f.path().endsWith("/image")).findFirst().orElseThrow();
    assertThat(image.live().asText()).endsWith(":v1.11.3-hotfix");
    assertThat(image.manager()).isEqualTo("kubectl-edit");
    assertThat(image.time()).isEqualTo(CLOCK.instant());

    // the same hotfix on prod-us-1, whose cosmetic changes on top are not drift: the same two
    // fields with the same live values (one fleet-wide group)
    ObjectDrift sameHotfix =
        drifts.get(
            new ResourceId(
                "prod-us-1", "apps", "Deployment", "ingress-system", "ingress-controller"));
    assertThat(sameHotfix.fields())
        .extracting(FieldDrift::path)
        .containsExactlyInAnyOrderElementsOf(
            hotfix.fields().stream().map(FieldDrift::path).toList());
    assertThat(sameHotfix.fields())
        .extracting(f -> f.live().asText())
        .containsExactlyInAnyOrderElementsOf(
            hotfix.fields().stream().map(f -> f.live().asText()).toList());

    ObjectDrift secret =
        drifts.get(
            new ResourceId("prod-eu-1", "", "Secret", "monitoring", "alertmanager-credentials"));
    assertThat(secret.fields()).extracting(FieldDrift::path).containsExactly("/data/webhook-token");
    assertThat(secret.toString())
        .doesNotContain("from-git-not-real")
        .doesNotContain("changed-by-hand");

    ObjectDrift label =
        drifts.get(
            new ResourceId("staging-1", "apps", "Deployment", "cert-manager", "cert-manager"));
    assertThat(label.fields()).extracting(FieldDrift::path).hasSize(1);
    assertThat(label.fields().get(0).path()).contains("cost-center");
  }

  @Test
  void missingTargetIsAClearError() {
    fleet.delete("prod-eu-1", "v1", "ConfigMap", "ingress-system", "ingress-controller-config");
    DemoDrift drift = new DemoDrift(fleet, CLOCK);
    assertThatThrownBy(drift::editIngressConfig)
        .isInstanceOf(ObjectNotFoundException.class)
        .hasMessageContaining("prod-eu-1/ConfigMap/ingress-system/ingress-controller-config");
  }

  @Test
  void quantitiesAndValuesAreRewrittenToEqualForms() {
    assertThat(DemoDrift.equivalentQuantity("500m")).isEqualTo("0.5");
    assertThat(DemoDrift.equivalentQuantity("1Gi")).isEqualTo("1024Mi");
    assertThat(DemoDrift.equivalentQuantity("2")).isEqualTo("2000m");
    assertThat(DemoDrift.equivalentQuantity("128Mi")).isEqualTo("131072Ki");
    assertThat(DemoDrift.equivalentQuantity("weird")).isEqualTo("weird");
    assertThat(DemoDrift.changedValue("16m")).isEqualTo("32m");
    assertThat(DemoDrift.changedValue("false")).isEqualTo("true");
    assertThat(DemoDrift.retag("reg:5000/a/b:1.0", "v2")).isEqualTo("reg:5000/a/b:v2");
    assertThat(DemoDrift.retag("reg/a/b", "v2")).isEqualTo("reg/a/b:v2");
  }

  private static List<DesiredObject> load(String cluster, String file) throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<DesiredObject> out = new ArrayList<>();
    try (InputStream in = DemoDriftIT.class.getResourceAsStream("desired/" + file);
        YAMLParser parser = new YAMLFactory().createParser(in)) {
      for (ObjectNode m : yaml.readValues(parser, ObjectNode.class).readAll()) {
        String addon = m.path("metadata").path("labels").path("fleetwarden.dev/addon").asText();
        out.add(new DesiredObject(ResourceId.of(cluster, m), m, new Provenance(addon, file)));
      }
    }
    return out;
  }
}

package dev.fleetwarden.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class FingerprintsTest {
  private static final ObjectMapper M = new ObjectMapper();
  private static final ResourceId ID = new ResourceId("prod-eu-1", "", "ConfigMap", "ns", "cm");

  private static ObjectDrift drift(ResourceId id, FieldDrift... fields) {
    return new ObjectDrift(
        id, "a", DriftSource.KUBERNETES, DriftType.MODIFIED, "f.yaml", List.of(fields));
  }

  private static JsonNode json(String s) throws Exception {
    return M.readTree(s);
  }

  @Test
  void sameDriftSameFingerprintWhateverTheOrderAndSpelling() throws Exception {
    ObjectDrift a =
        drift(
            ID,
            new FieldDrift("/data/a", json("1"), json("{\"x\":1,\"y\":[1,2]}")),
            new FieldDrift("/data/b", json("1"), json("2.50")));
    ObjectDrift b =
        drift(
            ID,
            new FieldDrift(
                "/data/b", json("9"), M.getNodeFactory().numberNode(new BigDecimal("2.5"))),
            new FieldDrift("/data/a", json("7"), json("{\"y\":[1,2],\"x\":1.0}")));
    assertThat(Fingerprints.of(a)).isEqualTo(Fingerprints.of(b)).hasSize(Fingerprints.LENGTH);
  }

  @Test
  void liveValueClusterResourceAndPathChangeTheFingerprint() throws Exception {
    String base = Fingerprints.of(drift(ID, new FieldDrift("/data/a", json("1"), json("2"))));
    assertThat(Fingerprints.of(drift(ID, new FieldDrift("/data/a", json("1"), json("3")))))
        .isNotEqualTo(base);
    assertThat(
            Fingerprints.of(
                drift(ID.inCluster("prod-us-1"), new FieldDrift("/data/a", json("1"), json("2")))))
        .isNotEqualTo(base);
    assertThat(Fingerprints.of(drift(ID, new FieldDrift("/data/b", json("1"), json("2")))))
        .isNotEqualTo(base);
    assertThat(
            Fingerprints.of(
                drift(
                    new ResourceId("prod-eu-1", "", "ConfigMap", "ns", "other"),
                    new FieldDrift("/data/a", json("1"), json("2")))))
        .isNotEqualTo(base);
    assertThat(Fingerprints.of(drift(ID, new FieldDrift("/data/a", json("1"), null))))
        .isNotEqualTo(base);
  }

  @Test
  void desiredValueAndFieldManagerDoNotChangeTheFingerprint() throws Exception {
    String base = Fingerprints.of(drift(ID, new FieldDrift("/data/a", json("1"), json("2"))));
    assertThat(
            Fingerprints.of(
                drift(
                    ID,
                    new FieldDrift("/data/a", json("5"), json("2"))
                        .withManager("kubectl", java.time.Instant.EPOCH))))
        .isEqualTo(base);
  }

  @Test
  void theGroupIsPartOfTheFingerprintAndTheLegacyOneIsWhatEarlierVersionsStored() throws Exception {
    ObjectDrift deployment =
        drift(
            new ResourceId("prod-eu-1", "apps", "Deployment", "ns", "web"),
            new FieldDrift("/spec/replicas", json("2"), json("3")));
    // sha256 of the hashed text, as earlier versions wrote it, with the id without its group
    assertThat(Fingerprints.legacy(deployment)).isEqualTo("9d35f382420a9a843b181f8247badf3e");
    assertThat(Fingerprints.of(deployment)).isEqualTo("6797efa81727166018deccee46ecfc0f");
    ObjectDrift otherGroup =
        drift(
            new ResourceId("prod-eu-1", "extensions", "Deployment", "ns", "web"),
            new FieldDrift("/spec/replicas", json("2"), json("3")));
    assertThat(Fingerprints.of(otherGroup)).isNotEqualTo(Fingerprints.of(deployment));
    ObjectDrift core = drift(ID, new FieldDrift("/data/a", json("1"), json("2")));
    assertThat(Fingerprints.legacy(core)).isEqualTo(Fingerprints.of(core));
  }
}

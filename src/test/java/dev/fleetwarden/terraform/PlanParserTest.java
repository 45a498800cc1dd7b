package dev.fleetwarden.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PlanParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final PlanParser parser = new PlanParser();

  static JsonNode fixture(String name) throws IOException {
    try (InputStream in = PlanParserTest.class.getResourceAsStream(name)) {
      assertThat(in).as("fixture %s", name).isNotNull();
      return JSON.readTree(in);
    }
  }

  private static Map<String, ObjectDrift> byAddress(List<ObjectDrift> drifts, DriftType type) {
    return drifts.stream()
        .filter(d -> d.type() == type)
        .collect(Collectors.toMap(d -> d.resource().name(), d -> d));
  }

  private static FieldDrift field(ObjectDrift drift, String path) {
    return drift.fields().stream()
        .filter(f -> f.path().equals(path))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no field " + path + " in " + drift.fields()));
  }

  @Test
  void refreshOnlySampleYieldsTheFourCloudChangesAndNoNoise() throws Exception {
    List<ObjectDrift> drifts = parser.parse("alpha", fixture("alpha-refresh-only-show.json"));

    Map<String, ObjectDrift> modified = byAddress(drifts, DriftType.MODIFIED);
    assertThat(modified)
        .containsOnlyKeys(
            "aws_iam_role.eks_role",
            "aws_s3_bucket_versioning.bucket_versioning",
            "aws_security_group.sg",
            "aws_vpc.vpc");
    assertThat(drifts).hasSize(4).allMatch(d -> d.source() == DriftSource.TERRAFORM);
    assertThat(modified.get("aws_security_group.sg").resource().toString())
        .isEqualTo("alpha/terraform/aws_security_group.sg");

    ObjectDrift vpc = modified.get("aws_vpc.vpc");
    assertThat(vpc.fields()).extracting(FieldDrift::path).containsExactly("/tags/drifted");
    assertThat(field(vpc, "/tags/drifted").desired().isNull()).isTrue();
    assertThat(field(vpc, "/tags/drifted").live().asText()).isEqualTo("yes");

    ObjectDrift role = modified.get("aws_iam_role.eks_role");
    assertThat(role.fields()).extracting(FieldDrift::path).containsExactly("/tags/owner");

    ObjectDrift versioning = modified.get("aws_s3_bucket_versioning.bucket_versioning");
    FieldDrift status = field(versioning, "/versioning_configuration/0/status");
    assertThat(status.desired().asText()).isEqualTo("Enabled");
    assertThat(status.live().asText()).isEqualTo("Suspended");

    // The security group's rules are a list of blocks: the rule added in the console is reported
    // on its own, named by its ports and protocol, as a whole; the unchanged rule is not listed.
    ObjectDrift sg = modified.get("aws_security_group.sg");
    assertThat(sg.fields())
        .extracting(FieldDrift::path)
        .containsExactly("/ingress/from_port=22,to_port=22,protocol=tcp");
    FieldDrift ssh = sg.fields().get(0);
    assertThat(ssh.desired().isNull()).isTrue();
    assertThat(ssh.live().path("cidr_blocks").get(0).asText()).isEqualTo("0.0.0.0/0");
    assertThat(ssh.live().path("description").asText()).isEqualTo("oops");
    // empty attributes are the provider's noise, not part of what is shown
    assertThat(ssh.live().has("ipv6_cidr_blocks")).isFalse();
    assertThat(ssh.live().path("self").asBoolean(true)).isFalse();
  }

  @Test
  void normalPlanReportsTheSameDriftAndNoPendingForChangesThatOnlyRevertIt() throws Exception {
    List<ObjectDrift> normal = parser.parse("alpha", fixture("alpha-plan-show.json"));
    List<ObjectDrift> refreshOnly = parser.parse("alpha", fixture("alpha-refresh-only-show.json"));

    assertThat(normal).isEqualTo(refreshOnly);
    assertThat(normal).noneMatch(d -> d.type() == DriftType.PENDING);
  }

  @Test
  void noDriftSampleIsInSyncDespiteProviderNoise() throws Exception {
    JsonNode show = fixture("beta-nodrift-refresh-only-show.json");
    // The sample does carry resource_drift entries: null vs [] and values the config never sets.
    assertThat(show.path("resource_drift")).isNotEmpty();

    assertThat(parser.parse("beta", show)).isEmpty();
  }

  @Test
  void sensitiveValuesAreMaskedOnBothSides() throws Exception {
    ObjectNode show = (ObjectNode) fixture("alpha-refresh-only-show.json");
    for (JsonNode rd : show.path("resource_drift")) {
      if (rd.path("address").asText().equals("aws_iam_role.eks_role")) {
        ObjectNode change = (ObjectNode) rd.path("change");
        ((ObjectNode) change.path("before_sensitive").path("tags")).put("owner", true);
        ((ObjectNode) change.path("after_sensitive").path("tags")).put("owner", true);
      }
    }

    List<ObjectDrift> drifts = parser.parse("alpha", show);

    FieldDrift owner =
        field(byAddress(drifts, DriftType.MODIFIED).get("aws_iam_role.eks_role"), "/tags/owner");
    assertThat(owner.desired().asText()).isEqualTo(FieldDrift.SENSITIVE);
    assertThat(owner.live().asText()).isEqualTo(FieldDrift.SENSITIVE);
    assertThat(JSON.writeValueAsString(drifts)).doesNotContain("someone-else");
  }

  @Test
  void emptyVersusNullAndReformattedJsonAreNotDrift() throws Exception {
    String show =
        """
        {"format_version": "1.2",
         "resource_drift": [{
           "address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "name": "r",
           "change": {"actions": ["update"],
             "before": {"name": "r", "tags": null, "path": "", "inline_policy": [],
                        "max_session_duration": 3600,
                        "assume_role_policy": "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[]}"},
             "after":  {"name": "r", "tags": {}, "path": null, "inline_policy": null,
                        "max_session_duration": 3600.0,
                        "assume_role_policy": "{\\n  \\"Statement\\": [],\\n  \\"Version\\": \\"2012-10-17\\"\\n}"},
             "before_sensitive": {}, "after_sensitive": {}}}],
         "configuration": {"root_module": {"resources": [{"address": "aws_iam_role.r",
           "mode": "managed", "expressions": {"name": {}, "tags": {}, "path": {},
           "inline_policy": {}, "max_session_duration": {}, "assume_role_policy": {}}}]}}}
        """;

    assertThat(parser.parse("c", show)).isEmpty();
  }

  @Test
  void deletedResourceIsMissingAndItsRecreationIsNotAlsoPending() throws Exception {
    String show =
        """
        {"format_version": "1.2",
         "resource_drift": [{"address": "aws_s3_bucket.artifacts", "mode": "managed",
           "type": "aws_s3_bucket", "name": "artifacts",
           "change": {"actions": ["delete"], "before": {"bucket": "b"}, "after": null}}],
         "resource_changes": [
           {"address": "aws_s3_bucket.artifacts", "mode": "managed", "type": "aws_s3_bucket",
            "name": "artifacts",
            "change": {"actions": ["create"], "before": null,
              "after": {"bucket": "b", "tags": {"a": "1"}}, "after_unknown": {"arn": true}}},
           {"address": "aws_subnet.a", "mode": "managed", "type": "aws_subnet", "name": "a",
            "change": {"actions": ["update"],
              "before": {"cidr_block": "10.0.0.0/20", "tags": {"x": "1"}, "tags_all": {"x": "1"}},
              "after": {"cidr_block": "10.0.0.0/20", "tags": {"x": "1", "tier": "private"},
                        "tags_all": {"x": "1", "tier": "private"}},
              "after_unknown": {}, "before_sensitive": {}, "after_sensitive": {}}},
           {"address": "data.aws_region.current", "mode": "data", "type": "aws_region",
            "name": "current", "change": {"actions": ["read"], "before": null, "after": {}}},
           {"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main",
            "change": {"actions": ["no-op"], "before": {"id": "v"}, "after": {"id": "v"}}}]}
        """;

    List<ObjectDrift> drifts = parser.parse("dev-1", show);

    assertThat(drifts).hasSize(2);
    assertThat(drifts.get(0).resource().name()).isEqualTo("aws_s3_bucket.artifacts");
    assertThat(drifts.get(0).type()).isEqualTo(DriftType.MISSING);
    ObjectDrift subnet = drifts.get(1);
    assertThat(subnet.resource().name()).isEqualTo("aws_subnet.a");
    assertThat(subnet.type()).isEqualTo(DriftType.PENDING);
    assertThat(subnet.fields()).extracting(FieldDrift::path).containsExactly("/tags/tier");
    assertThat(subnet.fields().get(0).desired().asText()).isEqualTo("private");
    assertThat(subnet.fields().get(0).live().isNull()).isTrue();
  }

  @Test
  void unknownValuesOfPendingChangesReadKnownAfterApply() throws Exception {
    String show =
        """
        {"format_version": "1.2",
         "resource_changes": [{"address": "aws_eks_cluster.main", "mode": "managed",
           "type": "aws_eks_cluster", "name": "main",
           "change": {"actions": ["update"],
             "before": {"version": "1.29", "platform_version": "eks.1"},
             "after": {"version": "1.30"},
             "after_unknown": {"platform_version": true}}}]}
        """;

    ObjectDrift eks = parser.parse("c", show).get(0);

    assertThat(eks.type()).isEqualTo(DriftType.PENDING);
    assertThat(field(eks, "/version").desired().asText()).isEqualTo("1.30");
    assertThat(field(eks, "/version").live().asText()).isEqualTo("1.29");
    assertThat(field(eks, "/platform_version").desired().asText())
        .isEqualTo(FieldDrift.KNOWN_AFTER_APPLY);
  }

  @Test
  void tagKeysWithSlashesAreEscapedInThePointer() throws Exception {
    String show =
        """
        {"format_version": "1.2",
         "resource_drift": [{"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc",
           "name": "main", "change": {"actions": ["update"],
             "before": {"tags": {"kubernetes.io/cluster/x": "owned"}},
             "after": {"tags": {"kubernetes.io/cluster/x": "shared"}}}}]}
        """;

    ObjectDrift vpc = parser.parse("c", show).get(0);

    assertThat(vpc.fields())
        .extracting(FieldDrift::path)
        .containsExactly("/tags/kubernetes.io~1cluster~1x");
  }

  @Test
  void somethingElseThanAPlanIsATypedError() {
    assertThatThrownBy(() -> parser.parse("c", "{\"hello\": 1}"))
        .isInstanceOf(PlanParseException.class)
        .hasMessageContaining("cluster c")
        .hasMessageContaining("format_version");
    assertThatThrownBy(() -> parser.parse("c", "Error: no plan"))
        .isInstanceOf(PlanParseException.class)
        .hasMessageContaining("not JSON");
  }

  @Test
  void freshlyAppliedStackOfOurOwnIsInSyncDespiteEmulatorNoise() throws Exception {
    JsonNode show = fixture("dev1-insync-plan-show.json");
    assertThat(show.path("resource_drift")).hasSizeGreaterThan(3);

    assertThat(parser.parse("dev-1", show)).isEmpty();
  }

  @Test
  void ownStackWithDriftDeletionAndFleetChangesTellsThemApart() throws Exception {
    List<ObjectDrift> drifts = parser.parse("dev-1", fixture("dev1-drift-pending-plan-show.json"));

    assertThat(byAddress(drifts, DriftType.MISSING))
        .containsOnlyKeys("aws_s3_bucket.artifacts", "aws_s3_bucket_versioning.artifacts");
    Map<String, ObjectDrift> modified = byAddress(drifts, DriftType.MODIFIED);
    assertThat(modified).containsOnlyKeys("aws_security_group.nodes", "aws_vpc.main");
    assertThat(modified.get("aws_security_group.nodes").fields())
        .extracting(FieldDrift::path)
        .containsExactly("/ingress/from_port=22,to_port=22,protocol=tcp");
    FieldDrift team = field(modified.get("aws_vpc.main"), "/tags/team");
    assertThat(team.desired().asText()).isEqualTo("platform");
    assertThat(team.live().asText()).isEqualTo("someone-else");

    Map<String, ObjectDrift> pending = byAddress(drifts, DriftType.PENDING);
    assertThat(pending).containsOnlyKeys("aws_eks_node_group.general", "aws_subnet.us_east_1a");
    FieldDrift desiredSize =
        field(pending.get("aws_eks_node_group.general"), "/scaling_config/0/desired_size");
    assertThat(desiredSize.desired().asInt()).isEqualTo(2);
    assertThat(desiredSize.live().asInt()).isEqualTo(1);
    assertThat(pending.get("aws_subnet.us_east_1a").fields())
        .extracting(FieldDrift::path)
        .containsExactly("/tags/tier");
    assertThat(drifts).hasSize(6);
  }

  @Test
  void refreshOnlyPlanOfOurOwnStackFindsTheSameCloudDrift() throws Exception {
    List<ObjectDrift> normal = parser.parse("dev-1", fixture("dev1-drift-pending-plan-show.json"));
    List<ObjectDrift> refreshOnly =
        parser.parse("dev-1", fixture("dev1-drift-refresh-only-show.json"));

    assertThat(refreshOnly).noneMatch(d -> d.type() == DriftType.PENDING);
    assertThat(refreshOnly)
        .isEqualTo(normal.stream().filter(d -> d.type() != DriftType.PENDING).toList());
  }
}

package dev.fleetwarden.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.terraform.TerraformRunner.PlannedChange;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cloud drift from the two states inside a saved plan, and when it must not be trusted alone. */
class SavedPlanTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private static final String CONFIG =
      """
      {"resource": {
        "aws_vpc": {"main": {"//": {"metadata": {}}, "cidr_block": "10.0.0.0/16",
                             "tags": {"team": "platform"}}},
        "aws_security_group": {"nodes": {"name": "nodes", "vpc_id": "${aws_vpc.main.id}",
          "ingress": [{"from_port": 443, "to_port": 443, "protocol": "tcp",
                       "cidr_blocks": ["10.0.0.0/8"], "self": null}]}},
        "aws_db_instance": {"db": {"identifier": "db", "password": "${var.password}"}}
      }}
      """;

  private static final String SCHEMAS =
      """
      {"format_version": "1.0", "provider_schemas": {"registry.terraform.io/hashicorp/aws": {
        "provider": {"block": {"attributes": {"secret_key": {"sensitive": true}}}},
        "resource_schemas": {
          "aws_vpc": {"block": {"attributes": {"cidr_block": {}, "tags": {}, "id": {}}}},
          "aws_security_group": {"block": {"attributes": {"ingress": {}, "name": {}}}},
          "aws_db_instance": {"block": {
            "attributes": {"password": {"sensitive": true}, "identifier": {}},
            "block_types": {"restore": {"block": {"attributes": {"key": {"sensitive": true}}}}}}}
        },
        "data_source_schemas": {"aws_ami": {"block": {}}}}}}
      """;

  private static ProviderSensitivity sensitivity() throws Exception {
    return ProviderSensitivity.fromSchemas(
        new ByteArrayInputStream(SCHEMAS.getBytes(StandardCharsets.UTF_8)));
  }

  private static JsonNode state(String vpcTeam, String password, boolean withGroup)
      throws Exception {
    String group =
        withGroup
            ? """
            ,{"mode": "managed", "type": "aws_security_group", "name": "nodes", "instances": [
              {"schema_version": 1, "attributes": {"name": "nodes", "vpc_id": "vpc-1",
                "ingress": [{"from_port": 443, "to_port": 443, "protocol": "tcp",
                             "cidr_blocks": ["10.0.0.0/8"], "self": false}]},
               "sensitive_attributes": []}]}
            """
            : "";
    return JSON.readTree(
        """
        {"version": 4, "terraform_version": "1.11.4", "resources": [
          {"mode": "managed", "type": "aws_vpc", "name": "main", "instances": [
            {"schema_version": 1, "attributes": {"id": "vpc-1", "cidr_block": "10.0.0.0/16",
              "tags": {"team": "%s"}}, "sensitive_attributes": []}]},
          {"mode": "data", "type": "aws_ami", "name": "x", "instances": [{"attributes": {}}]},
          {"mode": "managed", "type": "aws_db_instance", "name": "db", "instances": [
            {"schema_version": 0, "attributes": {"identifier": "db", "password": "%s"},
             "sensitive_attributes": []}]}
          %s
        ]}
        """
            .formatted(vpcTeam, password, group));
  }

  private static List<ObjectDrift> parse(SavedPlan.Reading reading) throws Exception {
    assertThat(reading.fallbackReason()).isNull();
    return new PlanParser().parse("prod-eu-1", reading.document());
  }

  @Test
  void aChangedTagIsCloudDriftAndItsRevertIsNotPending() throws Exception {
    SavedPlan.Reading reading =
        SavedPlan.document(
            state("platform", "p4ss-old", true),
            state("someone-else", "p4ss-old", true),
            JSON.readTree(CONFIG),
            sensitivity(),
            List.of(
                new PlannedChange("aws_vpc.main", "update"),
                new PlannedChange("data.aws_ami.x", "read")));

    List<ObjectDrift> drifts = parse(reading);

    assertThat(drifts).hasSize(1);
    ObjectDrift vpc = drifts.get(0);
    assertThat(vpc.resource().toString()).isEqualTo("prod-eu-1/terraform/aws_vpc.main");
    assertThat(vpc.type()).isEqualTo(DriftType.MODIFIED);
    assertThat(vpc.fields()).hasSize(1);
    assertThat(vpc.fields().get(0).path()).isEqualTo("/tags/team");
    assertThat(vpc.fields().get(0).desired().asText()).isEqualTo("platform");
    assertThat(vpc.fields().get(0).live().asText()).isEqualTo("someone-else");
  }

  @Test
  void sensitiveValuesAreMaskedAsTheProviderSchemaSays() throws Exception {
    SavedPlan.Reading reading =
        SavedPlan.document(
            state("platform", "p4ss-old", true),
            state("platform", "p4ss-new", true),
            JSON.readTree(CONFIG),
            sensitivity(),
            List.of(new PlannedChange("aws_db_instance.db", "update")));

    List<ObjectDrift> drifts = parse(reading);

    assertThat(drifts).hasSize(1);
    assertThat(drifts.get(0).fields().get(0).path()).isEqualTo("/password");
    assertThat(drifts.toString())
        .contains(FieldDrift.SENSITIVE)
        .doesNotContain("p4ss-old")
        .doesNotContain("p4ss-new");
  }

  @Test
  void aResourceDeletedOutsideTerraformIsMissingAndItsRecreationIsNotPending() throws Exception {
    SavedPlan.Reading reading =
        SavedPlan.document(
            state("platform", "x", true),
            state("platform", "x", false),
            JSON.readTree(CONFIG),
            sensitivity(),
            List.of(new PlannedChange("aws_security_group.nodes", "create")));

    List<ObjectDrift> drifts = parse(reading);

    assertThat(drifts).hasSize(1);
    assertThat(drifts.get(0).type()).isEqualTo(DriftType.MISSING);
    assertThat(drifts.get(0).resource().name()).isEqualTo("aws_security_group.nodes");
  }

  @Test
  void pendingChangesNeedShowJson() throws Exception {
    JsonNode prev = state("platform", "x", true);
    JsonNode now = state("someone-else", "x", true);
    ProviderSensitivity s = sensitivity();

    // A change to a resource that did not drift: the fleet is ahead of the cloud.
    assertThat(
            SavedPlan.document(
                    prev,
                    now,
                    JSON.readTree(CONFIG),
                    s,
                    List.of(new PlannedChange("aws_security_group.nodes", "update")))
                .fallbackReason())
        .contains("aws_security_group.nodes is a pending change");
    // The drifted resource's configuration changed too: its update is more than a revert.
    JsonNode changedConfig = JSON.readTree(CONFIG.replace("10.0.0.0/16", "10.1.0.0/16"));
    assertThat(
            SavedPlan.document(
                    prev,
                    now,
                    changedConfig,
                    s,
                    List.of(new PlannedChange("aws_vpc.main", "update")))
                .fallbackReason())
        .contains("differs from the recorded state");
    // A replacement is never a plain revert.
    assertThat(
            SavedPlan.document(
                    prev,
                    now,
                    JSON.readTree(CONFIG),
                    s,
                    List.of(new PlannedChange("aws_vpc.main", "replace")))
                .complete())
        .isFalse();
    // Unknown planned changes, unknown schemas, other state versions: ask show -json.
    assertThat(SavedPlan.document(prev, now, JSON.readTree(CONFIG), s, null).complete()).isFalse();
    ProviderSensitivity empty =
        ProviderSensitivity.fromSchemas(
            new ByteArrayInputStream("{\"provider_schemas\":{}}".getBytes(StandardCharsets.UTF_8)));
    assertThat(
            SavedPlan.document(prev, now, JSON.readTree(CONFIG), empty, List.of()).fallbackReason())
        .contains("no schema for resource type");
    JsonNode v3 =
        ((com.fasterxml.jackson.databind.node.ObjectNode) prev.deepCopy()).put("version", 3);
    assertThat(SavedPlan.document(v3, now, JSON.readTree(CONFIG), s, List.of()).complete())
        .isFalse();
  }

  @Test
  void configurationMatchesTheRecordedStateAcrossTerraformJsonShapes() throws Exception {
    JsonNode recorded =
        JSON.readTree(
            """
            {"name": "n", "size": 2, "enabled": false, "cidrs": ["a", "b"],
             "policy": "{\\"Statement\\":[],\\"Version\\":\\"2012-10-17\\"}",
             "scaling_config": [{"desired_size": 1, "max_size": 3}],
             "rules": [{"port": 22, "self": false}, {"port": 443, "self": false}]}
            """);

    assertThat(
            SavedPlan.matchesRecorded(
                JSON.readTree(
                    """
                    {"//": {}, "depends_on": ["x"], "name": "n", "size": 2, "enabled": null,
                     "cidrs": ["b", "a"], "policy": "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[]}",
                     "scaling_config": {"desired_size": 1}, "owner": "${aws_iam_role.x.arn}",
                     "rules": [{"port": 443, "self": null}, {"port": 22}]}
                    """),
                recorded))
        .isTrue();
    assertThat(SavedPlan.matchesRecorded(JSON.readTree("{\"size\": 3}"), recorded)).isFalse();
    assertThat(
            SavedPlan.matchesRecorded(
                JSON.readTree("{\"scaling_config\": {\"desired_size\": 2}}"), recorded))
        .isFalse();
    assertThat(SavedPlan.matchesRecorded(JSON.readTree("{\"cidrs\": [\"a\"]}"), recorded))
        .isFalse();
    assertThat(SavedPlan.matchesRecorded(JSON.readTree("{\"name\": null}"), recorded)).isFalse();
  }

  @Test
  void readsTheStatesOutOfAPlanFile() throws Exception {
    Path plan = tmp.resolve("p.tfplan");
    try (OutputStream file = Files.newOutputStream(plan);
        ZipOutputStream zip = new ZipOutputStream(file)) {
      zip.putNextEntry(new ZipEntry("tfplan"));
      zip.write(new byte[] {1, 2, 3});
      zip.putNextEntry(new ZipEntry("tfstate-prev"));
      zip.write(state("platform", "x", true).toString().getBytes(StandardCharsets.UTF_8));
      zip.putNextEntry(new ZipEntry("tfstate"));
      zip.write(state("ops", "x", true).toString().getBytes(StandardCharsets.UTF_8));
    }

    SavedPlan.Reading reading =
        SavedPlan.read(
            plan,
            JSON.readTree(CONFIG),
            sensitivity(),
            List.of(new PlannedChange("aws_vpc.main", "update")));

    assertThat(parse(reading)).extracting(d -> d.resource().name()).containsExactly("aws_vpc.main");
    assertThat(SavedPlan.read(plan, null, sensitivity(), List.of()).fallbackReason())
        .contains("not Terraform JSON");
  }

  @Test
  void sensitivityCoversNestedBlocksAndSurvivesItsCache() throws Exception {
    ProviderSensitivity s = sensitivity();

    assertThat(s.sensitive("aws_db_instance")).containsExactlyInAnyOrder("password", "restore");
    assertThat(s.sensitive("aws_vpc")).isEmpty();
    assertThat(s.knows("aws_vpc")).isTrue();
    assertThat(s.knows("aws_ami")).as("data sources are not managed resources").isFalse();
    ProviderSensitivity cached = ProviderSensitivity.fromJson(s.toJson());
    assertThat(cached.sensitive("aws_db_instance")).isEqualTo(s.sensitive("aws_db_instance"));
    assertThat(cached.knows("aws_vpc")).isTrue();
  }
}

package dev.fleetwarden.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Terraform's machine-readable output, turned into log lines and planned changes. */
class UiLineTest {
  @Test
  void aPlannedChangeIsCollectedAndLoggedByItsMessage() {
    UiLine line =
        UiLine.parse(
            "{\"@level\":\"info\",\"@message\":\"aws_vpc.main: Plan to update\",\"type\":"
                + "\"planned_change\",\"change\":{\"resource\":{\"addr\":\"aws_vpc.main\"},"
                + "\"action\":\"update\"}}");

    assertThat(line.text()).isEqualTo("aws_vpc.main: Plan to update");
    assertThat(line.warning()).isFalse();
    assertThat(line.planned())
        .isEqualTo(new TerraformRunner.PlannedChange("aws_vpc.main", "update"));
  }

  @Test
  void aDiagnosticKeepsItsDetailAndLocation() {
    UiLine line =
        UiLine.parse(
            "{\"@level\":\"error\",\"@message\":\"Error: Unsupported argument\",\"type\":"
                + "\"diagnostic\",\"diagnostic\":{\"severity\":\"error\",\"summary\":"
                + "\"Unsupported argument\",\"detail\":\"An argument named \\\"x\\\" is not"
                + " expected here.\",\"range\":{\"filename\":\"cdk.tf.json\",\"start\":"
                + "{\"line\":12}}}}");

    assertThat(line.warning()).isTrue();
    assertThat(line.planned()).isNull();
    assertThat(line.text())
        .isEqualTo(
            "Error: Unsupported argument: An argument named \"x\" is not expected here."
                + " (cdk.tf.json line 12)");
  }

  @Test
  void plainTextPassesThrough() {
    assertThat(UiLine.parse("Error: flag provided but not defined").text())
        .isEqualTo("Error: flag provided but not defined");
    assertThat(UiLine.parse("{not json").text()).isEqualTo("{not json");
  }
}

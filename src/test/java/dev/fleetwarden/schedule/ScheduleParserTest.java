package dev.fleetwarden.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.fleetwarden.fleet.FleetError;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScheduleParserTest {

  private static FleetError onlyError(String file, String yaml) {
    ScheduleValidationException e =
        catchThrowableOfType(
            ScheduleValidationException.class, () -> ScheduleParser.parse(file, yaml));
    assertThat(e).as("expected a validation error").isNotNull();
    assertThat(e.errors()).hasSize(1);
    assertThat(e.getMessage()).contains(file);
    return e.errors().get(0);
  }

  private static String schedule(String specLines) {
    return """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Schedule
        metadata:
          name: s1
        spec:
        """
        + specLines;
  }

  @Test
  void theShippedExampleSchedulesParse() throws Exception {
    List<ScheduleSpec> specs = ScheduleParser.parseDirectory(Path.of("schedules"));

    assertThat(specs)
        .extracting(ScheduleSpec::name)
        .containsExactly(
            "daily-digest",
            "git-poll",
            "kubernetes-drift-all",
            "kubernetes-drift-prod",
            "terraform-drift");
    ScheduleSpec digest = specs.get(0);
    assertThat(digest.task()).isEqualTo(Task.DIGEST);
    assertThat(digest.cron()).isEqualTo("0 0 9 * * ?");
    assertThat(digest.timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(digest.file()).isEqualTo("schedules/digest.yaml");
    ScheduleSpec gitPoll = specs.get(1);
    assertThat(gitPoll.misfirePolicy()).isEqualTo(MisfirePolicy.DO_NOTHING);
    assertThat(gitPoll.timeZone()).isEqualTo(ZoneId.of("UTC"));
    ScheduleSpec prod = specs.get(3);
    assertThat(prod.clusters().selector()).isEqualTo(Map.of("environment", "prod"));
    assertThat(prod.file()).isEqualTo("schedules/kubernetes-drift.yaml");
    assertThat(prod.line()).isEqualTo(16);
    assertThat(specs.get(2).clusters().all()).isTrue();
  }

  @Test
  void namesAndDefaults() throws Exception {
    List<ScheduleSpec> specs =
        ScheduleParser.parse(
            "s.yaml",
            schedule(
                """
                  task: kubernetes-drift
                  cron: "0 */5 * * * ?"
                  clusters: {names: [prod-eu-1, prod-us-1]}
                """));
    ScheduleSpec s = specs.get(0);
    assertThat(s.clusters().names()).containsExactly("prod-eu-1", "prod-us-1");
    assertThat(s.misfirePolicy()).isEqualTo(MisfirePolicy.FIRE_ONCE_NOW);
    assertThat(s.line()).isEqualTo(4);
  }

  @Test
  void unknownTaskNamesFileAndLine() {
    FleetError e =
        onlyError("schedules/x.yaml", schedule("  task: helm-drift\n  cron: \"0 * * * * ?\"\n"));
    assertThat(e.file()).isEqualTo("schedules/x.yaml");
    assertThat(e.line()).isEqualTo(6);
    assertThat(e.message()).contains("unknown task 'helm-drift'").contains("git-poll");
  }

  @Test
  void badCronIsRejectedByQuartzRules() {
    // Unix-style five fields: Quartz wants seconds first.
    FleetError e = onlyError("c.yaml", schedule("  task: digest\n  cron: \"*/5 * * * *\"\n"));
    assertThat(e.line()).isEqualTo(7);
    assertThat(e.message()).contains("invalid Quartz cron expression '*/5 * * * *'");
    FleetError both = onlyError("c.yaml", schedule("  task: digest\n  cron: \"0 0 9 * * MON\"\n"));
    assertThat(both.line()).isEqualTo(7);
  }

  @Test
  void unknownTimeZone() {
    FleetError e =
        onlyError(
            "tz.yaml",
            schedule("  task: digest\n  cron: \"0 0 9 * * ?\"\n  timeZone: Europe/Atlantis\n"));
    assertThat(e.line()).isEqualTo(8);
    assertThat(e.message()).contains("unknown time zone 'Europe/Atlantis'");
  }

  @Test
  void unknownKeysAtEveryLevel() {
    FleetError top =
        onlyError("k.yaml", schedule("  task: digest\n  cron: \"0 0 9 * * ?\"\n") + "status: {}\n");
    assertThat(top.line()).isEqualTo(8);
    assertThat(top.message()).contains("unknown key 'status'");
    FleetError spec =
        onlyError("k.yaml", schedule("  task: digest\n  cron: \"0 0 9 * * ?\"\n  every: 5m\n"));
    assertThat(spec.line()).isEqualTo(8);
    assertThat(spec.message()).contains("unknown key 'every' in spec");
    FleetError clusters =
        onlyError(
            "k.yaml",
            schedule(
                "  task: kubernetes-drift\n  cron: \"0 * * * * ?\"\n  clusters:\n    match: {a: b}\n"));
    assertThat(clusters.line()).isEqualTo(9);
    assertThat(clusters.message()).contains("unknown key 'match' in spec.clusters");
  }

  @Test
  void unknownMisfirePolicy() {
    FleetError e =
        onlyError(
            "m.yaml",
            schedule("  task: digest\n  cron: \"0 0 9 * * ?\"\n  misfirePolicy: catch-up\n"));
    assertThat(e.line()).isEqualTo(8);
    assertThat(e.message()).contains("unknown misfire policy 'catch-up'").contains("do-nothing");
  }

  @Test
  void fleetWideTaskWithClustersAndNamesPlusSelector() {
    FleetError e =
        onlyError(
            "f.yaml",
            schedule("  task: git-poll\n  cron: \"0 * * * * ?\"\n  clusters: {names: [a]}\n"));
    assertThat(e.line()).isEqualTo(8);
    assertThat(e.message()).contains("git-poll runs fleet-wide");
    FleetError both =
        onlyError(
            "f.yaml",
            schedule(
                "  task: kubernetes-drift\n  cron: \"0 * * * * ?\"\n"
                    + "  clusters: {names: [a], selector: {environment: prod}}\n"));
    assertThat(both.message()).contains("not both");
  }

  @Test
  void duplicateNamesAcrossFilesNameBothPlaces() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("schedules/a.yaml", schedule("  task: digest\n  cron: \"0 0 9 * * ?\"\n"));
    files.put(
        "schedules/b.yaml",
        "# comment\n" + schedule("  task: git-poll\n  cron: \"0 * * * * ?\"\n"));
    ScheduleValidationException e =
        catchThrowableOfType(
            ScheduleValidationException.class, () -> ScheduleParser.parseFiles(files));
    assertThat(e.errors()).hasSize(1);
    FleetError err = e.errors().get(0);
    assertThat(err.file()).isEqualTo("schedules/b.yaml");
    assertThat(err.line()).isEqualTo(5);
    assertThat(err.message())
        .contains("duplicate schedule name 's1'")
        .contains("schedules/a.yaml:4");
  }

  @Test
  void allProblemsOfAFileAreReportedTogether() {
    ScheduleValidationException e =
        catchThrowableOfType(
            ScheduleValidationException.class,
            () ->
                ScheduleParser.parse(
                    "many.yaml",
                    """
                    apiVersion: fleetwarden.dev/v1
                    kind: Schedule
                    metadata: {name: Bad_Name}
                    spec:
                      task: nope
                      cron: "bad"
                    """));
    assertThat(e.errors()).extracting(FleetError::line).containsExactlyInAnyOrder(1, 3, 5, 6);
  }

  @Test
  void yamlSyntaxErrorsCarryTheLine() {
    FleetError e = onlyError("y.yaml", "apiVersion: x\nkind: [unclosed\n");
    assertThat(e.file()).isEqualTo("y.yaml");
    assertThat(e.line()).isGreaterThan(0);
  }
}

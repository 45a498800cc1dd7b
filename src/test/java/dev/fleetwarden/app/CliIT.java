package dev.fleetwarden.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI end to end on the example fleet: exit codes, output, --help on every command. */
class CliIT {
  @TempDir Path tmp;

  record Run(int code, String out, String err) {
    /** Stdout as exactly one JSON document: anything before or after it fails the test. */
    com.fasterxml.jackson.databind.JsonNode json() {
      try (var parser = dev.fleetwarden.report.ReportJson.MAPPER.createParser(out)) {
        com.fasterxml.jackson.databind.JsonNode doc =
            dev.fleetwarden.report.ReportJson.MAPPER.readTree(parser);
        assertThat(parser.nextToken()).as("nothing after the JSON document on stdout").isNull();
        return doc;
      } catch (java.io.IOException e) {
        throw new AssertionError("stdout is not one JSON document: " + e.getMessage(), e);
      }
    }
  }

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine cli = Main.commandLine();
    cli.setOut(new java.io.PrintWriter(new PrintStream(out, true, StandardCharsets.UTF_8), true));
    cli.setErr(new java.io.PrintWriter(new PrintStream(err, true, StandardCharsets.UTF_8), true));
    int code = cli.execute(args);
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void validateAcceptsTheExampleFleet() {
    Run r = run("validate", "--repo", "fleet-repo-example");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("valid (5 clusters, 6 add-ons, 4 environments; every cluster renders)");
  }

  @Test
  void validateListsEveryErrorAndExitsOne() throws Exception {
    Path repo = tmp.resolve("fleet");
    copy(Path.of("fleet-repo-example"), repo);
    Path cluster = repo.resolve("clusters/dev-1/cluster.yaml");
    Files.writeString(
        cluster,
        Files.readString(cluster)
            .replace("environment: dev", "environment: qa")
            .replace("role: workload", "role: worker"));
    Run r = run("validate", "--repo", repo.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains("clusters/dev-1/cluster.yaml:8:")
        .contains("role must be 'management' or 'workload'")
        .contains("clusters/dev-1/cluster.yaml:9:")
        .contains("unknown environment 'qa'")
        .contains("2 problems");
  }

  @Test
  void validateRendersTemplatesAndWarnsAboutValuesNoClusterUses() throws Exception {
    Path repo = tmp.resolve("fleet");
    copy(Path.of("fleet-repo-example"), repo);
    Path template = repo.resolve("addons/ingress/chart/templates/configmap.yaml");
    Files.writeString(template, Files.readString(template) + "\n{{ .Values.nope.missing }}\n");
    Files.writeString(repo.resolve("clusters/dev-1/values/network-policies.yaml"), "x: 1\n");

    Run r = run("validate", "--repo", repo.toString());
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.err())
        .contains("addons/ingress/chart/templates/configmap.yaml:")
        .contains("nil pointer")
        .contains(
            "warning: clusters/dev-1/values/network-policies.yaml:1:1: values file for add-on"
                + " 'network-policies', which cluster dev-1 does not run")
        .doesNotContain("--debug");

    Files.writeString(
        template, Files.readString(template).replace("{{ .Values.nope.missing }}", ""));
    Run warned = run("validate", "--repo", repo.toString());
    assertThat(warned.code()).as(warned.err()).isZero();
    assertThat(warned.out()).contains("every cluster renders").contains("1 warning");
    Run strict = run("validate", "--strict", "--repo", repo.toString());
    assertThat(strict.code()).isEqualTo(1);
    assertThat(strict.err()).contains("1 problem found");
  }

  @Test
  void renderWritesOneDirectoryPerClusterOneObjectPerDocument() throws Exception {
    Path out = tmp.resolve("out");
    Run r =
        run(
            "render",
            "--repo",
            "fleet-repo-example",
            "--out",
            out.toString(),
            "-c",
            "prod-eu-1",
            "-c",
            "dev-1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("rendering 2 clusters").contains("prod-eu-1: 44 objects");
    try (Stream<Path> s = Files.list(out)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("prod-eu-1", "dev-1");
    }
    Path deployment =
        out.resolve("prod-eu-1/Deployment.apps-ingress-system-ingress-controller.yaml");
    String yaml = Files.readString(deployment);
    assertThat(yaml).contains("replicas: 4").contains("kind: Deployment");
    assertThat(yaml.split("(?m)^kind: ")).hasSize(2);
  }

  @Test
  void renderQuietPrintsNothingOnStderrAndJsonOnStdout() {
    Run r = run("render", "--repo", "fleet-repo-example", "-q", "-o", "json", "-c", "mgmt");
    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.json().path("mgmt").isContainerNode()).as(r.out()).isTrue();
    assertThat(r.out()).contains("\"mgmt\"").contains("\"kind\" : \"ClusterIssuer\"");
  }

  @Test
  void unknownClusterIsAnError() {
    Run r = run("render", "--repo", "fleet-repo-example", "-c", "nope");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("unknown cluster(s) [nope]");
  }

  @Test
  void anUnexpectedErrorIsOneLineAndDebugShowsTheStackTrace() throws Exception {
    Path config = tmp.resolve("config.yaml");
    Files.writeString(
        config,
        "fleet: {repo: "
            + tmp.resolve("no-such-fleet")
            + "}\nworkDir: "
            + tmp.resolve("work")
            + "\nschedules: {dir: "
            + tmp.resolve("schedules")
            + "}\n");
    Run r = run("run", "--config", config.toString(), "--http-port", "0");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip().lines())
        .as(r.err())
        .filteredOn(l -> !l.contains(" INFO ") && !l.contains(" WARN "))
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .startsWith("error: cannot clone or open the fleet repo")
                    .endsWith("(--debug shows the stack trace)"));
    assertThat(r.err()).doesNotContain("\tat ");

    Run debug = run("run", "--config", config.toString(), "--http-port", "0", "--debug");
    assertThat(debug.code()).isEqualTo(1);
    assertThat(debug.err()).contains("\tat dev.fleetwarden.");
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : Main.commandLine().getSubcommands().keySet()) {
      if (command.equals("help")) {
        continue;
      }
      Run r = run(command, "--help");
      assertThat(r.code()).as(command).isZero();
      assertThat(r.out()).as(command).contains("Usage: fleetwarden " + command);
    }
  }

  static void copy(Path from, Path to) throws Exception {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}

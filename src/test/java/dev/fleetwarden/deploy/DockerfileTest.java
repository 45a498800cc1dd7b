package dev.fleetwarden.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Lint-like checks of deploy/Dockerfile (no Docker engine runs here to build it). */
class DockerfileTest {
  record Instruction(String keyword, String args, int stage) {}

  static final List<Instruction> INSTRUCTIONS = new ArrayList<>();
  static int stages;
  static String text;

  @BeforeAll
  static void parse() throws Exception {
    text = Files.readString(DeployFiles.deployDir().resolve("Dockerfile"));
    StringBuilder logical = new StringBuilder();
    int stage = -1;
    for (String line : text.split("\n", -1)) {
      String t = line.strip();
      if (logical.length() == 0 && (t.isEmpty() || t.startsWith("#"))) {
        continue;
      }
      if (t.startsWith("#")) {
        continue; // comment inside a continued instruction
      }
      if (t.endsWith("\\")) {
        logical.append(t, 0, t.length() - 1).append(' ');
        continue;
      }
      logical.append(t);
      String instr = logical.toString().strip();
      logical.setLength(0);
      if (instr.isEmpty()) {
        continue;
      }
      String[] parts = instr.split("\\s+", 2);
      String kw = parts[0].toUpperCase(Locale.ROOT);
      if (kw.equals("FROM")) {
        stage++;
      }
      INSTRUCTIONS.add(new Instruction(kw, parts.length > 1 ? parts[1] : "", stage));
    }
    stages = stage + 1;
  }

  static List<Instruction> of(String kw) {
    return INSTRUCTIONS.stream().filter(i -> i.keyword().equals(kw)).toList();
  }

  static List<Instruction> finalStage() {
    return INSTRUCTIONS.stream().filter(i -> i.stage() == stages - 1).toList();
  }

  @Test
  void isMultiStageWithAMavenBuildAndAJreRuntime() {
    assertThat(stages).isGreaterThanOrEqualTo(2);
    List<Instruction> froms = of("FROM");
    assertThat(froms.get(0).args()).contains("maven").contains("17");
    assertThat(
            INSTRUCTIONS.stream()
                .anyMatch(
                    i ->
                        i.stage() == 0
                            && i.keyword().equals("RUN")
                            && i.args().contains("mvn -B -q -DskipTests package")))
        .isTrue();
    assertThat(froms.get(froms.size() - 1).args()).containsIgnoringCase("jre").contains("17");
  }

  @Test
  void baseImagesArePinned() {
    for (Instruction from : of("FROM")) {
      String image = from.args().split("\\s+")[0];
      assertThat(image)
          .as(from.args())
          .contains(":")
          .doesNotEndWith(":latest")
          .doesNotContain("${");
      String tag = image.substring(image.lastIndexOf(':') + 1);
      assertThat(tag).as(image + " tag has a version").matches(".*\\d+\\.\\d+.*");
    }
  }

  @Test
  void finalStageRunsAsTheChartsNumericNonRootUser() {
    List<Instruction> users =
        finalStage().stream().filter(i -> i.keyword().equals("USER")).toList();
    assertThat(users).isNotEmpty();
    String user = users.get(users.size() - 1).args().strip();
    assertThat(user).matches("\\d+(:\\d+)?");
    int uid = Integer.parseInt(user.split(":")[0]);
    assertThat(uid).isNotZero().isEqualTo(HelmChartTest.IMAGE_UID);
    assertThat(
            finalStage().stream()
                .anyMatch(i -> i.keyword().equals("RUN") && i.args().contains("--uid " + uid)))
        .as("the user is created with uid " + uid)
        .isTrue();
  }

  @Test
  void nothingIsAddedFromUrls() {
    for (Instruction add : of("ADD")) {
      assertThat(add.args()).doesNotContain("http://").doesNotContain("https://");
    }
    assertThat(of("ADD")).isEmpty();
  }

  @Test
  void copiesTheJarAndItsLibraries() {
    List<String> copies =
        finalStage().stream()
            .filter(i -> i.keyword().equals("COPY"))
            .map(Instruction::args)
            .toList();
    assertThat(copies)
        .anyMatch(c -> c.contains("target/fleetwarden.jar") && c.contains("/app/fleetwarden.jar"));
    assertThat(copies).anyMatch(c -> c.contains("target/lib") && c.contains("/app/lib"));
  }

  @Test
  void terraformIsPinnedAndChecksumVerified() {
    Matcher version = Pattern.compile("TERRAFORM_VERSION=(\\d+\\.\\d+\\.\\d+)").matcher(text);
    assertThat(version.find()).as("ARG TERRAFORM_VERSION pinned").isTrue();
    assertThat(text).containsPattern("[0-9a-f]{64}");
    assertThat(text).contains("sha256sum -c");
    assertThat(text).contains("releases.hashicorp.com/terraform/${TERRAFORM_VERSION}");
    List<String> copies =
        finalStage().stream()
            .filter(i -> i.keyword().equals("COPY"))
            .map(Instruction::args)
            .toList();
    assertThat(copies).anyMatch(c -> c.contains("/usr/local/bin/terraform"));
  }

  @Test
  void node20IsInstalledForTheJsiiRuntime() {
    assertThat(of("FROM")).anyMatch(f -> f.args().matches("node:20\\.\\d+\\.\\d+.*"));
    List<String> copies =
        finalStage().stream()
            .filter(i -> i.keyword().equals("COPY"))
            .map(Instruction::args)
            .toList();
    assertThat(copies).anyMatch(c -> c.contains("/usr/local/bin/node"));
  }

  @Test
  void entrypointRunsTheJarAndTheDefaultCommandIsTheService() {
    List<Instruction> ep =
        finalStage().stream().filter(i -> i.keyword().equals("ENTRYPOINT")).toList();
    assertThat(ep).hasSize(1);
    assertThat(ep.get(0).args()).isEqualTo("[\"java\", \"-jar\", \"/app/fleetwarden.jar\"]");
    List<Instruction> cmd = finalStage().stream().filter(i -> i.keyword().equals("CMD")).toList();
    assertThat(cmd.get(0).args())
        .isEqualTo("[\"run\", \"--config\", \"/etc/fleetwarden/config.yaml\"]");
    assertThat(finalStage())
        .anyMatch(i -> i.keyword().equals("EXPOSE") && i.args().strip().equals("8080"));
  }
}

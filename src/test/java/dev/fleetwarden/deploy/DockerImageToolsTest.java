package dev.fleetwarden.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.render.ExternalTools;
import dev.fleetwarden.terraform.TerraformBinary;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image installs every external program that rendering and the infrastructure check run ({@link
 * ExternalTools#IN_IMAGE}), each pinned: downloaded at a fixed version and verified against a
 * SHA-256 for every architecture, or copied from a base image with a fixed version tag.
 */
class DockerImageToolsTest {
  /** One stage of the Dockerfile: its base image, its name, and its instructions. */
  record Stage(String image, String name, List<String[]> instructions) {}

  private static final List<Stage> STAGES = new ArrayList<>();
  private static final Map<String, String> ARGS = new LinkedHashMap<>();
  private static final Pattern COPY_FROM =
      Pattern.compile("--from=(\\S+)\\s+(\\S+)\\s+(/usr/(?:local/)?bin/[^/\\s]+)");

  @BeforeAll
  static void parse() throws Exception {
    String text = Files.readString(DeployFiles.deployDir().resolve("Dockerfile"));
    StringBuilder logical = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String t = line.strip();
      if (t.startsWith("#") || (logical.length() == 0 && t.isEmpty())) {
        continue;
      }
      if (t.endsWith("\\")) {
        logical.append(t, 0, t.length() - 1).append(' ');
        continue;
      }
      String instr = logical.append(t).toString().strip();
      logical.setLength(0);
      String[] parts = instr.split("\\s+", 2);
      String kw = parts[0].toUpperCase(Locale.ROOT);
      String args = parts.length > 1 ? parts[1] : "";
      if (kw.equals("FROM")) {
        String[] from = args.split("\\s+");
        String name = from.length >= 3 && from[1].equalsIgnoreCase("AS") ? from[2] : null;
        STAGES.add(new Stage(from[0], name, new ArrayList<>()));
      } else if (kw.equals("ARG")) {
        String[] kv = args.split("=", 2);
        if (kv.length == 2) {
          ARGS.putIfAbsent(kv[0].strip(), kv[1].strip());
        }
      }
      if (!STAGES.isEmpty()) {
        STAGES.get(STAGES.size() - 1).instructions().add(new String[] {kw, args});
      }
    }
  }

  private static Stage runtime() {
    return STAGES.get(STAGES.size() - 1);
  }

  private static Optional<Stage> stage(String name) {
    return STAGES.stream().filter(s -> name.equals(s.name())).findFirst();
  }

  /** The stage a tool is copied from into a bin directory of the final stage. */
  private static Optional<String> copiedFrom(String tool) {
    for (String[] i : runtime().instructions()) {
      if (!i[0].equals("COPY")) {
        continue;
      }
      Matcher m = COPY_FROM.matcher(i[1]);
      if (m.find() && m.group(3).endsWith("/" + tool)) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }

  @Test
  void everyToolTheCodeRunsIsCopiedIntoTheImageAndRunOnceAtBuild() {
    for (String tool : ExternalTools.IN_IMAGE) {
      assertThat(copiedFrom(tool))
          .as("deploy/Dockerfile copies '%s' into /usr/local/bin of the final stage", tool)
          .isPresent();
      assertThat(runtime().instructions())
          .as("the final stage runs '%s' once so a broken binary fails the build", tool)
          .anyMatch(i -> i[0].equals("RUN") && i[1].matches("(?s).*\\b" + tool + " .*version.*"));
    }
  }

  @Test
  void everyToolIsPinnedByChecksumOrByImageTag() {
    for (String tool : ExternalTools.IN_IMAGE) {
      String from = copiedFrom(tool).orElseThrow(() -> new AssertionError(tool + " not copied"));
      Stage source = stage(from).orElseThrow(() -> new AssertionError("no stage named " + from));
      String prefix = tool.toUpperCase(Locale.ROOT);
      boolean downloaded =
          source.instructions().stream()
              .anyMatch(i -> i[0].equals("RUN") && i[1].contains("${" + prefix + "_VERSION}"));
      if (downloaded) {
        assertThat(ARGS.get(prefix + "_VERSION"))
            .as("ARG %s_VERSION", prefix)
            .matches("\\d+\\.\\d+\\.\\d+");
        for (String arch : List.of("AMD64", "ARM64")) {
          assertThat(ARGS.get(prefix + "_SHA256_" + arch))
              .as("ARG %s_SHA256_%s", prefix, arch)
              .matches("[0-9a-f]{64}");
        }
        assertThat(source.instructions())
            .anyMatch(
                i ->
                    i[0].equals("RUN")
                        && i[1].contains("${" + prefix + "_SHA256_AMD64}")
                        && i[1].contains("sha256sum -c"));
      } else {
        assertThat(source.image())
            .as("%s comes from a base image with a fixed version", tool)
            .matches("[^:]+:\\d+\\.\\d+\\.\\d+.*");
      }
    }
  }

  @Test
  void theImageToolsAreTheOnesTheCodeLooksFor() {
    assertThat(ExternalTools.IN_IMAGE)
        .contains(ExternalTools.KUSTOMIZE_BUILDERS.get(0))
        .contains(TerraformBinary.DEFAULT_NAMES.get(0))
        .contains(ExternalTools.NODE);
    assertThat(TerraformBinary.DEFAULT_NAMES.get(0)).isEqualTo(ExternalTools.TERRAFORM);
  }
}

package dev.fleetwarden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * SECURITY.md stays true: every rule names at least one test, and every test it names exists (a
 * class under src/test/java, and the method in it when one is given).
 */
class SecurityDocTest {
  private static final Pattern TEST_REF =
      Pattern.compile("\\b([A-Z][A-Za-z0-9]*(?:Test|IT|Contract))(?:#([a-z][A-Za-z0-9]*))?");

  @Test
  void everyRuleNamesATestAndEveryNamedTestExists() throws IOException {
    Map<String, String> sources = testSources();
    List<String> rows = new ArrayList<>();
    boolean inRules = false;
    for (String line : Files.readAllLines(Path.of("SECURITY.md"))) {
      if (line.startsWith("## ")) {
        inRules = line.startsWith("## Rules");
      } else if (inRules && line.startsWith("| ") && !line.startsWith("| threat")) {
        rows.add(line);
      }
    }
    assertThat(rows).as("rules in SECURITY.md").hasSizeGreaterThan(30);
    List<String> problems = new ArrayList<>();
    for (String row : rows) {
      String[] cells = row.split(" \\| ");
      String tests = cells[cells.length - 1];
      Matcher m = TEST_REF.matcher(tests);
      int found = 0;
      while (m.find()) {
        found++;
        String source = sources.get(m.group(1));
        if (source == null) {
          problems.add("no test class " + m.group(1));
        } else if (m.group(2) != null
            && !Pattern.compile("\\b" + m.group(2) + "\\s*\\(").matcher(source).find()) {
          problems.add("no method " + m.group(1) + "#" + m.group(2));
        }
      }
      if (found == 0) {
        problems.add("a rule without a test: " + cells[0]);
      }
    }
    assertThat(problems).isEmpty();
  }

  private static Map<String, String> testSources() throws IOException {
    Map<String, String> sources = new HashMap<>();
    try (Stream<Path> files = Files.walk(Path.of("src/test/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String name = f.getFileName().toString().replace(".java", "");
        sources.merge(name, Files.readString(f), String::concat);
      }
    }
    return sources;
  }
}

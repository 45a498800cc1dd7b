package dev.fleetwarden.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/** YAML syntax errors say what is likely wrong, in plain words, at the line of the mistake. */
class YamlSyntaxTest {
  private static FleetError error(String yaml) {
    FleetValidationException e =
        catchThrowableOfType(
            () -> LocatedYaml.parseAll("f.yaml", yaml), FleetValidationException.class);
    assertThat(e).as("not valid YAML: " + yaml).isNotNull();
    return e.errors().get(0);
  }

  @Test
  void aKeyIndentedDifferentlyFromItsSiblings() {
    FleetError e = error("kind: Cluster\nmetadata:\n  name: x\n spec:\n  a: 1\n");
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.message()).startsWith("this line is indented differently from the keys above it");
  }

  @Test
  void aLineIndentedDeeperThanItsParentAllows() {
    FleetError e = error("a:\n  b: 1\n   c: 2\n");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.message()).startsWith("unexpected ':': this line is indented deeper");
  }

  @Test
  void aTab() {
    FleetError e = error("a:\n\tb: 1\n");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.message()).contains("tab character").contains("spaces only");
  }

  @Test
  void anUnclosedQuoteIsReportedWhereItOpened() {
    FleetError e = error("a: 1\nb: \"unclosed\nc: 2\n");
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.message()).isEqualTo("a quoted string is not closed; add the closing quote");
  }

  @Test
  void noParserJargon() {
    for (String yaml :
        new String[] {"a: [1, 2\nb: 3\n", "a: {x: 1\nb: 2\n", "- a\n b\n- c: d\n  - e\n"}) {
      assertThat(error(yaml).message()).doesNotContain("while parsing", "while scanning");
    }
  }
}

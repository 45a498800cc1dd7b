package dev.fleetwarden.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.HostileStrings;
import dev.fleetwarden.model.Reflected;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link TerminalText} on every hostile string: no escape sequence, no line of its own. */
class TerminalTextTest {
  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.fleetwarden.HostileStrings#names")
  void noControlCharacterReachesTheTerminal(String name) {
    String in = HostileStrings.ALL.get(name);
    String out = TerminalText.of(in);

    assertThat(out).doesNotContain("\u001b").doesNotContain("\n").doesNotContain("\r");
    assertThat(HostileStrings.hasControl(out)).isFalse();
    if (in.length() > Reflected.MESSAGE) {
      assertThat(out).endsWith(HostileStrings.HUGE_SUFFIX).hasSizeLessThan(Reflected.MESSAGE + 40);
    } else {
      assertThat(out.length()).isGreaterThanOrEqualTo(in.length());
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiterString = "=>",
      quoteCharacter = '"',
      value = {
        "plain text               => plain text",
        "\"a\nb\"                 => a\u240ab",
        "\"\u001b[31mred\"        => \u241b[31mred",
        "\"x\u009by\"             => x\\u009by",
        "\"\u202eabc\"            => \\u202eabc",
        "\"tab\there\"            => tab\u2409here",
      })
  void controlsBecomeVisibleSymbols(String in, String expected) {
    assertThat(TerminalText.of(in)).isEqualTo(expected);
  }
}

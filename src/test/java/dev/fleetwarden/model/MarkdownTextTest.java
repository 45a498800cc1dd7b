package dev.fleetwarden.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.HostileStrings;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link MarkdownText} on every hostile string: nothing GitHub would turn into markup survives. */
class MarkdownTextTest {
  /** Characters that start markup anywhere in a line: each must be backslash-escaped. */
  private static final String MARKUP = "`*_[]()!|~$<>";

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.fleetwarden.HostileStrings#names")
  void textIsInert(String name) {
    String in = HostileStrings.ALL.get(name);
    String out = MarkdownText.text(in);

    for (int i = 0; i < out.length(); i++) {
      char c = out.charAt(i);
      if (c == '\\') {
        i++; // the escaped character is shown as itself
        continue;
      }
      assertThat(MARKUP.indexOf(c)).as("unescaped '%s' at %d in %s", c, i, out).isNegative();
      if (c == '&') {
        assertThat(out.substring(i)).as("entity at %d", i).matches("(?s)&(amp|lt|gt);.*");
      }
      if (c == '@' || c == '#') {
        assertThat(i + 1 < out.length() && out.charAt(i + 1) == MarkdownText.BREAK)
            .as("mention or reference broken at %d in %s", i, out)
            .isTrue();
      }
    }
    String lower = out.toLowerCase(Locale.ROOT);
    assertThat(lower).as("no bare link").doesNotContain("://").doesNotContain("www.");
    assertThat(HostileStrings.hasControl(out)).as("one line, no escape sequence").isFalse();
    assertThat(out).doesNotStartWith("-").doesNotStartWith("+").doesNotStartWith("=");
    assertCapped(in, out.replace("\\", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.fleetwarden.HostileStrings#names")
  void aCodeSpanCannotBeClosedByItsContent(String name) {
    String in = HostileStrings.ALL.get(name);
    for (String out : new String[] {MarkdownText.code(in), MarkdownText.codeCell(in)}) {
      assertThat(out).startsWith("`").endsWith("`");
      assertThat(out.chars().filter(c -> c == '`').count()).as(out).isEqualTo(2);
      assertThat(HostileStrings.hasControl(out)).isFalse();
      assertCapped(in, out.substring(1, out.length() - 1));
    }
    String cell = MarkdownText.codeCell(in);
    for (int i = 0; i < cell.length(); i++) {
      if (cell.charAt(i) == '|') {
        assertThat(cell.charAt(i - 1)).as("escaped pipe at %d in %s", i, cell).isEqualTo('\\');
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.fleetwarden.HostileStrings#names")
  void plainTextLinksNothing(String name) {
    String in = HostileStrings.ALL.get(name);
    String out = MarkdownText.plain(in);

    assertThat(out).doesNotContain("`");
    assertThat(out.toLowerCase(Locale.ROOT)).doesNotContain("://").doesNotContain("www.");
    for (int i = 0; i < out.length(); i++) {
      if (out.charAt(i) == '@' || out.charAt(i) == '#') {
        assertThat(out.charAt(i + 1)).isEqualTo(MarkdownText.BREAK);
      }
    }
    assertThat(HostileStrings.hasControl(out)).isFalse();
    assertCapped(in, out);
  }

  @ParameterizedTest
  @CsvSource(
      delimiterString = "=>",
      value = {
        "prod-eu-1                  => prod-eu-1",
        "kubectl-edit               => kubectl-edit",
        "a_b*c                      => a\\_b\\*c",
        "[x](y)                     => \\[x\\]\\(y\\)",
        "<b>&                       => &lt;b&gt;&amp;",
        "@here                      => @\u200bhere",
        "see https://x.example      => see https:\u200b//x.example",
        "- item                     => \\- item",
        "1. item                    => 1\\. item",
      })
  void textKeepsWhatPeopleRead(String in, String expected) {
    assertThat(MarkdownText.text(in)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiterString = "=>",
      value = {
        "nginx:1.27                 => `nginx:1.27`",
        "a`b                        => `a\u02cbb`",
        "''                         => ` `",
      })
  void codeShowsTheValue(String in, String expected) {
    assertThat(MarkdownText.code(in)).isEqualTo(expected);
  }

  private static void assertCapped(String in, String out) {
    if (in.length() > Reflected.MESSAGE) {
      assertThat(out).endsWith(HostileStrings.HUGE_SUFFIX).hasSizeLessThan(Reflected.MESSAGE + 40);
    }
  }
}

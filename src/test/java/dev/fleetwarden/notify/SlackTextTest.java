package dev.fleetwarden.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleetwarden.HostileStrings;
import dev.fleetwarden.model.Reflected;
import dev.fleetwarden.model.ResourceId;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link SlackText} on every hostile string: what Slack parses cannot survive. */
class SlackTextTest {
  private static final Pattern BARE_AMPERSAND = Pattern.compile("&(?!amp;|lt;|gt;)");

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.fleetwarden.HostileStrings#names")
  void mrkdwnCannotLinkMentionCloseACodeSpanOrBreakALine(String name) {
    String in = HostileStrings.ALL.get(name);
    String out = SlackText.mrkdwn(in);

    assertThat(out).as("no link or mention syntax").doesNotContain("<").doesNotContain(">");
    assertThat(BARE_AMPERSAND.matcher(out).find()).as("every & is an entity: " + out).isFalse();
    assertThat(out).as("no backtick").doesNotContain("`");
    assertThat(("`" + out + "`").chars().filter(c -> c == '`').count())
        .as("a code span around it stays one code span")
        .isEqualTo(2);
    assertThat(HostileStrings.SPECIAL_MENTION.matcher(out).find())
        .as("no @here/@channel/@everyone: " + out)
        .isFalse();
    assertThat(HostileStrings.hasControl(out)).as("no control character").isFalse();
    assertThat(out.length()).as("capped").isLessThan(6 * Reflected.MESSAGE);
    if (in.length() > Reflected.MESSAGE) {
      assertThat(out).endsWith(HostileStrings.HUGE_SUFFIX);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.fleetwarden.HostileStrings#names")
  void plainTextHasNoMarkupCharacterNoMentionAndNoControl(String name) {
    String in = HostileStrings.ALL.get(name);
    String out = SlackText.plain(in);

    assertThat(out).doesNotContain("<").doesNotContain(">").doesNotContain("&");
    assertThat(HostileStrings.SPECIAL_MENTION.matcher(out).find()).as(out).isFalse();
    assertThat(HostileStrings.hasControl(out)).isFalse();
    assertThat(out.length()).isLessThanOrEqualTo(Reflected.MESSAGE + 40);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.fleetwarden.HostileStrings#names")
  void aValueIsCappedWithItsSizeAndStaysInsideItsCodeSpan(String name) {
    String in = HostileStrings.ALL.get(name);
    String shown =
        SlackMessages.value(
            new ResourceId("prod", "", "ConfigMap", "team-a", "settings"), TextNode.valueOf(in));

    assertThat(shown).startsWith("`").endsWith("`");
    assertThat(shown.chars().filter(c -> c == '`').count()).isEqualTo(2);
    assertThat(shown).doesNotContain("<").doesNotContain("\n");
    if (in.length() > Reflected.VALUE) {
      assertThat(shown)
          .hasSizeLessThan(Reflected.VALUE + 40)
          .endsWith("… (" + Reflected.utf8Length(in) + " bytes)`");
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiterString = "=>",
      quoteCharacter = '"',
      value = {
        "a<b>c&d          => a&lt;b&gt;c&amp;d",
        "x`y              => x\u02cby",
        "\"a\nb\"         => a\u240ab",
        "\"a\u001b[2Jb\"  => a\u241b[2Jb",
        "@here now        => @\u200bhere now",
        "mail a@b.example => mail a@b.example",
        "image@sha256:ab  => image@sha256:ab",
      })
  void mrkdwnKeepsWhatPeopleReadAndChangesOnlyTheMarkup(String in, String expected) {
    assertThat(SlackText.mrkdwn(in)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiterString = "=>",
      nullValues = "NONE",
      value = {
        "@here                        => <!here>",
        "@Channel                     => <!channel>",
        "<!subteam^S0123ABC>          => <!subteam^S0123ABC>",
        "<@U024BE7LH>                 => <@U024BE7LH>",
        "@platform-oncall             => @platform-oncall",
        "<https://evil.example|click> => &lt;https://evil.example|click&gt;",
        "<!channel> @here             => &lt;!channel&gt; @\u200bhere",
        "'   '                        => NONE",
      })
  void aConfiguredMentionIsOneSlackMentionOrEscapedText(String configured, String expected) {
    assertThat(SlackText.mention(configured.strip())).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ' ',
      value = {
        "https://github.com/example-org/fleet/pull/42 true",
        "https://evil.example|click> false",
        "https://evil.example>x false",
        "javascript:alert(1) false",
      })
  void onlyPlainHttpUrlsBecomeLinks(String url, boolean link) {
    String out = SlackText.link(url, "label");
    assertThat(out.startsWith("<" + url + "|")).isEqualTo(link);
    if (!link) {
      assertThat(out).doesNotContain("<").doesNotContain(">");
    }
  }
}

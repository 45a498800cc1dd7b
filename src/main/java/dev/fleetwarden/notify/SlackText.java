package dev.fleetwarden.notify;

import dev.fleetwarden.model.Reflected;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Escaping for Slack, applied to every string that does not come from fleetwarden itself (values,
 * paths, field managers, names, error messages) where a message is built. Pure.
 *
 * <p>What Slack parses: in mrkdwn, {@code <...>} makes links and mentions ({@code <!channel>},
 * {@code <https://evil|click>}, {@code <@U123>}), {@code &lt;} and friends are entities, a backtick
 * ends a code span; with {@code link_names} a bare {@code @here} or {@code @group} mentions. The
 * notifier sends {@code link_names=false} and {@code parse=none}, and every mrkdwn text object is
 * {@code verbatim}; on top of that the text itself cannot form any of these.
 */
public final class SlackText {
  /** Stands in for a backtick, which would end a code span: MODIFIER LETTER GRAVE ACCENT. */
  static final char BACKTICK = '\u02cb';

  /** Breaks a would-be mention without changing what people read: ZERO WIDTH SPACE. */
  static final char BREAK = '\u200b';

  private static final Pattern SPECIAL_MENTION =
      Pattern.compile("@(here|channel|everyone)", Pattern.CASE_INSENSITIVE);
  private static final Pattern SLACK_MENTION =
      Pattern.compile("<(?:!here|!channel|!everyone|!subteam\\^[A-Z0-9]+|@[UW][A-Z0-9]+)>");
  private static final Pattern HANDLE = Pattern.compile("@[a-z0-9][a-z0-9._-]{0,79}");
  private static final Pattern URL = Pattern.compile("https?://[^\\s<>|`\"]+");

  private SlackText() {}

  /**
   * Text for mrkdwn, inside or outside a code span: capped at {@link Reflected#MESSAGE}, control
   * characters shown as symbols (so no newline splits a line), {@code & < >} as entities (so no
   * link or mention can be formed), backticks as {@value #BACKTICK} (so no code span is closed or
   * opened), {@code @here}, {@code @channel}, {@code @everyone} broken.
   */
  public static String mrkdwn(String s) {
    if (s == null) {
      return "";
    }
    String t = Reflected.visible(Reflected.cap(s, Reflected.MESSAGE));
    StringBuilder sb = new StringBuilder(t.length() + 16);
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '`' -> sb.append(BACKTICK);
        default -> sb.append(c);
      }
    }
    return breakMentions(sb.toString());
  }

  /**
   * Text for a {@code plain_text} object (header blocks): Slack shows it as written, but to be sure
   * nothing there is ever read as markup, {@code < > &} become look-alikes, control characters
   * symbols, and the special mentions are broken.
   */
  public static String plain(String s) {
    if (s == null) {
      return "";
    }
    String t =
        Reflected.visible(Reflected.cap(s, Reflected.MESSAGE))
            .replace('<', '\u2039')
            .replace('>', '\u203a')
            .replace('&', '\uff06');
    return breakMentions(t);
  }

  /**
   * A mention configured in {@code fleet.yaml}, in the form Slack notifies with {@code
   * link_names=false}: {@code @here}, {@code @channel} and {@code @everyone} become {@code <!here>}
   * and so on; Slack's own syntax ({@code <!subteam^S123>}, {@code <@U123>}, {@code <!here>})
   * stays; a user group handle ({@code @platform-oncall}) stays as text (Slack no longer resolves
   * it: write {@code <!subteam^ID>}); anything else is escaped like any text. Null for none.
   */
  public static String mention(String configured) {
    if (configured == null || configured.isBlank()) {
      return null;
    }
    String m = configured.strip();
    Matcher special = SPECIAL_MENTION.matcher(m);
    if (special.matches()) {
      return "<!" + special.group(1).toLowerCase(java.util.Locale.ROOT) + ">";
    }
    if (SLACK_MENTION.matcher(m).matches() || HANDLE.matcher(m).matches()) {
      return m;
    }
    return mrkdwn(m);
  }

  /**
   * A link {@code <url|label>} when {@code url} is a plain http(s) URL that cannot break out of the
   * link syntax, else the label followed by the URL as escaped text. {@code label} is mrkdwn built
   * by the caller.
   */
  public static String link(String url, String label) {
    if (url != null && URL.matcher(url).matches() && url.length() <= Reflected.NAME) {
      return "<" + url + "|" + label + ">";
    }
    return label + (url == null ? "" : " (`" + mrkdwn(url) + "`)");
  }

  private static String breakMentions(String s) {
    if (s.indexOf('@') < 0) {
      return s;
    }
    return SPECIAL_MENTION
        .matcher(s)
        .replaceAll(m -> Matcher.quoteReplacement("@" + BREAK + m.group(1)));
  }
}

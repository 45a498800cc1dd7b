package dev.fleetwarden;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Strings someone with edit rights on one namespace can put in a live object (a ConfigMap value or
 * key, an annotation, a field manager, an object name), or a fleet committer in a Helm {@code fail}
 * message: every sink's tests push the same ones through their escaper.
 */
public final class HostileStrings {
  public static final String BACKTICKS = "v1`*bold*` `` ```code``` ` end`";
  public static final String NEWLINES = "line one\nline two\n\n# heading\n- item";
  public static final String CARRIAGE_RETURN = "fine\r*** overwritten ***";
  public static final String AT_HERE = "@here please look";
  public static final String AT_CHANNEL = "hey @channel and @Everyone";
  public static final String SLACK_CHANNEL = "<!channel> <!here|here> <!subteam^S0123|@oncall>";
  public static final String SLACK_LINK = "<https://evil.example/login|click to fix>";
  public static final String HTML =
      "<img src=x onerror=alert(1)><script>alert(1)</script><a href='https://evil.example'>x</a>";
  public static final String MARKDOWN_LINK =
      "[click](https://evil.example) ![pixel](https://evil.example/p.png) [ref]: https://evil.example";
  public static final String MENTIONS = "cc @octocat @org/team fixes #1 and GH-2 mail a@b.example";
  public static final String AUTOLINKS = "go to https://evil.example or www.evil.example now";
  public static final String ESC =
      "\u001b[31mred\u001b[0m \u001b]0;owned title\u0007 \u001b[2J\u001b[H cleared";
  public static final String C1_AND_BIDI = "\u009b31m csi \u0085nel \u202eevil\u202c \u2028sep";
  public static final String PIPES_AND_ENTITIES = "a | b \\| c &lt;!channel&gt; &amp; $x$";
  public static final String LOG_FORGERY =
      "ok\n2026-01-01T00:00:00.000Z INFO  dev.fleetwarden.Forged [] admin approved";
  public static final String MIXED =
      "`</sub>\n@here <!channel> <https://evil.example|x> [a](https://evil.example)\u001b[31m\r";

  /** One mebibyte: 1,048,576 characters, 1,048,576 UTF-8 bytes. */
  public static final String HUGE = "A".repeat(1 << 20);

  public static final int HUGE_BYTES = 1 << 20;

  /** The byte count a capped {@link #HUGE} must show. */
  public static final String HUGE_SUFFIX = "… (1048576 bytes)";

  /** Every hostile string by a name for test reports. */
  public static final Map<String, String> ALL = all();

  /** Whether Slack would read an {@code @here}, {@code @channel} or {@code @everyone} mention. */
  public static final Pattern SPECIAL_MENTION = Pattern.compile("(?i)@(here|channel|everyone)\\b");

  private HostileStrings() {}

  private static Map<String, String> all() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("backticks", BACKTICKS);
    m.put("newlines", NEWLINES);
    m.put("carriage return", CARRIAGE_RETURN);
    m.put("@here", AT_HERE);
    m.put("@channel", AT_CHANNEL);
    m.put("<!channel>", SLACK_CHANNEL);
    m.put("slack link", SLACK_LINK);
    m.put("html", HTML);
    m.put("markdown link", MARKDOWN_LINK);
    m.put("mentions", MENTIONS);
    m.put("autolinks", AUTOLINKS);
    m.put("esc", ESC);
    m.put("c1 and bidi", C1_AND_BIDI);
    m.put("pipes and entities", PIPES_AND_ENTITIES);
    m.put("log forgery", LOG_FORGERY);
    m.put("mixed", MIXED);
    m.put("1 MB", HUGE);
    return Collections.unmodifiableMap(m);
  }

  /** The names, for {@code @MethodSource}. */
  public static List<String> names() {
    return List.copyOf(ALL.keySet());
  }

  /** Whether {@code s} holds a character that changes layout or starts an escape sequence. */
  public static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20
          || (c >= 0x7f && c <= 0x9f)
          || c == 0x2028
          || c == 0x2029
          || (c >= 0x202a && c <= 0x202e)
          || (c >= 0x2066 && c <= 0x2069)) {
        return true;
      }
    }
    return false;
  }
}

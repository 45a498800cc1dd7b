package dev.fleetwarden.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Strings that come from outside fleetwarden (live objects, cluster and cloud error messages, fleet
 * files) on their way to a sink: the one size cap every sink applies, and the replacement of
 * control characters shared by the sinks' escapers (Slack, Markdown, terminal, logs). Each sink
 * adds its own escaping on top; this class knows no sink. Pure.
 */
public final class Reflected {
  /** Longest field value (desired, live) shown anywhere. */
  public static final int VALUE = 200;

  /**
   * Longest name shown: resource id segments, field paths, field managers, files, add-ons. Above
   * Kubernetes' own name limit (253) plus a path prefix, so no real name is ever cut.
   */
  public static final int NAME = 300;

  /** Longest message shown: reasons and errors from clusters, clouds and renders. */
  public static final int MESSAGE = 1000;

  private Reflected() {}

  /** {@link #cap(String, int)} at {@link #VALUE}. */
  public static String cap(String s) {
    return cap(s, VALUE);
  }

  /**
   * {@code s} itself when it has at most {@code max} characters, else its first {@code max}
   * characters followed by {@code "… (N bytes)"}, N being the UTF-8 size of the whole string. Never
   * splits a surrogate pair. Null stays null.
   */
  public static String cap(String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    int end = Math.max(0, max);
    if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end) + "… (" + utf8Length(s) + " bytes)";
  }

  /**
   * A desired or live value as text shows it: {@code (absent)} when missing, a string as its text,
   * anything else as compact JSON; capped at {@link #VALUE}. Still to be escaped for the sink.
   */
  public static String show(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "(absent)";
    }
    String s = value.isTextual() ? value.asText() : value.toString();
    return cap(s, VALUE);
  }

  /** The same id with each segment capped at {@link #NAME}, for display only. */
  public static ResourceId id(ResourceId id) {
    return new ResourceId(
        cap(id.cluster(), NAME),
        cap(id.group(), NAME),
        cap(id.kind(), NAME),
        cap(id.namespace(), NAME),
        cap(id.name(), NAME));
  }

  /** The UTF-8 size of {@code s}, counted without encoding it. */
  public static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /**
   * Whether a character changes how text is laid out or interpreted instead of showing as itself:
   * C0 controls (newline, carriage return, tab, ESC, ...), DEL, C1 controls (CSI is one), the line
   * and paragraph separators and the bidirectional formatting characters (which reorder what is
   * shown).
   */
  public static boolean isControl(char c) {
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || c == 0x2028
        || c == 0x2029
        || c == 0x061c
        || c == 0x200e
        || c == 0x200f
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069);
  }

  /**
   * {@code s} with every {@linkplain #isControl control character} shown as a visible symbol: C0
   * controls and DEL as their Unicode control pictures ({@code \n} as ␊, ESC as ␛), the others as
   * {@code \}{@code uXXXX}. The result holds no line break and no escape sequence. Null stays null.
   */
  public static String visible(String s) {
    if (s == null || noControl(s)) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20) {
        sb.append((char) (0x2400 + c));
      } else if (c == 0x7f) {
        sb.append('\u2421');
      } else if (isControl(c)) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * {@code s} with every {@linkplain #isControl control character} written as a backslash escape:
   * {@code \n}, {@code \r}, {@code \t}, else {@code \}{@code uXXXX}. For logs, where escapes read
   * better than symbols. Null stays null.
   */
  public static String escaped(String s) {
    if (s == null || noControl(s)) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (isControl(c)) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }

  private static boolean noControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (isControl(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}

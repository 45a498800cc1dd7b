package dev.fleetwarden.model;

import java.util.regex.Pattern;

/**
 * Escaping for GitHub Markdown (pull request bodies and comments, {@code diff -o markdown}),
 * applied to every string that does not come from fleetwarden itself where the Markdown is built.
 * Pure.
 *
 * <p>What GitHub reads in text: HTML, links and images ({@code [..](..)}, {@code ![..](..)}),
 * autolinks ({@code <http://..>}, bare {@code http://..} and {@code www.}), emphasis, {@code
 * $math$}, {@code @mentions} (which notify), {@code #123} references, and line breaks that start
 * new blocks. In a code span only a backtick (which ends it) and, in a table, a {@code |} (which
 * ends the cell) and a line break matter.
 */
public final class MarkdownText {
  /** Stands in for a backtick in code spans: MODIFIER LETTER GRAVE ACCENT. */
  static final char BACKTICK = '\u02cb';

  /** Breaks a mention, reference or autolink without changing what people read. */
  static final char BREAK = '\u200b';

  private static final String ESCAPED = "\\`*_[]()!|~$";
  private static final Pattern WWW = Pattern.compile("(?i)(www)\\.");
  private static final Pattern LIST_MARKER = Pattern.compile("^([0-9]{1,9})([.)])");

  private MarkdownText() {}

  /**
   * A whole inline code span showing {@code s}: capped at {@link Reflected#MESSAGE}, control
   * characters as symbols, backticks as {@value #BACKTICK}, so nothing in it can end the span or
   * the line.
   */
  public static String code(String s) {
    String t = inCode(s);
    return t.isEmpty() ? "` `" : "`" + t + "`";
  }

  /** {@link #code} for a table cell: also every {@code |} escaped, so the cell cannot end early. */
  public static String codeCell(String s) {
    String t = inCode(s).replace("|", "\\|");
    return t.isEmpty() ? "` `" : "`" + t + "`";
  }

  /**
   * {@code s} as inert Markdown text (also safe in a table cell): capped at {@link
   * Reflected#MESSAGE}, control characters as symbols, {@code & < >} as entities (no HTML, no
   * autolink), Markdown punctuation backslash-escaped (no link, image, emphasis, code or math), a
   * leading list or quote marker escaped, and a zero-width space after each {@code @} and {@code #}
   * and inside {@code ://} and {@code www.} (no mention, reference or bare link).
   */
  public static String text(String s) {
    if (s == null) {
      return "";
    }
    String t = breakLinks(Reflected.visible(Reflected.cap(s, Reflected.MESSAGE)));
    StringBuilder sb = new StringBuilder(t.length() + 16);
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '@', '#' -> sb.append(c).append(BREAK);
        case '-', '+', '=' -> sb.append(i == 0 ? "\\" : "").append(c);
        default -> {
          if (ESCAPED.indexOf(c) >= 0) {
            sb.append('\\');
          }
          sb.append(c);
        }
      }
    }
    return LIST_MARKER.matcher(sb).replaceFirst("$1\\\\$2");
  }

  /**
   * {@code s} for text GitHub shows without Markdown but still links (commit messages, pull request
   * titles): capped at {@link Reflected#MESSAGE}, control characters as symbols, backticks as
   * {@value #BACKTICK}, and a zero-width space after each {@code @} and {@code #} and inside {@code
   * ://} and {@code www.}.
   */
  public static String plain(String s) {
    if (s == null) {
      return "";
    }
    String t = breakLinks(Reflected.visible(Reflected.cap(s, Reflected.MESSAGE)));
    StringBuilder sb = new StringBuilder(t.length() + 8);
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == '`') {
        sb.append(BACKTICK);
      } else {
        sb.append(c);
        if (c == '@' || c == '#') {
          sb.append(BREAK);
        }
      }
    }
    return sb.toString();
  }

  private static String inCode(String s) {
    if (s == null) {
      return "";
    }
    return Reflected.visible(Reflected.cap(s, Reflected.MESSAGE)).replace('`', BACKTICK);
  }

  private static String breakLinks(String s) {
    String t = s.contains("://") ? s.replace("://", ":" + BREAK + "//") : s;
    return WWW.matcher(t).find() ? WWW.matcher(t).replaceAll("$1" + BREAK + ".") : t;
  }
}

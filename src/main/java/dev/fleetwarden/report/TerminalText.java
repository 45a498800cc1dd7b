package dev.fleetwarden.report;

import dev.fleetwarden.model.Reflected;

/**
 * Escaping for a terminal ({@code diff -o text}, the CLI's messages), applied to every string that
 * does not come from fleetwarden itself where the text is built: capped at {@link
 * Reflected#MESSAGE}, every control character (ESC, CSI, newline, carriage return, bidi overrides)
 * shown as a visible symbol, so a value can neither move the cursor, recolor or retitle the
 * terminal, nor start a line of its own. Pure.
 */
public final class TerminalText {
  private TerminalText() {}

  public static String of(String s) {
    return s == null ? "" : Reflected.visible(Reflected.cap(s, Reflected.MESSAGE));
  }

  /** Any object's {@code toString()}, escaped the same way. */
  public static String of(Object o) {
    return o == null ? "" : of(o.toString());
  }
}

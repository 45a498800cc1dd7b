package dev.fleetwarden.git;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Removes credentials from URLs, messages and exception chains before they leave this package. */
final class Redaction {
  private static final Pattern USER_INFO =
      Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s]+@");

  private final List<String> secrets;

  private Redaction(List<String> secrets) {
    this.secrets = secrets;
  }

  /** A redaction that also removes these literal secret values (blank ones are ignored). */
  static Redaction of(String... secrets) {
    List<String> list = new ArrayList<>();
    for (String s : secrets) {
      if (s != null && !s.isBlank()) {
        list.add(s);
      }
    }
    return new Redaction(List.copyOf(list));
  }

  static String url(String url) {
    return url == null ? null : USER_INFO.matcher(url).replaceAll("$1***@");
  }

  String text(String text) {
    if (text == null) {
      return null;
    }
    String result = url(text);
    for (String secret : secrets) {
      result = result.replace(secret, "***");
    }
    return result;
  }

  /**
   * A copy of an exception chain with every message redacted: same classes named, same stack
   * traces, no secret. The original chain is dropped so that nothing downstream can print it.
   */
  Throwable chain(Throwable t) {
    if (t == null) {
      return null;
    }
    RedactedCause copy =
        new RedactedCause(
            t.getClass().getName() + ": " + text(t.getMessage()), chain(t.getCause()));
    copy.setStackTrace(t.getStackTrace());
    return copy;
  }

  /** Stands in for a library exception whose message may have carried a credential. */
  static final class RedactedCause extends Exception {
    RedactedCause(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

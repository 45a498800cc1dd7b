package dev.fleetwarden.terraform;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Removes secret values from text before it is logged or reported. */
final class Secrets {
  private static final Pattern AWS_SECRET_ASSIGNMENT =
      Pattern.compile(
          "(?i)((?:secret_key|secret_access_key|session_token|token|password)\\s*[=:]\\s*\"?)[^\"\\s,}]+");
  private static final Pattern ACCESS_KEY_ID = Pattern.compile("\\b(?:AKIA|ASIA)[A-Z0-9]{16}\\b");

  private Secrets() {}

  /** The values of the environment entries whose names say they are secret. */
  static List<String> valuesIn(Map<String, String> environment) {
    return environment.entrySet().stream()
        .filter(e -> e.getKey().matches("(?i).*(secret|token|password).*"))
        .map(Map.Entry::getValue)
        .toList();
  }

  /** The text with every known secret value and anything that looks like an AWS key masked. */
  static String scrub(String text, Collection<String> secrets) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String s : secrets) {
      if (s != null && s.length() >= 4) {
        out = out.replace(s, "***");
      }
    }
    out = AWS_SECRET_ASSIGNMENT.matcher(out).replaceAll("$1***");
    return ACCESS_KEY_ID.matcher(out).replaceAll("***");
  }
}

package dev.fleetwarden.model;

import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import java.util.regex.Pattern;

/**
 * Which strings must be quoted when fleetwarden writes YAML that something else reads back: {@code
 * kubectl apply -f} and Helm read YAML 1.1 (Go's yaml.v2), SnakeYAML reads YAML 1.1, and each takes
 * a plain (unquoted) scalar that looks like a number, a boolean, null, a time or a merge key for
 * that type. A string written plain where such a reader sees {@code 1e3}, {@code 0x1F}, {@code
 * 12:30}, {@code yes} or {@code 2001-12-14} would come back as a number, a boolean or a date.
 *
 * <p>The rule is the union of what the YAML 1.1 type repository ({@code yaml.org/type}) resolves,
 * what YAML 1.2's core schema and Go's number parsing add ({@code 0o17}, {@code 1_000}, {@code
 * 08}), matched without regard to case; quoting a string that a reader would have kept anyway costs
 * two characters and is always safe. {@link #QUOTING} adds it to Jackson's own checks (reserved
 * words, indicators, {@code ": "} and {@code " #"}).
 */
public final class YamlStrings {
  private static final Pattern OTHER_TYPE =
      Pattern.compile(
          String.join(
              "|",
              // null and booleans (yaml.org/type/null, /bool: y, n, yes, no, on, off, true, false)
              "~|null|y|n|yes|no|on|off|true|false",
              // integers: binary, octal (017, and 0o17 of YAML 1.2), hex, decimal with _
              "[-+]?0b[01_]+",
              "[-+]?0o[0-7_]+",
              "[-+]?0x[0-9a-f_]+",
              "[-+]?[0-9][0-9_]*",
              // base 60 (yaml.org/type/int, /float): 12:30, 1:20:30, 190:20:30.15
              "[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?",
              // floats: 1.5, .5, 1., 1.2.3 (the type repository's pattern allows more dots), 1e3
              "[-+]?([0-9][0-9_]*)?\\.[0-9._]*(e[-+]?[0-9]+)?",
              "[-+]?[0-9][0-9_]*e[-+]?[0-9]+",
              "[-+]?\\.(inf|nan)",
              // timestamps (yaml.org/type/timestamp): 2001-12-14, 2001-12-14t21:59:43.10-05:00
              "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(([t]|[ \\t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\\.[0-9]*)?"
                  + "([ \\t]*(z|[-+][0-9]{1,2}(:[0-9]{2})?))?)?",
              // the merge key and the value key (yaml.org/type/merge, /value)
              "<<|="),
          Pattern.CASE_INSENSITIVE);

  /** Jackson's quoting checks plus {@link #readAsOtherType}, for names and values alike. */
  public static final StringQuotingChecker QUOTING = new Quoting();

  private YamlStrings() {}

  /**
   * Whether a YAML 1.1 reader would take this text, written as a plain scalar, for something other
   * than this string (null, a boolean, a number, a timestamp, a merge or value key). The empty
   * string counts: written plain it is null.
   */
  public static boolean readAsOtherType(String text) {
    return text.isEmpty() || OTHER_TYPE.matcher(text).matches();
  }

  private static final class Quoting extends StringQuotingChecker.Default {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean needToQuoteName(String name) {
      return super.needToQuoteName(name) || readAsOtherType(name);
    }

    @Override
    public boolean needToQuoteValue(String value) {
      return super.needToQuoteValue(value) || readAsOtherType(value);
    }
  }
}

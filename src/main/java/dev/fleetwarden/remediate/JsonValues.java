package dev.fleetwarden.remediate;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;

/** Comparing JSON values the way drift does: {@code 5} equals {@code "5"}. Pure. */
final class JsonValues {
  private JsonValues() {}

  /** Whether two values mean the same: numbers by value, scalars by text, containers deeply. */
  static boolean same(JsonNode a, JsonNode b) {
    boolean aAbsent = a == null || a.isMissingNode() || a.isNull();
    boolean bAbsent = b == null || b.isMissingNode() || b.isNull();
    if (aAbsent || bAbsent) {
      return aAbsent == bAbsent;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      Iterator<String> names = a.fieldNames();
      while (names.hasNext()) {
        String n = names.next();
        if (!same(a.get(n), b.get(n))) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!same(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a.isContainerNode() || b.isContainerNode()) {
      return false;
    }
    return text(a).equals(text(b));
  }

  /** A scalar as text; numbers without trailing zeros or exponent. */
  static String text(JsonNode v) {
    if (v.isNumber()) {
      BigDecimal d = v.decimalValue();
      return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    }
    return v.asText();
  }
}

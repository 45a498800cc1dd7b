package dev.fleetwarden.remediate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.model.JsonPointers;
import dev.fleetwarden.model.Reflected;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Comparing and printing JSON values the way drift does: {@code 5} equals {@code "5"}. Pure. */
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

  /** The segments of a JSON pointer, unescaped. */
  static List<String> segments(String pointer) {
    List<String> out = new ArrayList<>();
    if (pointer == null || pointer.isEmpty()) {
      return out;
    }
    for (String s : pointer.substring(1).split("/", -1)) {
      out.add(JsonPointers.unescape(s));
    }
    return out;
  }

  /**
   * Display form for explanations and commit messages, capped at {@value Reflected#VALUE}
   * characters; still to be escaped for where it goes.
   */
  static String show(JsonNode v) {
    if (v == null || v.isMissingNode()) {
      return "(absent)";
    }
    String s = v.isTextual() ? v.asText() : v.toString();
    return Reflected.cap(s, Reflected.VALUE);
  }
}

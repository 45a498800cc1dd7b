package dev.fleetwarden.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.TreeMap;

/**
 * One text per JSON value whatever its spelling, for hashing: object keys sorted, numbers without
 * trailing zeros ({@code 1} = {@code 1.0}), an absent value distinct from {@code null}.
 */
public final class CanonicalJson {
  private CanonicalJson() {}

  /** The canonical text of a value (null or missing: absent). */
  public static String of(JsonNode node) {
    StringBuilder sb = new StringBuilder();
    append(node, sb);
    return sb.toString();
  }

  /** Appends the canonical text of a value (null or missing: absent). */
  public static void append(JsonNode node, StringBuilder sb) {
    if (node == null || node.isMissingNode()) {
      sb.append("<absent>");
    } else if (node.isObject()) {
      TreeMap<String, JsonNode> sorted = new TreeMap<>();
      Iterator<String> names = node.fieldNames();
      while (names.hasNext()) {
        String n = names.next();
        sorted.put(n, node.get(n));
      }
      sb.append('{');
      sorted.forEach(
          (k, v) -> {
            sb.append(quote(k)).append(':');
            append(v, sb);
            sb.append(',');
          });
      sb.append('}');
    } else if (node.isArray()) {
      sb.append('[');
      for (JsonNode item : node) {
        append(item, sb);
        sb.append(',');
      }
      sb.append(']');
    } else if (node.isNumber()) {
      BigDecimal d = node.decimalValue();
      sb.append(d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString());
    } else if (node.isTextual()) {
      sb.append(quote(node.textValue()));
    } else {
      sb.append(node.toString());
    }
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}

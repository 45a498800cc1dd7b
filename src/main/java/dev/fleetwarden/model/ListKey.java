package dev.fleetwarden.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The key a Kubernetes API schema declares for the elements of a list ({@code
 * x-kubernetes-list-map-keys}, else {@code x-kubernetes-patch-merge-key}): the key fields in the
 * schema's order, and the values the API server gives key fields a client may omit ({@code
 * protocol: TCP} of ports).
 *
 * <p>An element is named in a drift path by its key, {@code name=web} or, for several fields,
 * {@code containerPort=8080,protocol=TCP} ({@link #segment}).
 */
public record ListKey(List<String> fields, Map<String, String> defaults) {

  public ListKey {
    fields = List.copyOf(fields);
    defaults = Map.copyOf(defaults);
    if (fields.isEmpty()) {
      throw new IllegalArgumentException("a list key needs at least one field");
    }
  }

  /**
   * The path segment naming {@code element}, {@code k1=v1,k2=v2} in key order (unescaped: a path
   * escapes it as any pointer segment), or null when the element is not an object or lacks a key
   * field that has no default, or a key field is not a single value.
   */
  public String segment(JsonNode element) {
    if (element == null || !element.isObject()) {
      return null;
    }
    if (fields.size() == 1) {
      String value = value(element, fields.get(0));
      return value == null ? null : fields.get(0) + "=" + value;
    }
    StringBuilder sb = new StringBuilder();
    for (String field : fields) {
      String value = value(element, field);
      if (value == null) {
        return null;
      }
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(field).append('=').append(value);
    }
    return sb.toString();
  }

  /**
   * Whether two values of key field {@code i} ({@link #fields}) are the same key, as {@link
   * #segment} would write them: an absent value (null) stands for the field's default. Builds no
   * text for strings and integers: this runs on every element of every keyed list compared.
   *
   * @param a a value node or null
   * @param b a value node or null
   */
  public boolean sameValue(int i, JsonNode a, JsonNode b) {
    boolean aAbsent = a == null || a.isNull();
    boolean bAbsent = b == null || b.isNull();
    if (aAbsent || bAbsent) {
      String fallback = defaults.get(fields.get(i));
      if (fallback == null) {
        return false;
      }
      return fallback.equals(aAbsent ? (bAbsent ? fallback : b.asText()) : a.asText());
    }
    if (a.isTextual() && b.isTextual()) {
      return a.textValue().equals(b.textValue());
    }
    if (a.isIntegralNumber()
        && b.isIntegralNumber()
        && a.canConvertToLong()
        && b.canConvertToLong()) {
      return a.longValue() == b.longValue();
    }
    return a.asText().equals(b.asText());
  }

  /**
   * Whether key field {@code i} of an element is usable: a single value, or absent with a default.
   *
   * @param value the element's value of the field, or null
   */
  public boolean usable(int i, JsonNode value) {
    return value == null || value.isNull()
        ? defaults.containsKey(fields.get(i))
        : value.isValueNode();
  }

  /** The text of one key field of an element, its default when absent, or null. */
  private String value(JsonNode element, String field) {
    JsonNode v = element.get(field);
    if (v == null || v.isNull()) {
      return defaults.get(field);
    }
    return v.isValueNode() ? v.asText() : null;
  }
}

package dev.fleetwarden.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;

/**
 * A test on one JSON value of a risk rule (a desired or live value, or a whole object). The value
 * may be absent (null). Pure; every test runs in time linear in the value and the predicate, and
 * none runs user-supplied code or regular expressions.
 *
 * <p>{@link Equals}, {@link In}, {@link StartsWith} and {@link EndsWith} hold for a list when they
 * hold for any of its items, so {@code equals: "*"} asks whether a list of verbs holds {@code *}.
 * Scalars compare by their text ({@code true} equals {@code "true"}), numbers by value.
 */
public sealed interface ValuePredicate {
  /** Longest JSON document held in a string that {@link Json} parses (an IAM policy, say). */
  int MAX_EMBEDDED_JSON_CHARS = 256 * 1024;

  /** Whether the value passes. */
  boolean test(JsonNode value);

  /** Holds for anything: a side the rule does not constrain. */
  record Always() implements ValuePredicate {
    @Override
    public boolean test(JsonNode value) {
      return true;
    }
  }

  /** {@code absent: true}: the value is absent or null; {@code absent: false}: it is set. */
  record Absent(boolean expected) implements ValuePredicate {
    @Override
    public boolean test(JsonNode value) {
      return isAbsent(value) == expected;
    }
  }

  /**
   * {@code empty: true}: absent, {@code ""}, {@code []}, {@code {}}, or a list or map of empty
   * values only (a pod selector {@code {matchLabels: {}}} selects every pod).
   */
  record Empty(boolean expected) implements ValuePredicate {
    @Override
    public boolean test(JsonNode value) {
      return isEmpty(value) == expected;
    }
  }

  /** {@code equals: X}: the value (or, for a scalar X, an item of a list value) is X. */
  record Equals(JsonNode expected) implements ValuePredicate {
    @Override
    public boolean test(JsonNode value) {
      if (isAbsent(value)) {
        return false;
      }
      if (same(value, expected)) {
        return true;
      }
      if (value.isArray() && !expected.isContainerNode()) {
        for (JsonNode item : value) {
          if (same(item, expected)) {
            return true;
          }
        }
      }
      return false;
    }
  }

  /** {@code in: [X, Y]}: the value (or an item of a list value) is one of them. */
  record In(List<JsonNode> expected) implements ValuePredicate {
    public In {
      expected = List.copyOf(expected);
    }

    @Override
    public boolean test(JsonNode value) {
      for (JsonNode e : expected) {
        if (new Equals(e).test(value)) {
          return true;
        }
      }
      return false;
    }
  }

  /** {@code startsWith: "s3:"}: the value (or an item of a list value) is text starting so. */
  record StartsWith(String prefix) implements ValuePredicate {
    @Override
    public boolean test(JsonNode value) {
      return anyText(value, t -> t.startsWith(prefix));
    }
  }

  /** {@code endsWith: ":*"}: the value (or an item of a list value) is text ending so. */
  record EndsWith(String suffix) implements ValuePredicate {
    @Override
    public boolean test(JsonNode value) {
      return anyText(value, t -> t.endsWith(suffix));
    }
  }

  /**
   * {@code path: /Statement/*}: the rest of the predicate holds at some position the pattern
   * selects below the value (a literal naming nothing is an absent value; {@code *} over nothing
   * selects no position).
   */
  record At(PathPattern path, ValuePredicate then) implements ValuePredicate {
    @Override
    public boolean test(JsonNode value) {
      for (JsonNode position : path.select(value, 0)) {
        if (then.test(position)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * {@code json: {...}}: the value is a JSON document written in a string (an IAM or bucket policy)
   * and the nested predicate holds for it; a map or list value is tested as it is. Text that is not
   * JSON, or longer than {@value #MAX_EMBEDDED_JSON_CHARS} characters, does not pass.
   */
  record Json(ValuePredicate then) implements ValuePredicate {
    @Override
    public boolean test(JsonNode value) {
      if (value != null && value.isContainerNode()) {
        return then.test(value);
      }
      JsonNode parsed = parseEmbedded(value);
      return parsed != null && then.test(parsed);
    }
  }

  /** {@code not: {...}}. */
  record Not(ValuePredicate negated) implements ValuePredicate {
    @Override
    public boolean test(JsonNode value) {
      return !negated.test(value);
    }
  }

  /** {@code anyOf: [...]}. */
  record AnyOf(List<ValuePredicate> options) implements ValuePredicate {
    public AnyOf {
      options = List.copyOf(options);
    }

    @Override
    public boolean test(JsonNode value) {
      for (ValuePredicate p : options) {
        if (p.test(value)) {
          return true;
        }
      }
      return false;
    }
  }

  /** {@code allOf: [...]}, and several keys in one predicate mapping. */
  record AllOf(List<ValuePredicate> parts) implements ValuePredicate {
    public AllOf {
      parts = List.copyOf(parts);
    }

    @Override
    public boolean test(JsonNode value) {
      for (ValuePredicate p : parts) {
        if (!p.test(value)) {
          return false;
        }
      }
      return true;
    }
  }

  /** Absent or JSON null. */
  static boolean isAbsent(JsonNode value) {
    return value == null || value.isNull() || value.isMissingNode();
  }

  /** See {@link Empty}. */
  static boolean isEmpty(JsonNode value) {
    if (isAbsent(value)) {
      return true;
    }
    if (value.isTextual()) {
      return value.textValue().isEmpty();
    }
    if (value.isContainerNode()) {
      for (JsonNode child : value) {
        if (!isEmpty(child)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  /**
   * Whether two values are the same for a risk rule: both absent, scalars of the same text (numbers
   * by value), or lists and maps of the same values.
   */
  static boolean same(JsonNode a, JsonNode b) {
    boolean absentA = isAbsent(a);
    boolean absentB = isAbsent(b);
    if (absentA || absentB) {
      return absentA && absentB;
    }
    if (a.isValueNode() && b.isValueNode()) {
      if (a.isNumber() && b.isNumber()) {
        return a.decimalValue().compareTo(b.decimalValue()) == 0;
      }
      if (a.isNumber() || b.isNumber()) {
        BigDecimal x = decimal(a);
        BigDecimal y = decimal(b);
        if (x != null && y != null) {
          return x.compareTo(y) == 0;
        }
      }
      return a.asText().equals(b.asText());
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
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      Iterator<String> names = a.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        if (!same(a.get(name), b.get(name))) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  private static BigDecimal decimal(JsonNode n) {
    if (n.isNumber()) {
      return n.decimalValue();
    }
    String t = n.asText();
    if (t.isEmpty() || t.length() > 40 || !t.matches("-?\\d+(\\.\\d+)?")) {
      return null;
    }
    return new BigDecimal(t);
  }

  private static boolean anyText(JsonNode value, java.util.function.Predicate<String> test) {
    if (isAbsent(value)) {
      return false;
    }
    if (value.isArray()) {
      for (JsonNode item : value) {
        if (item.isValueNode() && !item.isNull() && test.test(item.asText())) {
          return true;
        }
      }
      return false;
    }
    return value.isValueNode() && test.test(value.asText());
  }

  /** The JSON document in a string value, or null when there is none (or it is too large). */
  private static JsonNode parseEmbedded(JsonNode value) {
    if (value == null || !value.isTextual()) {
      return null;
    }
    String text = value.textValue().trim();
    if (text.length() > MAX_EMBEDDED_JSON_CHARS
        || !(text.startsWith("{") || text.startsWith("["))) {
      return null;
    }
    try {
      return Embedded.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** The parser of embedded documents: nesting capped, like every reader of foreign input. */
  final class Embedded {
    static final ObjectMapper MAPPER =
        new ObjectMapper(
            JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
                .build());

    private Embedded() {}
  }
}

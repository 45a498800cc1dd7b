package dev.fleetwarden.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A JSON pointer pattern of a risk rule: each segment is {@code *} (any one segment: a list index,
 * a keyed item such as {@code name=web}, or a map key), a literal, or alternatives {@code a|b|c}
 * (one segment equal to any of them). Literals are JSON pointer segments ({@code ~1} for {@code /},
 * {@code ~0} for {@code ~}); a literal {@code k=v} or {@code k1=v1,k2=v2} selects the list item
 * whose keys have those values, as drift paths name keyed list items. Pure and immutable.
 */
public final class PathPattern {
  /** Longest pattern accepted, in segments. */
  public static final int MAX_SEGMENTS = 32;

  private static final String ANY = "*";

  private final String text;
  private final List<Set<String>> segments; // null entry: any segment

  private PathPattern(String text, List<Set<String>> segments) {
    this.text = text;
    this.segments = segments;
  }

  /**
   * Parses a pattern; {@code ""} is the whole document.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static PathPattern parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("a path is required");
    }
    if (!text.isEmpty() && !text.startsWith("/")) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a JSON pointer; it must start with '/'");
    }
    List<Set<String>> segments = new ArrayList<>();
    for (String raw : text.isEmpty() ? new String[0] : text.substring(1).split("/", -1)) {
      if (raw.equals(ANY)) {
        segments.add(null);
        continue;
      }
      Set<String> alternatives = new LinkedHashSet<>();
      for (String alternative : raw.split("\\|", -1)) {
        if (alternative.isEmpty()) {
          throw new IllegalArgumentException(
              "'" + text + "' has an empty segment or alternative; write a key, * or a|b");
        }
        alternatives.add(JsonPointers.unescape(alternative));
      }
      segments.add(Set.copyOf(alternatives));
    }
    if (segments.size() > MAX_SEGMENTS) {
      throw new IllegalArgumentException(
          "'" + text + "' has more than " + MAX_SEGMENTS + " segments");
    }
    return new PathPattern(text, java.util.Collections.unmodifiableList(segments));
  }

  public int size() {
    return segments.size();
  }

  /** Whether segment {@code i} of the pattern matches an (unescaped) concrete segment. */
  public boolean matches(int i, String concrete) {
    Set<String> allowed = segments.get(i);
    return allowed == null || allowed.contains(concrete);
  }

  /** Whether segment {@code i} is {@code *}. */
  public boolean isAny(int i) {
    return segments.get(i) == null;
  }

  /** The literal alternatives of segment {@code i} (empty for {@code *}). */
  public Set<String> literals(int i) {
    Set<String> allowed = segments.get(i);
    return allowed == null ? Set.of() : allowed;
  }

  /**
   * The values at every position the pattern from segment {@code from} on selects below {@code
   * node}: {@code *} expands to each item of a list or value of a map, a literal that names nothing
   * gives an absent value (null). Used for "is there a position where ...".
   */
  public List<JsonNode> select(JsonNode node, int from) {
    List<JsonNode> out = new ArrayList<>();
    select(node, from, out);
    return out;
  }

  private void select(JsonNode node, int i, List<JsonNode> out) {
    if (i == segments.size()) {
      out.add(node);
      return;
    }
    if (node == null || node.isNull() || node.isMissingNode()) {
      if (!isAny(i)) {
        out.add(null);
      }
      return;
    }
    if (isAny(i)) {
      if (node.isContainerNode()) {
        for (JsonNode child : node) {
          select(child, i + 1, out);
        }
      }
      return;
    }
    for (String literal : segments.get(i)) {
      select(child(node, literal), i + 1, out);
    }
  }

  /**
   * The child of a value at one (unescaped) drift path segment: a map key, a list index, or a keyed
   * list item ({@code name=web}, {@code containerPort=8080,protocol=TCP}); null when there is none.
   */
  public static JsonNode child(JsonNode node, String segment) {
    if (node == null) {
      return null;
    }
    if (node.isObject()) {
      return node.get(segment);
    }
    if (!node.isArray()) {
      return null;
    }
    if (!segment.isEmpty() && segment.chars().allMatch(Character::isDigit)) {
      return segment.length() > 9 ? null : node.get(Integer.parseInt(segment));
    }
    List<String[]> keys = keys(segment);
    if (keys.isEmpty()) {
      return null;
    }
    for (JsonNode item : node) {
      if (hasKeys(item, keys)) {
        return item;
      }
    }
    return null;
  }

  private static List<String[]> keys(String segment) {
    List<String[]> keys = new ArrayList<>();
    for (String pair : segment.split(",", -1)) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        return List.of();
      }
      keys.add(new String[] {pair.substring(0, eq), pair.substring(eq + 1)});
    }
    return keys;
  }

  private static boolean hasKeys(JsonNode item, List<String[]> keys) {
    if (!item.isObject()) {
      return false;
    }
    for (String[] key : keys) {
      JsonNode v = item.get(key[0]);
      if (v == null || !v.isValueNode() || !v.asText().equals(key[1])) {
        return false;
      }
    }
    return true;
  }

  /** The children of a container with the segment that names each (index or key). */
  public static List<String> childSegments(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        out.add(Integer.toString(i));
      }
    } else if (node.isObject()) {
      Iterator<String> names = node.fieldNames();
      names.forEachRemaining(out::add);
    }
    return out;
  }

  @Override
  public String toString() {
    return text;
  }
}

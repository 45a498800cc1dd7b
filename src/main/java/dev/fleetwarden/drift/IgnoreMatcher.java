package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.model.IgnoreRule;
import dev.fleetwarden.model.JsonPointers;
import dev.fleetwarden.model.ResourceId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The ignore rules that apply to one object, compiled: pointers (with {@code *} for any list
 * element and {@code key=value} for a keyed one) ignore a field and everything below it; managers
 * ignore every field they last wrote.
 */
final class IgnoreMatcher {
  static final IgnoreMatcher NONE = new IgnoreMatcher(List.of(), Set.of());

  private final List<List<String>> pointers;
  private final Set<String> managers;

  private IgnoreMatcher(List<List<String>> pointers, Set<String> managers) {
    this.pointers = pointers;
    this.managers = managers;
  }

  static IgnoreMatcher forObject(ResourceId id, List<IgnoreRule> rules) {
    if (rules == null || rules.isEmpty()) {
      return NONE;
    }
    List<List<String>> pointers = new ArrayList<>();
    Set<String> managers = new HashSet<>();
    for (IgnoreRule rule : rules) {
      if (rule.matches(id)) {
        rule.pointers().forEach(p -> pointers.add(JsonPointers.split(p)));
        managers.addAll(rule.managers());
      }
    }
    return pointers.isEmpty() && managers.isEmpty() ? NONE : new IgnoreMatcher(pointers, managers);
  }

  /**
   * Whether the drifted field at {@code path} (indices of the desired object) last written by
   * {@code manager} (may be null) is ignored.
   */
  boolean ignores(String path, String manager, JsonNode desired) {
    if (manager != null && managers.contains(manager)) {
      return true;
    }
    if (pointers.isEmpty()) {
      return false;
    }
    List<String> segments = JsonPointers.split(path);
    for (List<String> pointer : pointers) {
      if (covers(pointer, segments, desired)) {
        return true;
      }
    }
    return false;
  }

  private static boolean covers(List<String> pointer, List<String> path, JsonNode desired) {
    if (pointer.size() > path.size()) {
      return false;
    }
    JsonNode node = desired;
    for (int i = 0; i < pointer.size(); i++) {
      String want = pointer.get(i);
      String have = path.get(i);
      if (!want.equals("*") && !want.equals(have) && !selectsElement(want, node, have)) {
        return false;
      }
      node = child(node, have);
    }
    return true;
  }

  /** {@code name=controller} selects the list element whose {@code name} is {@code controller}. */
  private static boolean selectsElement(String want, JsonNode list, String index) {
    int eq = want.indexOf('=');
    if (eq <= 0 || list == null || !list.isArray()) {
      return false;
    }
    JsonNode element = child(list, index);
    JsonNode value = element == null ? null : element.get(want.substring(0, eq));
    return value != null && value.isValueNode() && value.asText().equals(want.substring(eq + 1));
  }

  private static JsonNode child(JsonNode node, String segment) {
    if (node == null) {
      return null;
    }
    if (node.isArray()) {
      try {
        return node.get(Integer.parseInt(segment));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return node.get(segment);
  }
}

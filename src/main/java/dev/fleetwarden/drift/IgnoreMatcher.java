package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.model.IgnoreRule;
import dev.fleetwarden.model.JsonPointers;
import dev.fleetwarden.model.KeyedPaths;
import dev.fleetwarden.model.ResourceId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ignore rules that apply to one object, compiled: pointers ignore a field and everything below
 * it; managers ignore every field they last wrote. A pointer segment selects list elements as drift
 * paths name them: {@code *} any element, an index, {@code name=x} or several key fields {@code
 * containerPort=8080,protocol=TCP} (values escaped as pointer segments, {@code
 * mountPath=~1etc~1web}); a key segment also selects by a field that is not the list's key.
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
   * Whether the drifted field at {@code path} (a drift path: keyed elements by key, others by index
   * in {@code desired}) last written by {@code manager} (may be null) is ignored.
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
      boolean same = want.equals("*") || want.equals(have);
      JsonNode next;
      if (node != null && node.isArray()) {
        int index = KeyedPaths.indexIn(node, have);
        next = index < 0 ? null : node.get(index);
        same = same || selectsElement(want, have, index, next);
      } else {
        next = node == null ? null : node.get(have);
      }
      if (!same) {
        return false;
      }
      node = next;
    }
    return true;
  }

  /**
   * Whether a rule segment ({@code 1}, {@code name=controller}, {@code
   * containerPort=8080,protocol=TCP}) selects the list element a drift path segment names (by
   * index, or by its key): the path's key values first, then the desired element's fields.
   */
  private static boolean selectsElement(String want, String have, int index, JsonNode element) {
    if (KeyedPaths.isIndex(want)) {
      return index >= 0 && Integer.parseInt(want) == index;
    }
    Map<String, String> selector = KeyedPaths.selector(want);
    if (selector == null) {
      return false;
    }
    Map<String, String> key = KeyedPaths.selector(have);
    for (Map.Entry<String, String> e : selector.entrySet()) {
      String actual;
      if (key != null && key.containsKey(e.getKey())) {
        actual = key.get(e.getKey());
      } else {
        JsonNode value = element == null ? null : element.get(e.getKey());
        actual = value != null && value.isValueNode() ? value.asText() : null;
      }
      if (!e.getValue().equals(actual)) {
        return false;
      }
    }
    return true;
  }
}

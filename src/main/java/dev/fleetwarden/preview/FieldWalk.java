package dev.fleetwarden.preview;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.model.JsonPointers;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields two versions of one desired object (or Terraform resource) differ in, down to the
 * leaves: maps key by key, lists whose items all carry a distinct {@code name} item by item (the
 * segment reads {@code name=web}, as drift paths do), other lists of equal length position by
 * position, and lists whose length changed as one value. A JSON null counts as absent (Helm and
 * kubectl drop it).
 */
final class FieldWalk {
  private final List<FieldChange> out = new ArrayList<>();

  private FieldWalk() {}

  /** Every changed field between two values, in document order; empty when they are equal. */
  static List<FieldChange> changes(JsonNode before, JsonNode after) {
    FieldWalk walk = new FieldWalk();
    walk.compare("", present(before), present(after));
    return walk.out;
  }

  private void compare(String path, JsonNode before, JsonNode after) {
    if (before == null && after == null) {
      return;
    }
    if (before == null || after == null) {
      out.add(new FieldChange(path, before, after));
    } else if (before.isObject() && after.isObject()) {
      compareObjects(path, before, after);
    } else if (before.isArray() && after.isArray()) {
      compareLists(path, before, after);
    } else if (!before.equals(after)) {
      out.add(new FieldChange(path, before, after));
    }
  }

  private void compareObjects(String path, JsonNode before, JsonNode after) {
    Set<String> keys = new LinkedHashSet<>();
    before.fieldNames().forEachRemaining(keys::add);
    after.fieldNames().forEachRemaining(keys::add);
    for (String key : keys) {
      compare(
          path + "/" + JsonPointers.escape(key), present(before.get(key)), present(after.get(key)));
    }
  }

  private void compareLists(String path, JsonNode before, JsonNode after) {
    if (before.equals(after)) {
      return;
    }
    Map<String, JsonNode> named = byName(before);
    Map<String, JsonNode> namedAfter = named == null ? null : byName(after);
    if (named != null && namedAfter != null) {
      Set<String> names = new LinkedHashSet<>(named.keySet());
      names.addAll(namedAfter.keySet());
      for (String name : names) {
        compare(path + "/name=" + JsonPointers.escape(name), named.get(name), namedAfter.get(name));
      }
      return;
    }
    if (before.size() != after.size()) {
      out.add(new FieldChange(path, before, after));
      return;
    }
    for (int i = 0; i < before.size(); i++) {
      compare(path + "/" + i, present(before.get(i)), present(after.get(i)));
    }
  }

  /** Items by their {@code name}, or null when an item has none or two share one. */
  private static Map<String, JsonNode> byName(JsonNode list) {
    if (list.isEmpty()) {
      return new LinkedHashMap<>();
    }
    Map<String, JsonNode> out = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    Iterator<JsonNode> items = list.elements();
    while (items.hasNext()) {
      JsonNode item = items.next();
      JsonNode name = item.isObject() ? item.get("name") : null;
      if (name == null || !name.isTextual() || !seen.add(name.asText())) {
        return null;
      }
      out.put(name.asText(), item);
    }
    return out;
  }

  private static JsonNode present(JsonNode value) {
    return value == null || value.isNull() || value.isMissingNode() ? null : value;
  }
}

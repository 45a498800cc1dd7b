package dev.fleetwarden.preview;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.model.JsonPointers;
import dev.fleetwarden.model.ListKey;
import dev.fleetwarden.model.SchemaNode;
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
 * leaves: maps key by key; lists item by item where they are keyed, with the segment the drift
 * paths use ({@code name=web}, {@code containerPort=8080,protocol=TCP}), so that a preview and a
 * drift name the same field alike; other lists of equal length position by position, and lists
 * whose length changed as one value. Which lists are keyed, and by what, is the kind's schema
 * ({@link SchemaNode}, as the diff reads it); without one (Terraform, kinds the API data does not
 * know), lists whose items all carry a distinct {@code name} are keyed by it. A JSON null counts as
 * absent (Helm and kubectl drop it).
 */
final class FieldWalk {
  /** The key of lists without a schema: {@code name}. */
  private static final ListKey NAME = new ListKey(List.of("name"), Map.of());

  private final List<FieldChange> out = new ArrayList<>();

  /** Whether the object's kind has a schema: then a list without a key compares by position. */
  private final boolean schemaKnown;

  private FieldWalk(boolean schemaKnown) {
    this.schemaKnown = schemaKnown;
  }

  /**
   * Every changed field between two values, in document order; empty when they are equal. Lists are
   * keyed by {@code name} where all items have a distinct one.
   */
  static List<FieldChange> changes(JsonNode before, JsonNode after) {
    return changes(null, before, after);
  }

  /**
   * Every changed field between two versions of an object whose kind has {@code schema} (null:
   * unknown, lists keyed by {@code name}), in document order; empty when they are equal.
   */
  static List<FieldChange> changes(SchemaNode schema, JsonNode before, JsonNode after) {
    FieldWalk walk = new FieldWalk(schema != null);
    walk.compare("", schema, present(before), present(after));
    return walk.out;
  }

  private void compare(String path, SchemaNode schema, JsonNode before, JsonNode after) {
    if (before == null && after == null) {
      return;
    }
    if (before == null || after == null) {
      out.add(new FieldChange(path, before, after));
    } else if (before.isObject() && after.isObject()) {
      compareObjects(path, schema, before, after);
    } else if (before.isArray() && after.isArray()) {
      compareLists(path, schema, before, after);
    } else if (!before.equals(after)) {
      out.add(new FieldChange(path, before, after));
    }
  }

  private void compareObjects(String path, SchemaNode schema, JsonNode before, JsonNode after) {
    Set<String> keys = new LinkedHashSet<>();
    before.fieldNames().forEachRemaining(keys::add);
    after.fieldNames().forEachRemaining(keys::add);
    for (String key : keys) {
      compare(
          path + "/" + JsonPointers.escape(key),
          schema == null ? null : schema.field(key),
          present(before.get(key)),
          present(after.get(key)));
    }
  }

  private void compareLists(String path, SchemaNode schema, JsonNode before, JsonNode after) {
    if (before.equals(after)) {
      return;
    }
    ListKey key = schemaKnown ? (schema == null ? null : schema.listKey()) : NAME;
    Map<String, JsonNode> keyed = key == null ? null : byKey(key, before);
    Map<String, JsonNode> keyedAfter = keyed == null ? null : byKey(key, after);
    if (keyed != null && keyedAfter != null) {
      SchemaNode items = schema == null ? null : schema.items();
      Set<String> segments = new LinkedHashSet<>(keyed.keySet());
      segments.addAll(keyedAfter.keySet());
      for (String segment : segments) {
        compare(
            path + "/" + JsonPointers.escape(segment),
            items,
            keyed.get(segment),
            keyedAfter.get(segment));
      }
      return;
    }
    if (before.size() != after.size()) {
      out.add(new FieldChange(path, before, after));
      return;
    }
    SchemaNode items = schema == null ? null : schema.items();
    for (int i = 0; i < before.size(); i++) {
      compare(path + "/" + i, items, present(before.get(i)), present(after.get(i)));
    }
  }

  /**
   * Items by their key segment, or null when an item has no key or two share one (without a schema,
   * the key is a textual {@code name}).
   */
  private Map<String, JsonNode> byKey(ListKey key, JsonNode list) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    Iterator<JsonNode> items = list.elements();
    while (items.hasNext()) {
      JsonNode item = items.next();
      if (!schemaKnown && !(item.isObject() && item.path("name").isTextual())) {
        return null;
      }
      String segment = key.segment(item);
      if (segment == null || !seen.add(segment)) {
        return null;
      }
      out.put(segment, item);
    }
    return out;
  }

  private static JsonNode present(JsonNode value) {
    return value == null || value.isNull() || value.isMissingNode() ? null : value;
  }
}

package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.model.FieldMap;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Who last wrote a field, from a live object's {@code metadata.managedFields} (FieldsV1: {@code
 * f:<field>}, keyed list elements {@code k:{"name":"app"}}, set elements {@code v:...}, {@code .}
 * for the element itself). The owner of a field is the entry whose field set reaches deepest along
 * the field's path; on a tie, the most recent writer.
 */
final class ManagedFields {
  /** The manager that last wrote a field, and when. */
  record Owner(String manager, Instant time) {}

  /** One entry; its time is kept as written and parsed once, when compared or reported. */
  private static final class Entry {
    final String manager;
    final String timeText;
    final JsonNode fields;
    private Instant time;
    private boolean parsed;

    Entry(String manager, String timeText, JsonNode fields) {
      this.manager = manager;
      this.timeText = timeText;
      this.fields = fields;
    }

    Instant time() {
      if (!parsed) {
        time = parseTime(timeText);
        parsed = true;
      }
      return time;
    }
  }

  private static final ManagedFields NONE = new ManagedFields(List.of(), key -> null);

  private final List<Entry> entries;

  /** Parses the JSON of a {@code k:} key (null when it does not parse); the caller caches. */
  private final Function<String, JsonNode> keys;

  private ManagedFields(List<Entry> entries, Function<String, JsonNode> keys) {
    this.entries = entries;
    this.keys = keys;
  }

  /**
   * @param keys the JSON of a {@code k:} key, or null when it does not parse (one cluster's objects
   *     repeat the same few keys: the caller keeps them parsed across objects)
   */
  static ManagedFields of(JsonNode live, Function<String, JsonNode> keys) {
    JsonNode managed = live == null ? null : live.path("metadata").get("managedFields");
    if (managed == null || !managed.isArray() || managed.isEmpty()) {
      return NONE;
    }
    List<Entry> entries = new ArrayList<>();
    for (JsonNode entry : managed) {
      JsonNode fields = entry.get("fieldsV1");
      String manager = entry.path("manager").asText(null);
      if (fields != null && fields.isObject() && manager != null) {
        entries.add(new Entry(manager, entry.path("time").asText(null), fields));
      }
    }
    return new ManagedFields(entries, keys);
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  /**
   * The owner of the live field at {@code liveSegments} (field names, and live elements of keyed
   * lists), or null when no entry owns any part of the path.
   */
  Owner ownerOf(List<Object> liveSegments) {
    Entry best = null;
    int bestDepth = 0;
    for (Entry entry : entries) {
      int depth = depth(entry.fields, liveSegments);
      if (depth > bestDepth || (depth == bestDepth && depth > 0 && newer(entry, best))) {
        best = entry;
        bestDepth = depth;
      }
    }
    return best == null ? null : new Owner(best.manager, best.time());
  }

  private static boolean newer(Entry a, Entry b) {
    return b == null || (a.time() != null && (b.time() == null || a.time().isAfter(b.time())));
  }

  /** How many segments of the path this field set reaches. */
  private int depth(JsonNode fields, List<Object> segments) {
    JsonNode node = fields;
    int depth = 0;
    for (Object segment : segments) {
      JsonNode child = null;
      if (segment instanceof String name) {
        child = fieldNamed(node, name);
      } else if (segment instanceof JsonNode element) {
        child = keyedChild(node, element);
      }
      if (child == null) {
        break;
      }
      depth++;
      node = child;
    }
    return depth;
  }

  /** The {@code f:<name>} child, found without building its text. */
  private static JsonNode fieldNamed(JsonNode node, String name) {
    FieldMap fields = FieldMap.of(node);
    if (fields == null) {
      return node.get("f:" + name);
    }
    for (int i = 0; i < fields.size(); i++) {
      String key = fields.name(i);
      if (key.length() == name.length() + 2
          && key.startsWith("f:")
          && key.regionMatches(2, name, 0, name.length())) {
        return fields.value(i);
      }
    }
    return null;
  }

  /** The {@code k:{...}} child whose key fields all equal the live element's. */
  private JsonNode keyedChild(JsonNode node, JsonNode element) {
    Iterator<Map.Entry<String, JsonNode>> children = node.fields();
    while (children.hasNext()) {
      Map.Entry<String, JsonNode> child = children.next();
      if (child.getKey().startsWith("k:") && keyMatches(keys.apply(child.getKey()), element)) {
        return child.getValue();
      }
    }
    return null;
  }

  private static boolean keyMatches(JsonNode key, JsonNode element) {
    if (key == null || !key.isObject() || !element.isObject()) {
      return false;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = key.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode value = element.get(field.getKey());
      if (value == null || !value.asText().equals(field.getValue().asText())) {
        return false;
      }
    }
    return true;
  }

  private static Instant parseTime(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}

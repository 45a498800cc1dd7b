package dev.fleetwarden.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The {@code metadata.managedFields} entry a real API server records when a client writes with a
 * {@code fieldManager} (kubectl sends {@code kubectl-edit}, {@code kubectl-patch}, {@code
 * kubectl-client-side-apply}, ...), simplified: the manager is given the fields its write changed
 * or added (FieldsV1: {@code f:<field>}, elements of keyed lists as {@code k:{"name":...}}, other
 * lists whole), merged into its earlier entry. Other managers keep their entries; the newest writer
 * of a field is its owner. Pure.
 */
final class FieldSets {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  // Identity and what the server sets: no manager owns them.
  private static final Set<String> SERVER_METADATA =
      Set.of(
          "name",
          "namespace",
          "managedFields",
          "resourceVersion",
          "uid",
          "creationTimestamp",
          "generation",
          "selfLink",
          "deletionTimestamp");

  private FieldSets() {}

  /**
   * {@code after} with a managedFields entry of {@code manager} covering what changed since {@code
   * before} (null: a create, every field). Unchanged when nothing changed.
   */
  static ObjectNode record(JsonNode before, ObjectNode after, String manager, Instant now) {
    ObjectNode changed = before == null ? all(after, "", true) : changed(before, after, true);
    if (changed.isEmpty()) {
      return after;
    }
    ObjectNode out = after.deepCopy();
    ArrayNode entries = out.withObjectProperty("metadata").withArrayProperty("managedFields");
    ObjectNode entry = null;
    for (JsonNode e : entries) {
      if (manager.equals(e.path("manager").asText())
          && "Update".equals(e.path("operation").asText())
          && !e.has("subresource")
          && e instanceof ObjectNode o) {
        entry = o;
      }
    }
    if (entry == null) {
      entry = entries.addObject();
      entry.put("manager", manager).put("operation", "Update");
    }
    entry.put("apiVersion", out.path("apiVersion").asText());
    entry.put("time", now.truncatedTo(ChronoUnit.SECONDS).toString());
    entry.put("fieldsType", "FieldsV1");
    JsonNode old = entry.get("fieldsV1");
    entry.set("fieldsV1", union(old instanceof ObjectNode o ? o : JSON.objectNode(), changed));
    return out;
  }

  /** The fields that differ between two versions of a map (top level: less server metadata). */
  static ObjectNode changed(JsonNode before, JsonNode after, boolean top) {
    ObjectNode out = JSON.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = after.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      if (top && (name.equals("apiVersion") || name.equals("kind") || name.equals("status"))) {
        continue;
      }
      JsonNode now = e.getValue();
      JsonNode was = before.get(name);
      if (top && name.equals("metadata")) {
        ObjectNode meta = changedMetadata(was, now);
        if (!meta.isEmpty()) {
          out.set("f:metadata", meta);
        }
        continue;
      }
      if (was == null || was.isNull()) {
        out.set("f:" + name, all(now, name, false));
      } else if (now.isObject() && was.isObject()) {
        ObjectNode sub = changed(was, now, false);
        if (!sub.isEmpty()) {
          out.set("f:" + name, sub);
        }
      } else if (now.isArray() && was.isArray()) {
        ObjectNode sub = changedList(name, (ArrayNode) was, (ArrayNode) now);
        if (sub != null) {
          out.set("f:" + name, sub);
        }
      } else if (!now.equals(was)) {
        out.set("f:" + name, JSON.objectNode());
      }
    }
    return out;
  }

  private static ObjectNode changedMetadata(JsonNode was, JsonNode now) {
    ObjectNode before = was != null && was.isObject() ? ((ObjectNode) was).deepCopy() : null;
    ObjectNode after = now.isObject() ? ((ObjectNode) now).deepCopy() : JSON.objectNode();
    SERVER_METADATA.forEach(after::remove);
    if (before == null) {
      return all(after, "metadata", false);
    }
    SERVER_METADATA.forEach(before::remove);
    return changed(before, after, false);
  }

  /** A changed list: keyed elements that changed, or the whole list; null when equal. */
  private static ObjectNode changedList(String name, ArrayNode was, ArrayNode now) {
    if (was.equals(now)) {
      return null;
    }
    String key = Patches.mergeKey(name, now);
    if (key == null) {
      return JSON.objectNode(); // an atomic list: owning the field owns every element
    }
    ObjectNode out = JSON.objectNode();
    for (JsonNode element : now) {
      if (!element.isObject() || !element.has(key)) {
        return JSON.objectNode();
      }
      JsonNode old = null;
      for (JsonNode w : was) {
        if (element.get(key).equals(w.get(key))) {
          old = w;
        }
      }
      ObjectNode sub = old == null ? all(element, "", false) : changed(old, element, false);
      if (!sub.isEmpty()) {
        if (old == null) {
          sub.putObject(".");
        }
        out.set("k:" + JSON.objectNode().set(key, element.get(key)), sub);
      }
    }
    return out;
  }

  /**
   * Every field of the value of field {@code name} (top level: less server metadata, status,
   * apiVersion and kind).
   */
  static ObjectNode all(JsonNode value, String name, boolean top) {
    ObjectNode out = JSON.objectNode();
    if (value.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String field = e.getKey();
        if (top && (field.equals("apiVersion") || field.equals("kind") || field.equals("status"))) {
          continue;
        }
        if (top && field.equals("metadata")) {
          ObjectNode meta = changedMetadata(null, e.getValue());
          if (!meta.isEmpty()) {
            out.set("f:metadata", meta);
          }
          continue;
        }
        out.set("f:" + field, all(e.getValue(), field, false));
      }
    } else if (value.isArray()) {
      ObjectNode sub = changedList(name, JSON.arrayNode(), (ArrayNode) value);
      return sub == null ? out : sub;
    }
    return out;
  }

  private static ObjectNode union(ObjectNode a, ObjectNode b) {
    ObjectNode out = a.deepCopy();
    for (Iterator<Map.Entry<String, JsonNode>> it = b.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode mine = out.get(e.getKey());
      if (mine instanceof ObjectNode m && e.getValue() instanceof ObjectNode o) {
        out.set(e.getKey(), union(m, o));
      } else {
        out.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    return out;
  }
}

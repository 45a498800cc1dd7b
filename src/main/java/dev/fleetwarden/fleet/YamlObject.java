package dev.fleetwarden.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.model.JsonPointers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A mapping inside a located YAML document, read with schema checks: every problem is added to a
 * shared error list with the file and line, so one load reports every error at once.
 */
final class YamlObject {
  private final LocatedYaml.Document doc;
  private final String pointer;
  private final JsonNode node;
  private final List<FleetError> errors;

  YamlObject(LocatedYaml.Document doc, String pointer, List<FleetError> errors) {
    this.doc = doc;
    this.pointer = pointer;
    this.node = doc.root().at(pointer.isEmpty() ? "" : pointer);
    this.errors = errors;
  }

  LocatedYaml.Document doc() {
    return doc;
  }

  String pointer() {
    return pointer;
  }

  boolean present() {
    return !node.isMissingNode() && !node.isNull();
  }

  boolean isObject() {
    return node.isObject();
  }

  Location location() {
    return doc.locationOf(pointer);
  }

  String path(String key) {
    return pointer + "/" + JsonPointers.escape(key);
  }

  void error(String key, String message) {
    errors.add(doc.error(key == null ? pointer : path(key), message));
  }

  /** Reports keys not in the allowed set. */
  YamlObject allow(String... keys) {
    if (!node.isObject()) {
      return this;
    }
    Set<String> allowed = new TreeSet<>(Arrays.asList(keys));
    node.fieldNames()
        .forEachRemaining(
            k -> {
              if (!allowed.contains(k)) {
                error(
                    k, "unknown key '" + k + "'; allowed keys here: " + String.join(", ", allowed));
              }
            });
    return this;
  }

  /** A nested mapping; reports a type error when present but not a mapping. */
  YamlObject object(String key, boolean required) {
    JsonNode child = node.path(key);
    if (child.isMissingNode() || child.isNull()) {
      if (required) {
        error(null, "missing required key '" + key + "'");
      }
    } else if (!child.isObject()) {
      error(key, "'" + key + "' must be a mapping (key: value pairs)");
    }
    return new YamlObject(doc, path(key), errors);
  }

  /** A string scalar; numbers and booleans are accepted as their text. */
  String text(String key, boolean required) {
    JsonNode child = node.path(key);
    if (child.isMissingNode() || child.isNull()) {
      if (required) {
        error(null, "missing required key '" + key + "'");
      }
      return null;
    }
    if (!child.isValueNode()) {
      error(key, "'" + key + "' must be a single value, not a " + kindOf(child));
      return null;
    }
    String s = child.asText();
    if (required && s.isBlank()) {
      error(key, "'" + key + "' must not be empty");
      return null;
    }
    return s;
  }

  Boolean bool(String key) {
    JsonNode child = node.path(key);
    if (child.isMissingNode() || child.isNull()) {
      return null;
    }
    if (!child.isBoolean()) {
      error(key, "'" + key + "' must be true or false");
      return null;
    }
    return child.booleanValue();
  }

  /** A mapping of strings (labels, selectors). */
  Map<String, String> stringMap(String key) {
    JsonNode child = node.path(key);
    if (child.isMissingNode() || child.isNull()) {
      return null;
    }
    if (!child.isObject()) {
      error(key, "'" + key + "' must be a mapping of strings");
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    child
        .fields()
        .forEachRemaining(
            e -> {
              if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                errors.add(
                    doc.error(
                        path(key) + "/" + JsonPointers.escape(e.getKey()),
                        "'" + e.getKey() + "' must be a string value"));
              } else {
                out.put(e.getKey(), e.getValue().asText());
              }
            });
    return out;
  }

  /** A list of strings. */
  List<String> stringList(String key) {
    JsonNode child = node.path(key);
    if (child.isMissingNode() || child.isNull()) {
      return null;
    }
    if (!child.isArray()) {
      error(key, "'" + key + "' must be a list");
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < child.size(); i++) {
      JsonNode item = child.get(i);
      if (!item.isValueNode() || item.isNull()) {
        errors.add(doc.error(path(key) + "/" + i, "list items of '" + key + "' must be strings"));
      } else {
        out.add(item.asText());
      }
    }
    return out;
  }

  /** The mappings of a list, each as a YamlObject; non-mapping items are reported. */
  List<YamlObject> objectList(String key) {
    JsonNode child = node.path(key);
    List<YamlObject> out = new ArrayList<>();
    if (child.isMissingNode() || child.isNull()) {
      return out;
    }
    if (!child.isArray()) {
      error(key, "'" + key + "' must be a list");
      return out;
    }
    for (int i = 0; i < child.size(); i++) {
      String p = path(key) + "/" + i;
      if (!child.get(i).isObject()) {
        errors.add(doc.error(p, "list items of '" + key + "' must be mappings"));
      } else {
        out.add(new YamlObject(doc, p, errors));
      }
    }
    return out;
  }

  private static String kindOf(JsonNode n) {
    return n.isArray() ? "list" : n.isObject() ? "mapping" : "value";
  }
}

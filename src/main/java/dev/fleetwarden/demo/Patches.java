package dev.fleetwarden.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The two object patches kubectl sends besides JSON patch, applied as the embedded clusters do
 * (pure; the inputs are not changed).
 *
 * <p>A JSON merge patch (RFC 7386): objects merge, {@code null} removes a field, anything else
 * (lists included) replaces.
 *
 * <p>A strategic merge patch, simplified: as a merge patch, except that the lists Kubernetes merges
 * by a key are merged by that key, chosen by the field's name whatever the kind: {@code
 * containers}, {@code initContainers}, {@code ephemeralContainers}, {@code env}, {@code volumes},
 * {@code imagePullSecrets}, {@code resourceClaims} by {@code name}; {@code volumeMounts} by {@code
 * mountPath}; {@code volumeDevices} by {@code devicePath}; {@code ports} by {@code containerPort}
 * (a container's) or {@code port} (a Service's); {@code ownerReferences} by {@code uid}; {@code
 * conditions} by {@code type}; {@code hostAliases} by {@code ip}; {@code topologySpreadConstraints}
 * by {@code topologyKey}; {@code finalizers} is a set. Every other list is replaced. The directives
 * kubectl writes are honoured: {@code $patch} (merge, replace, delete) on maps and list elements,
 * {@code $retainKeys}, {@code $deleteFromPrimitiveList/<list>} and {@code $setElementOrder/<list>}
 * (the listed elements in that order, then the others as they were).
 */
final class Patches {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Map<String, String> MERGE_KEYS =
      Map.ofEntries(
          Map.entry("containers", "name"),
          Map.entry("initContainers", "name"),
          Map.entry("ephemeralContainers", "name"),
          Map.entry("env", "name"),
          Map.entry("volumes", "name"),
          Map.entry("imagePullSecrets", "name"),
          Map.entry("resourceClaims", "name"),
          Map.entry("volumeMounts", "mountPath"),
          Map.entry("volumeDevices", "devicePath"),
          Map.entry("ownerReferences", "uid"),
          Map.entry("conditions", "type"),
          Map.entry("hostAliases", "ip"),
          Map.entry("topologySpreadConstraints", "topologyKey"),
          Map.entry("webhooks", "name"));
  private static final Set<String> SETS = Set.of("finalizers");
  private static final String PATCH = "$patch";
  private static final String RETAIN_KEYS = "$retainKeys";
  private static final String DELETE_FROM = "$deleteFromPrimitiveList/";
  private static final String ORDER = "$setElementOrder/";

  private Patches() {}

  /** {@code target} with a JSON merge patch (RFC 7386) applied. */
  static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode out = target != null && target.isObject() ? target.deepCopy() : JSON.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isNull()) {
        out.remove(e.getKey());
      } else {
        out.set(e.getKey(), merge(out.get(e.getKey()), e.getValue()));
      }
    }
    return out;
  }

  /** {@code target} with a strategic merge patch applied (see the class comment). */
  static JsonNode strategic(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode base = target != null && target.isObject() ? target.deepCopy() : JSON.objectNode();
    ObjectNode out = mergeMap(base, (ObjectNode) patch);
    return out == null ? JSON.objectNode() : out;
  }

  /** Merges {@code patch} into {@code map} (a copy the caller owns); null: delete the map. */
  private static ObjectNode mergeMap(ObjectNode map, ObjectNode patch) {
    String directive = patch.path(PATCH).asText("merge");
    if (directive.equals("delete")) {
      return null;
    }
    if (directive.equals("replace")) {
      return (ObjectNode) withoutDirectives(patch);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().startsWith(DELETE_FROM)) {
        String list = e.getKey().substring(DELETE_FROM.length());
        if (map.get(list) instanceof ArrayNode values) {
          ArrayNode kept = JSON.arrayNode();
          values.forEach(
              v -> {
                if (!contains(e.getValue(), v)) {
                  kept.add(v);
                }
              });
          map.set(list, kept);
        }
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      JsonNode value = e.getValue();
      if (name.startsWith("$")) {
        continue;
      }
      if (value.isNull()) {
        map.remove(name);
      } else if (value.isObject()) {
        JsonNode current = map.get(name);
        ObjectNode merged =
            mergeMap(
                current != null && current.isObject()
                    ? (ObjectNode) current.deepCopy()
                    : JSON.objectNode(),
                (ObjectNode) value);
        if (merged == null) {
          map.remove(name);
        } else {
          map.set(name, merged);
        }
      } else if (value.isArray()) {
        map.set(name, mergeList(name, map.get(name), (ArrayNode) value));
      } else {
        map.set(name, value.deepCopy());
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().startsWith(ORDER) && e.getValue().isArray()) {
        String list = e.getKey().substring(ORDER.length());
        if (map.get(list) instanceof ArrayNode values) {
          map.set(list, reorder(values, (ArrayNode) e.getValue(), mergeKey(list, values)));
        }
      }
    }
    if (patch.get(RETAIN_KEYS) instanceof ArrayNode retain) {
      Set<String> keep = new HashSet<>();
      retain.forEach(k -> keep.add(k.asText()));
      map.retain(keep);
    }
    return map;
  }

  private static JsonNode mergeList(String name, JsonNode current, ArrayNode patch) {
    for (JsonNode element : patch) {
      if (element.isObject() && "replace".equals(element.path(PATCH).asText())) {
        ArrayNode out = JSON.arrayNode();
        for (JsonNode e : patch) {
          if (!(e.isObject() && e.has(PATCH) && e.size() == 1)) {
            out.add(withoutDirectives(e));
          }
        }
        return out;
      }
    }
    ArrayNode original = current instanceof ArrayNode a ? a.deepCopy() : JSON.arrayNode();
    if (SETS.contains(name)) {
      for (JsonNode v : patch) {
        if (!contains(original, v)) {
          original.add(v.deepCopy());
        }
      }
      return original;
    }
    String key = mergeKey(name, patch);
    if (key == null) {
      return withoutDirectives(patch);
    }
    for (JsonNode element : patch) {
      if (!element.isObject()) {
        continue;
      }
      int at = indexOf(original, key, element.get(key));
      boolean delete = "delete".equals(element.path(PATCH).asText());
      if (delete) {
        if (at >= 0) {
          original.remove(at);
        }
      } else if (at >= 0) {
        original.set(at, mergeMap((ObjectNode) original.get(at).deepCopy(), (ObjectNode) element));
      } else {
        original.add(mergeMap(JSON.objectNode(), (ObjectNode) element));
      }
    }
    return original;
  }

  /** The merge key of a list (null: the list is replaced). */
  static String mergeKey(String name, ArrayNode elements) {
    if (name.equals("ports")) {
      for (JsonNode e : elements) {
        if (e.has("containerPort")) {
          return "containerPort";
        }
      }
      return "port";
    }
    return MERGE_KEYS.get(name);
  }

  private static ArrayNode reorder(ArrayNode values, ArrayNode order, String key) {
    List<JsonNode> rest = new ArrayList<>();
    values.forEach(rest::add);
    ArrayNode out = JSON.arrayNode();
    for (JsonNode o : order) {
      for (Iterator<JsonNode> it = rest.iterator(); it.hasNext(); ) {
        JsonNode v = it.next();
        boolean same = key == null || !o.isObject() ? v.equals(o) : v.path(key).equals(o.path(key));
        if (same) {
          out.add(v);
          it.remove();
          break;
        }
      }
    }
    rest.forEach(out::add);
    return out;
  }

  private static int indexOf(ArrayNode list, String key, JsonNode value) {
    for (int i = 0; i < list.size(); i++) {
      if (value != null && value.equals(list.get(i).get(key))) {
        return i;
      }
    }
    return -1;
  }

  private static boolean contains(JsonNode array, JsonNode value) {
    for (JsonNode v : array) {
      if (v.equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode withoutDirectives(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = JSON.objectNode();
      node.fields()
          .forEachRemaining(
              e -> {
                if (!e.getKey().startsWith("$")) {
                  out.set(e.getKey(), withoutDirectives(e.getValue()));
                }
              });
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JSON.arrayNode();
      node.forEach(e -> out.add(withoutDirectives(e)));
      return out;
    }
    return node.deepCopy();
  }
}

package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lists whose elements Kubernetes merges by key (containers, env, ports, volumes, volumeMounts,
 * imagePullSecrets, tolerations): their elements are matched by key, not by position, so that a
 * reordered list is not drift. Any other list compares by position as a whole value.
 */
final class ListKeys {
  /**
   * How to key the elements of one list: alternatives tried in order, each a set of fields; an
   * element uses the first alternative whose first field it has. Missing fields take {@code
   * defaults} (e.g. {@code protocol: TCP}).
   */
  record ListKey(List<List<String>> alternatives, Map<String, String> defaults) {

    /** The alternative a desired element is keyed by, or null when it has no key. */
    List<String> keyOf(JsonNode element) {
      if (!element.isObject()) {
        return null;
      }
      for (List<String> fields : alternatives) {
        JsonNode first = element.get(fields.get(0));
        if (first != null && first.isValueNode() && !first.isNull()) {
          return fields;
        }
      }
      return null;
    }

    /** The key of an element as text, e.g. {@code containerPort=8080,protocol=TCP}. */
    String keyText(JsonNode element, List<String> fields) {
      StringBuilder sb = new StringBuilder();
      for (String field : fields) {
        sb.append(field).append('=').append(value(element, field)).append(',');
      }
      return sb.toString();
    }

    /** The live element with the same key as {@code desired}, or null. */
    JsonNode find(JsonNode liveList, JsonNode desired, List<String> fields) {
      for (JsonNode candidate : liveList) {
        if (candidate.isObject() && sameKey(desired, candidate, fields)) {
          return candidate;
        }
      }
      return null;
    }

    private boolean sameKey(JsonNode desired, JsonNode live, List<String> fields) {
      for (String field : fields) {
        if (!value(desired, field).equals(value(live, field))) {
          return false;
        }
      }
      return true;
    }

    private String value(JsonNode element, String field) {
      JsonNode v = element.get(field);
      return v == null || v.isNull() ? defaults.getOrDefault(field, "") : v.asText();
    }
  }

  static final ListKey BY_NAME = new ListKey(List.of(List.of("name")), Map.of());
  static final ListKey CONTAINER_PORTS =
      new ListKey(
          List.of(List.of("name"), List.of("containerPort", "protocol")),
          Map.of("protocol", "TCP"));
  static final ListKey SERVICE_PORTS =
      new ListKey(List.of(List.of("name"), List.of("port", "protocol")), Map.of("protocol", "TCP"));
  static final ListKey VOLUME_MOUNTS = new ListKey(List.of(List.of("mountPath")), Map.of());
  static final ListKey VOLUME_DEVICES = new ListKey(List.of(List.of("devicePath")), Map.of());
  static final ListKey TOLERATIONS = new ListKey(List.of(List.of("key", "effect")), Map.of());

  private static final Set<String> NAMED_LISTS =
      Set.of(
          "containers",
          "initContainers",
          "ephemeralContainers",
          "env",
          "volumes",
          "imagePullSecrets");
  private static final Set<String> CONTAINER_LISTS =
      Set.of("containers", "initContainers", "ephemeralContainers");

  private ListKeys() {}

  /**
   * The key of the list at {@code path}, or null when it compares by position: unknown lists, and
   * known ones where a desired element lacks its key or two share one.
   */
  static ListKey forList(FieldPath path, JsonNode desiredList) {
    ListKey key = known(path);
    if (key == null) {
      return null;
    }
    Set<String> seen = new HashSet<>();
    for (JsonNode element : desiredList) {
      List<String> fields = key.keyOf(element);
      if (fields == null || !seen.add(key.keyText(element, fields))) {
        return null;
      }
    }
    return key;
  }

  private static ListKey known(FieldPath path) {
    String field = path.fromEnd(0);
    if (field == null) {
      return null;
    }
    if (NAMED_LISTS.contains(field)) {
      return BY_NAME;
    }
    switch (field) {
      case "ports":
        if (path.fromEnd(2) != null && CONTAINER_LISTS.contains(path.fromEnd(2))) {
          return CONTAINER_PORTS;
        }
        return path.kind().equals("Service") && path.is("spec", "ports") ? SERVICE_PORTS : null;
      case "volumeMounts":
        return VOLUME_MOUNTS;
      case "volumeDevices":
        return VOLUME_DEVICES;
      case "tolerations":
        return TOLERATIONS;
      default:
        return null;
    }
  }
}

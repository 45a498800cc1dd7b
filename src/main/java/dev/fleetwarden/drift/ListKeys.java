package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.model.ListKey;
import dev.fleetwarden.model.SchemaNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * How the elements of one list are matched, as the kind's schema declares it ({@link SchemaNode}:
 * the Kubernetes API's {@code x-kubernetes-list-map-keys} / {@code x-kubernetes-patch-merge-key}
 * for built-in kinds, a CRD's {@code openAPIV3Schema} for custom resources): by key, so that a
 * reordered list is not drift and a change inside an element is reported at the element's key.
 * Lists the schema does not key (atomic ones, unknown kinds) compare by position as a whole value.
 */
final class ListKeys {
  /** Above this many live elements a keyed list is indexed in a map instead of scanned. */
  private static final int SCAN_LIMIT = 16;

  private ListKeys() {}

  /**
   * The key segment of each desired element ({@code name=web}), or null when the list compares by
   * position: the schema gives no key, or a desired element lacks its key or two share one.
   */
  static String[] segments(SchemaNode list, JsonNode desiredList) {
    ListKey key = list == null ? null : list.listKey();
    if (key == null) {
      return null;
    }
    String[] out = new String[desiredList.size()];
    Set<String> seen = desiredList.size() > 1 ? new HashSet<>() : null;
    for (int i = 0; i < out.length; i++) {
      String segment = key.segment(desiredList.get(i));
      if (segment == null || (seen != null && !seen.add(segment))) {
        return null;
      }
      out[i] = segment;
    }
    return out;
  }

  /** The live elements of a keyed list, found by key segment (the first of equal keys wins). */
  static final class LiveIndex {
    private final JsonNode live;
    private final String[] segments;
    private final Map<String, JsonNode> map;

    LiveIndex(ListKey key, JsonNode live) {
      this.live = live;
      this.segments = new String[live.size()];
      for (int i = 0; i < segments.length; i++) {
        segments[i] = key.segment(live.get(i));
      }
      if (segments.length > SCAN_LIMIT) {
        map = new HashMap<>(segments.length * 2);
        for (int i = segments.length - 1; i >= 0; i--) {
          if (segments[i] != null) {
            map.put(segments[i], live.get(i));
          }
        }
      } else {
        map = null;
      }
    }

    /** The live element with this key, or null. */
    JsonNode find(String segment) {
      if (map != null) {
        return map.get(segment);
      }
      for (int i = 0; i < segments.length; i++) {
        if (segment.equals(segments[i])) {
          return live.get(i);
        }
      }
      return null;
    }
  }
}

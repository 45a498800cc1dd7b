package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.fleetwarden.model.CompactNodes;
import dev.fleetwarden.model.ListKey;
import dev.fleetwarden.model.SchemaNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the elements of one list are matched, as the kind's schema declares it ({@link SchemaNode}:
 * the Kubernetes API's {@code x-kubernetes-list-map-keys} / {@code x-kubernetes-patch-merge-key}
 * for built-in kinds, a CRD's {@code openAPIV3Schema} for custom resources): by key, so that a
 * reordered list is not drift and a change inside an element is reported at the element's key.
 * Lists the schema does not key (atomic ones, unknown kinds) compare by position as a whole value.
 *
 * <p>Each element's key values are read once ({@link Keys}) and compared value by value; the text
 * of a key ({@code name=web}) is built only for a path that is reported, or to index a long list.
 * Matching runs on every element of every keyed list the diff walks, and building that text, or
 * looking the key fields up again for every pair of elements, was most of the diff's time.
 */
final class ListKeys {
  /** Above this many elements a keyed list is indexed in a map instead of scanned. */
  private static final int SCAN_LIMIT = 16;

  /** Marks an element without a usable key in {@link Keys}. */
  private static final JsonNode UNKEYED = MissingNode.getInstance();

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

  /**
   * Whether each element of {@code desired} has its key, and the element at the same position of
   * {@code live} the same key: then each desired element's match is the live element at its
   * position (when Git's keys are unique; {@link Keys#matchable} tells).
   */
  static boolean inOrder(ListKey key, JsonNode desired, JsonNode live) {
    int size = desired.size();
    if (live.size() < size) {
      return false;
    }
    List<String> fields = key.fields();
    for (int e = 0; e < size; e++) {
      JsonNode want = desired.get(e);
      JsonNode have = live.get(e);
      if (!want.isObject() || !have.isObject()) {
        return false;
      }
      for (int f = 0; f < fields.size(); f++) {
        String field = fields.get(f);
        JsonNode wanted = CompactNodes.field(want, field);
        JsonNode found = CompactNodes.field(have, field);
        if (!key.usable(f, wanted)
            || !key.usable(f, found)
            || (wanted != found && !key.sameValue(f, wanted, found))) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * The key values of a list's elements, read once: {@code width} values per element (null where a
   * key field is absent and its default applies).
   */
  static final class Keys {
    private final ListKey key;
    private final JsonNode list;
    private final int width;
    private final int size;

    /**
     * {@code width} values per element, or {@link #UNKEYED} first for an element without a usable
     * key ({@link ListKey#usable}).
     */
    private final JsonNode[] values;

    private Map<String, Integer> index;

    Keys(ListKey key, JsonNode list) {
      this.key = key;
      this.list = list;
      List<String> fields = key.fields();
      this.width = fields.size();
      this.size = list.size();
      this.values = new JsonNode[size * width];
      for (int e = 0; e < size; e++) {
        JsonNode element = list.get(e);
        boolean ok = element.isObject();
        for (int f = 0; ok && f < width; f++) {
          JsonNode value = CompactNodes.field(element, fields.get(f));
          values[e * width + f] = value;
          ok = key.usable(f, value);
        }
        if (!ok) {
          values[e * width] = UNKEYED;
        }
      }
    }

    int size() {
      return size;
    }

    private boolean keyed(int e) {
      return values[e * width] != UNKEYED;
    }

    JsonNode element(int e) {
      return list.get(e);
    }

    /**
     * Whether the list is matched by key: every element has its key and no two share one (else it
     * compares by position), as {@link #segments} decides.
     */
    boolean matchable() {
      for (int e = 0; e < size; e++) {
        if (!keyed(e)) {
          return false;
        }
      }
      if (size() > SCAN_LIMIT) {
        Set<String> seen = new HashSet<>();
        for (JsonNode element : list) {
          if (!seen.add(key.segment(element))) {
            return false;
          }
        }
        return true;
      }
      for (int e = 1; e < size(); e++) {
        for (int other = 0; other < e; other++) {
          if (same(e, this, other)) {
            return false;
          }
        }
      }
      return true;
    }

    /**
     * The index of this list's element with the same key as element {@code e} of {@code other} (the
     * first of equal keys), or -1.
     */
    int find(Keys other, int e) {
      if (size() > SCAN_LIMIT) {
        if (index == null) {
          index = new HashMap<>(size() * 2);
          for (int i = size() - 1; i >= 0; i--) {
            String segment = keyed(i) ? key.segment(list.get(i)) : null;
            if (segment != null) {
              index.put(segment, i);
            }
          }
        }
        String wanted = key.segment(other.list.get(e));
        Integer found = wanted == null ? null : index.get(wanted);
        return found == null ? -1 : found;
      }
      for (int i = 0; i < size(); i++) {
        if (keyed(i) && other.same(e, this, i)) {
          return i;
        }
      }
      return -1;
    }

    /**
     * Whether element {@code e} of this list and element {@code o} of {@code other} share a key.
     */
    private boolean same(int e, Keys other, int o) {
      for (int f = 0; f < width; f++) {
        if (!key.sameValue(f, values[e * width + f], other.values[o * width + f])) {
          return false;
        }
      }
      return true;
    }
  }
}

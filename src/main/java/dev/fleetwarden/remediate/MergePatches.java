package dev.fleetwarden.remediate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.JsonPointers;
import dev.fleetwarden.model.KeyedPaths;
import java.util.List;

/**
 * Builds the JSON merge patch (RFC 7386) that turns a desired object's drifted fields into their
 * live values. Merge patches replace lists whole, so a field inside a list makes the patch carry
 * the whole desired list with the live value substituted at that element (found by its key or
 * index, {@link KeyedPaths}). Pure.
 */
public final class MergePatches {
  private MergePatches() {}

  /** The patch for {@code fields} of {@code desired}; a field absent live becomes a deletion. */
  public static ObjectNode adoptLive(JsonNode desired, List<FieldDrift> fields) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    for (FieldDrift f : fields) {
      String pointer = KeyedPaths.indexPointer(desired, f.path());
      add(patch, desired, JsonPointers.split(pointer == null ? f.path() : pointer), f.live());
    }
    return patch;
  }

  private static void add(
      ObjectNode patch, JsonNode desired, List<String> segments, JsonNode live) {
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("a drifted field needs a path below the object root");
    }
    ObjectNode cursor = patch;
    JsonNode desiredCursor = desired;
    for (int i = 0; i < segments.size(); i++) {
      String seg = segments.get(i);
      boolean last = i == segments.size() - 1;
      if (last) {
        cursor.set(seg, absent(live) ? JsonNodeFactory.instance.nullNode() : live.deepCopy());
        return;
      }
      JsonNode desiredChild = desiredCursor == null ? null : desiredCursor.get(seg);
      if (desiredChild != null && desiredChild.isArray()) {
        JsonNode existing = cursor.get(seg);
        ArrayNode copy =
            existing instanceof ArrayNode a ? a : ((ArrayNode) desiredChild).deepCopy();
        cursor.set(seg, copy);
        setInside(copy, segments.subList(i + 1, segments.size()), live);
        return;
      }
      JsonNode next = cursor.get(seg);
      ObjectNode child = next instanceof ObjectNode o ? o : cursor.putObject(seg);
      cursor = child;
      desiredCursor = desiredChild;
    }
  }

  /** Sets (or removes, when absent live) a value inside a copied desired container. */
  private static void setInside(JsonNode container, List<String> segments, JsonNode live) {
    JsonNode cursor = container;
    for (int i = 0; i < segments.size() - 1; i++) {
      JsonNode next = child(cursor, segments.get(i));
      if (next == null || !next.isContainerNode()) {
        if (!(cursor instanceof ObjectNode o)) {
          throw new IllegalArgumentException("no list element " + segments.get(i));
        }
        next = o.putObject(segments.get(i));
      }
      cursor = next;
    }
    String last = segments.get(segments.size() - 1);
    if (cursor instanceof ObjectNode o) {
      if (absent(live)) {
        o.remove(last);
      } else {
        o.set(last, live.deepCopy());
      }
    } else if (cursor instanceof ArrayNode a) {
      int index = Integer.parseInt(last);
      if (absent(live)) {
        a.remove(index);
      } else {
        a.set(index, live.deepCopy());
      }
    }
  }

  private static JsonNode child(JsonNode node, String seg) {
    if (node.isArray()) {
      try {
        return node.get(Integer.parseInt(seg));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return node.get(seg);
  }

  private static boolean absent(JsonNode v) {
    return v == null || v.isMissingNode();
  }
}

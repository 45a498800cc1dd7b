package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.model.JsonPointers;
import dev.fleetwarden.model.SchemaNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where the comparison stands inside one object: the segments of the drift path (elements of keyed
 * lists by their key, {@code name=web}; of other lists by their index in the desired object), in
 * parallel the segments of the live path (a field name, or for keyed list elements the live element
 * itself, so that {@code managedFields} keys can be resolved), and the schema at each step (null
 * where nothing below is keyed). Mutable and reused while walking; {@link #pointer()} and {@link
 * #liveSegments()} take snapshots.
 */
final class FieldPath {
  private final String kind;
  private final List<String> segments = new ArrayList<>();
  private final List<Object> live = new ArrayList<>();
  private final List<SchemaNode> schemas = new ArrayList<>();
  private final SchemaNode root;

  FieldPath(String kind) {
    this(kind, null);
  }

  /**
   * @param root the schema of the object's kind and version, or null when unknown
   */
  FieldPath(String kind, SchemaNode root) {
    this.kind = kind;
    this.root = root;
  }

  /** Builds a detached path, e.g. for tests of a single normalizer. */
  static FieldPath of(String kind, String pointer) {
    FieldPath path = new FieldPath(kind);
    for (String segment : JsonPointers.split(pointer)) {
      path.push(segment, segment);
    }
    return path;
  }

  String kind() {
    return kind;
  }

  int size() {
    return segments.size();
  }

  /** The segment {@code back} steps from the end (0 is the last), or null when out of range. */
  String fromEnd(int back) {
    int i = segments.size() - 1 - back;
    return i >= 0 ? segments.get(i) : null;
  }

  String segment(int i) {
    return segments.get(i);
  }

  /** Whether the path is exactly these segments. */
  boolean is(String... expected) {
    if (expected.length != segments.size()) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if (!expected[i].equals(segments.get(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Pushes one step: {@code liveSegment} is the field name for object fields, the live element
   * ({@link JsonNode}) for keyed list elements, or an index for positional ones.
   */
  void push(String segment, Object liveSegment) {
    push(segment, liveSegment, null);
  }

  /** Pushes one step with the schema of the place it leads to (null: nothing below is keyed). */
  void push(String segment, Object liveSegment, SchemaNode schema) {
    segments.add(segment);
    live.add(liveSegment);
    schemas.add(schema);
  }

  void pop() {
    int last = segments.size() - 1;
    segments.remove(last);
    live.remove(last);
    schemas.remove(last);
  }

  /** The schema of the place the path stands at, or null. */
  SchemaNode schema() {
    return schemas.isEmpty() ? root : schemas.get(schemas.size() - 1);
  }

  String pointer() {
    return JsonPointers.join(segments);
  }

  List<Object> liveSegments() {
    return Collections.unmodifiableList(new ArrayList<>(live));
  }

  @Override
  public String toString() {
    return kind + ":" + pointer();
  }
}

package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.model.JsonPointers;
import dev.fleetwarden.model.SchemaNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Where the comparison stands inside one object: the segments of the drift path (elements of keyed
 * lists by their key, {@code name=web}; of other lists by their index in the desired object), in
 * parallel the segments of the live path (a field name, or for keyed list elements the live element
 * itself, so that {@code managedFields} keys can be resolved), and the schema at each step (null
 * where nothing below is keyed). Mutable and reused while walking; {@link #pointer()} and {@link
 * #liveSegments()} take snapshots.
 *
 * <p>A keyed element's segment text is built only when the path is written out ({@link #pointer},
 * {@link #segment}): the walk pushes a step for every element of every keyed list, and few of them
 * end in a drift.
 */
final class FieldPath {
  private final String kind;
  private final String group;
  private final SchemaNode root;

  /**
   * Each step: its text, or the desired element of a keyed list, whose text is built when first
   * read (the list's key is in the schema of the step before).
   */
  private Object[] segments = new Object[8];

  private Object[] live = new Object[8];
  private SchemaNode[] schemas = new SchemaNode[8];
  private int size;

  FieldPath(String kind) {
    this(kind, null, null);
  }

  /**
   * @param group the object's API group ({@code ""} for the core group; null when unknown)
   * @param root the schema of the object's kind and version, or null when unknown
   */
  FieldPath(String kind, String group, SchemaNode root) {
    this.kind = kind;
    this.group = group;
    this.root = root;
  }

  /** Builds a detached path, e.g. for tests of a single normalizer (API group unknown). */
  static FieldPath of(String kind, String pointer) {
    return of(kind, null, pointer);
  }

  /** Builds a detached path of an object of this kind and API group. */
  static FieldPath of(String kind, String group, String pointer) {
    FieldPath path = new FieldPath(kind, group, null);
    for (String segment : JsonPointers.split(pointer)) {
      path.push(segment, segment);
    }
    return path;
  }

  String kind() {
    return kind;
  }

  /** The object's API group ({@code ""} for the core group), or null when unknown. */
  String group() {
    return group;
  }

  int size() {
    return size;
  }

  /**
   * The field name or list index {@code back} steps from the end (0 is the last), or null when out
   * of range or when that step is an element of a keyed list (never a field name; its text is not
   * built for this).
   */
  String fromEnd(int back) {
    int i = size - 1 - back;
    return i >= 0 && segments[i] instanceof String text ? text : null;
  }

  /** The text of step {@code i}: a field name, list index, or keyed element ({@code name=web}). */
  String segment(int i) {
    Object segment = segments[i];
    if (segment instanceof JsonNode element) {
      SchemaNode list = i == 0 ? root : schemas[i - 1];
      String text = list.listKey().segment(element);
      segments[i] = text;
      return text;
    }
    return (String) segment;
  }

  /** Whether the path is exactly these segments. */
  boolean is(String... expected) {
    if (expected.length != size) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if (!expected[i].equals(segment(i))) {
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
    pushStep(segment, liveSegment, schema);
  }

  /**
   * Pushes the element of the keyed list the path stands at ({@link #schema} has its key) that
   * {@code desiredElement} is; the segment's text ({@code name=web}) is built only if it is read.
   */
  void pushKeyed(JsonNode desiredElement, Object liveSegment, SchemaNode schema) {
    pushStep(desiredElement, liveSegment, schema);
  }

  private void pushStep(Object segment, Object liveSegment, SchemaNode schema) {
    if (size == segments.length) {
      segments = Arrays.copyOf(segments, size * 2);
      live = Arrays.copyOf(live, size * 2);
      schemas = Arrays.copyOf(schemas, size * 2);
    }
    segments[size] = segment;
    live[size] = liveSegment;
    schemas[size] = schema;
    size++;
  }

  void pop() {
    size--;
    segments[size] = null;
    live[size] = null;
    schemas[size] = null;
  }

  /** The schema of the place the path stands at, or null. */
  SchemaNode schema() {
    return size == 0 ? root : schemas[size - 1];
  }

  String pointer() {
    List<String> texts = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      texts.add(segment(i));
    }
    return JsonPointers.join(texts);
  }

  List<Object> liveSegments() {
    return Collections.unmodifiableList(new ArrayList<>(Arrays.asList(live).subList(0, size)));
  }

  @Override
  public String toString() {
    return kind + ":" + pointer();
  }
}

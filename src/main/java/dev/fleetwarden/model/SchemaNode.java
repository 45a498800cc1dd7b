package dev.fleetwarden.model;

import java.util.HashMap;
import java.util.Map;

/**
 * One place in a kind's schema, reduced to what comparing lists needs: the fields below an object
 * (and the value schema of a map), and for a list how its elements are matched ({@link #listKey}
 * for keyed lists, {@link #isSet} for sets, else by position) and the schema of its elements.
 * Schemas keep only the branches that lead to a keyed list or a set; a missing branch (null) means
 * "compare by position". Built once, then read-only (safe to share between threads).
 */
public final class SchemaNode {
  private final Map<String, SchemaNode> fields = new HashMap<>(4);
  private SchemaNode values;
  private SchemaNode items;
  private ListKey listKey;
  private boolean set;

  SchemaNode() {}

  /** The schema of a field of this object, or null when nothing below it is keyed. */
  public SchemaNode field(String name) {
    SchemaNode f = fields.get(name);
    return f != null ? f : values;
  }

  /** The schema of this list's elements, or null. */
  public SchemaNode items() {
    return items;
  }

  /** The key of this list's elements, or null when they are not matched by key. */
  public ListKey listKey() {
    return listKey;
  }

  /** Whether this list is a set ({@code x-kubernetes-list-type: set}): order does not matter. */
  public boolean isSet() {
    return set;
  }

  // ------------------------------------------------------------ building (package only)

  void putField(String name, SchemaNode node) {
    fields.put(name, node);
  }

  boolean hasField(String name) {
    return fields.containsKey(name);
  }

  void values(SchemaNode node) {
    this.values = node;
  }

  void items(SchemaNode node) {
    this.items = node;
  }

  void listKey(ListKey key) {
    this.listKey = key;
  }

  void set(boolean isSet) {
    this.set = isSet;
  }
}

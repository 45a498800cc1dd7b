package dev.fleetwarden.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The fields of one JSON object ({@link CompactNodes}): names and values side by side in one array,
 * in insertion order, like the {@link java.util.LinkedHashMap} Jackson uses by default but without
 * an entry object per field, a hash table or separate arrays. Parsers share one string per field
 * name, so a lookup first scans the names by identity, touching this map and its one array; only a
 * name not found that way is compared by content. Objects with many fields add an open-addressing
 * index. Not thread-safe for writes, like the map it replaces; safe to read from many threads once
 * built.
 *
 * <p>The diff walks every object Git sets and looks each of its fields up in the live object: the
 * number of separate memory blocks that takes per field is most of its time on large fleets, whose
 * objects do not fit in a processor's caches. Readers that walk objects use {@link #of}, {@link
 * #name} and {@link #value} instead of the entry view.
 */
public final class FieldMap extends AbstractMap<String, JsonNode> {
  /** Above this many fields, lookups go through {@link #index} instead of a scan. */
  private static final int SCAN_LIMIT = 12;

  private static final Object[] NO_SLOTS = new Object[0];

  /** The name of field {@code i} at {@code 2i}, its value at {@code 2i + 1}. */
  private Object[] slots = NO_SLOTS;

  private int size;

  /** Open addressing: position + 1 of the field in each slot, 0 for empty; null below the limit. */
  private int[] index;

  private int modCount;

  /** The entry view, made on first use. */
  private Set<Map.Entry<String, JsonNode>> entries;

  FieldMap() {}

  FieldMap(int capacity) {
    slots = capacity == 0 ? NO_SLOTS : new Object[capacity * 2];
  }

  /** The fields of {@code node} when it is a compact JSON object, else null. */
  public static FieldMap of(JsonNode node) {
    return node instanceof CompactObjectNode compact ? compact.fieldMap() : null;
  }

  /** The name of the field at {@code position} (0 to {@link #size()} - 1, insertion order). */
  public String name(int position) {
    return (String) slots[2 * Objects.checkIndex(position, size)];
  }

  /** The value of the field at {@code position}. */
  public JsonNode value(int position) {
    return (JsonNode) slots[2 * Objects.checkIndex(position, size) + 1];
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  @Override
  public JsonNode get(Object key) {
    int i = find(key);
    return i < 0 ? null : (JsonNode) slots[2 * i + 1];
  }

  @Override
  public boolean containsKey(Object key) {
    return find(key) >= 0;
  }

  @Override
  public JsonNode put(String key, JsonNode value) {
    int i = find(key);
    if (i >= 0) {
      JsonNode old = (JsonNode) slots[2 * i + 1];
      slots[2 * i + 1] = value;
      return old;
    }
    append(key, value);
    return null;
  }

  @Override
  public JsonNode remove(Object key) {
    int i = find(key);
    if (i < 0) {
      return null;
    }
    JsonNode old = (JsonNode) slots[2 * i + 1];
    removeAt(i);
    return old;
  }

  @Override
  public void clear() {
    Arrays.fill(slots, 0, 2 * size, null);
    size = 0;
    index = null;
    modCount++;
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super JsonNode> action) {
    int expected = modCount;
    for (int i = 0; i < size; i++) {
      action.accept((String) slots[2 * i], (JsonNode) slots[2 * i + 1]);
      if (modCount != expected) {
        throw new ConcurrentModificationException();
      }
    }
  }

  @Override
  public Set<Map.Entry<String, JsonNode>> entrySet() {
    if (entries == null) {
      entries = new Entries();
    }
    return entries;
  }

  /** The entry view. */
  private final class Entries extends AbstractSet<Map.Entry<String, JsonNode>> {
    @Override
    public Iterator<Map.Entry<String, JsonNode>> iterator() {
      return new Fields();
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public void clear() {
      FieldMap.this.clear();
    }
  }

  /**
   * The value of the field whose name is {@code text} from {@code start} to {@code end}, found
   * without building the name (for readers that compare JSON text with a tree in place).
   */
  JsonNode get(String text, int start, int end) {
    int length = end - start;
    int h = 0;
    for (int i = start; i < end; i++) {
      h = 31 * h + text.charAt(i);
    }
    Object[] s = slots;
    if (index != null) {
      int mask = index.length - 1;
      for (int slot = spread(h) & mask; ; slot = (slot + 1) & mask) {
        int at = index[slot] - 1;
        if (at < 0) {
          return null;
        }
        if (sameName(s[2 * at], h, text, start, length)) {
          return (JsonNode) s[2 * at + 1];
        }
      }
    }
    for (int i = 0; i < size; i++) {
      if (sameName(s[2 * i], h, text, start, length)) {
        return (JsonNode) s[2 * i + 1];
      }
    }
    return null;
  }

  private static boolean sameName(Object key, int hash, String text, int start, int length) {
    return key instanceof String name
        && name.length() == length
        && name.hashCode() == hash
        && text.regionMatches(start, name, 0, length);
  }

  private int find(Object key) {
    if (!(key instanceof String name)) {
      return key == null ? scanForNull() : -1;
    }
    Object[] s = slots;
    if (index != null) {
      int mask = index.length - 1;
      for (int slot = spread(name.hashCode()) & mask; ; slot = (slot + 1) & mask) {
        int at = index[slot] - 1;
        if (at < 0) {
          return -1;
        }
        Object k = s[2 * at];
        if (k == name || name.equals(k)) {
          return at;
        }
      }
    }
    int n = size;
    for (int i = 0; i < n; i++) {
      if (s[2 * i] == name) {
        return i;
      }
    }
    for (int i = 0; i < n; i++) {
      if (name.equals(s[2 * i])) {
        return i;
      }
    }
    return -1;
  }

  private int scanForNull() {
    for (int i = 0; i < size; i++) {
      if (slots[2 * i] == null) {
        return i;
      }
    }
    return -1;
  }

  /** Adds a field known to be absent. */
  void append(String key, JsonNode value) {
    if (2 * size == slots.length) {
      slots = Arrays.copyOf(slots, size == 0 ? 8 : slots.length * 2);
    }
    slots[2 * size] = key;
    slots[2 * size + 1] = value;
    size++;
    modCount++;
    if (index != null && size * 2 <= index.length) {
      insert(index, size - 1);
    } else if (size > SCAN_LIMIT) {
      rebuildIndex();
    }
  }

  private void removeAt(int i) {
    System.arraycopy(slots, 2 * i + 2, slots, 2 * i, 2 * (size - i - 1));
    size--;
    slots[2 * size] = null;
    slots[2 * size + 1] = null;
    modCount++;
    if (size > SCAN_LIMIT) {
      rebuildIndex();
    } else {
      index = null;
    }
  }

  private void rebuildIndex() {
    int capacity = Integer.highestOneBit(size * 4 - 1) << 1;
    int[] table = new int[Math.max(capacity, 32)];
    for (int i = 0; i < size; i++) {
      insert(table, i);
    }
    index = table;
  }

  private void insert(int[] table, int position) {
    int mask = table.length - 1;
    Object key = slots[2 * position];
    int slot = spread(key == null ? 0 : key.hashCode()) & mask;
    while (table[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    table[slot] = position + 1;
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }

  /** Iterates in insertion order; removal through the iterator is supported. */
  private final class Fields implements Iterator<Map.Entry<String, JsonNode>> {
    private int next;
    private int last = -1;
    private int expected = modCount;

    @Override
    public boolean hasNext() {
      return next < size;
    }

    @Override
    public Map.Entry<String, JsonNode> next() {
      if (modCount != expected) {
        throw new ConcurrentModificationException();
      }
      if (next >= size) {
        throw new NoSuchElementException();
      }
      last = next++;
      return new Field(last);
    }

    @Override
    public void remove() {
      if (last < 0) {
        throw new IllegalStateException();
      }
      if (modCount != expected) {
        throw new ConcurrentModificationException();
      }
      removeAt(last);
      next = last;
      last = -1;
      expected = modCount;
    }
  }

  /** One field; {@link #setValue} writes through while the map keeps its fields. */
  private final class Field implements Map.Entry<String, JsonNode> {
    private final String key;
    private JsonNode value;
    private final int at;

    Field(int at) {
      this.at = at;
      this.key = (String) slots[2 * at];
      this.value = (JsonNode) slots[2 * at + 1];
    }

    @Override
    public String getKey() {
      return key;
    }

    @Override
    public JsonNode getValue() {
      return value;
    }

    @Override
    public JsonNode setValue(JsonNode newValue) {
      if (at >= size || slots[2 * at] != key) {
        throw new ConcurrentModificationException();
      }
      JsonNode old = value;
      slots[2 * at + 1] = newValue;
      value = newValue;
      return old;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Map.Entry<?, ?> e
          && Objects.equals(key, e.getKey())
          && Objects.equals(value, e.getValue());
    }

    @Override
    public int hashCode() {
      return Objects.hashCode(key) ^ Objects.hashCode(value);
    }

    @Override
    public String toString() {
      return key + "=" + value;
    }
  }
}

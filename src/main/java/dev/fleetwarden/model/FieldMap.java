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
 * The fields of one JSON object ({@link CompactNodes}): names, values and name hashes in three
 * arrays, in insertion order, like the {@link java.util.LinkedHashMap} Jackson uses by default but
 * without an entry object per field. A lookup compares hashes in one small array and the name by
 * identity first (parsers share one string per field name), so it touches two or three arrays
 * instead of a hash table, an entry and a string. Objects with many fields add an open-addressing
 * index. Not thread-safe for writes, like the map it replaces; safe to read from many threads once
 * built.
 */
final class FieldMap extends AbstractMap<String, JsonNode> {
  /** Above this many fields, lookups go through {@link #index} instead of a scan. */
  private static final int SCAN_LIMIT = 12;

  private static final String[] NO_KEYS = new String[0];
  private static final JsonNode[] NO_VALUES = new JsonNode[0];
  private static final int[] NO_HASHES = new int[0];

  private String[] keys = NO_KEYS;
  private JsonNode[] values = NO_VALUES;
  private int[] hashes = NO_HASHES;
  private int size;

  /** Open addressing: position + 1 of the field in each slot, 0 for empty; null below the limit. */
  private int[] index;

  private int modCount;

  /** The entry view, made on first use (the diff iterates most objects it compares). */
  private Set<Map.Entry<String, JsonNode>> entries;

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
    return i < 0 ? null : values[i];
  }

  @Override
  public boolean containsKey(Object key) {
    return find(key) >= 0;
  }

  @Override
  public JsonNode put(String key, JsonNode value) {
    int i = find(key);
    if (i >= 0) {
      JsonNode old = values[i];
      values[i] = value;
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
    JsonNode old = values[i];
    removeAt(i);
    return old;
  }

  @Override
  public void clear() {
    Arrays.fill(keys, 0, size, null);
    Arrays.fill(values, 0, size, null);
    size = 0;
    index = null;
    modCount++;
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super JsonNode> action) {
    int expected = modCount;
    for (int i = 0; i < size; i++) {
      action.accept(keys[i], values[i]);
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

  /** The entry view; it also leads back to its map ({@link CompactNodes#field}). */
  final class Entries extends AbstractSet<Map.Entry<String, JsonNode>> {
    FieldMap map() {
      return FieldMap.this;
    }

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
    if (index != null) {
      int mask = index.length - 1;
      for (int slot = spread(h) & mask; ; slot = (slot + 1) & mask) {
        int at = index[slot] - 1;
        if (at < 0) {
          return null;
        }
        if (hashes[at] == h && sameName(keys[at], text, start, length)) {
          return values[at];
        }
      }
    }
    for (int i = 0; i < size; i++) {
      if (hashes[i] == h && sameName(keys[i], text, start, length)) {
        return values[i];
      }
    }
    return null;
  }

  private static boolean sameName(String key, String text, int start, int length) {
    return key != null && key.length() == length && text.regionMatches(start, key, 0, length);
  }

  private int find(Object key) {
    if (!(key instanceof String name)) {
      return key == null ? scanForNull() : -1;
    }
    int h = name.hashCode();
    if (index != null) {
      int mask = index.length - 1;
      for (int slot = spread(h) & mask; ; slot = (slot + 1) & mask) {
        int at = index[slot] - 1;
        if (at < 0) {
          return -1;
        }
        if (hashes[at] == h && (keys[at] == name || name.equals(keys[at]))) {
          return at;
        }
      }
    }
    int[] hs = hashes;
    for (int i = 0; i < size; i++) {
      if (hs[i] == h && (keys[i] == name || name.equals(keys[i]))) {
        return i;
      }
    }
    return -1;
  }

  private int scanForNull() {
    for (int i = 0; i < size; i++) {
      if (keys[i] == null) {
        return i;
      }
    }
    return -1;
  }

  private void append(String key, JsonNode value) {
    if (size == keys.length) {
      int capacity = size == 0 ? 4 : size * 2;
      keys = Arrays.copyOf(keys, capacity);
      values = Arrays.copyOf(values, capacity);
      hashes = Arrays.copyOf(hashes, capacity);
    }
    keys[size] = key;
    values[size] = value;
    hashes[size] = key == null ? 0 : key.hashCode();
    size++;
    modCount++;
    if (index != null && size * 2 <= index.length) {
      insert(index, size - 1);
    } else if (size > SCAN_LIMIT) {
      rebuildIndex();
    }
  }

  private void removeAt(int i) {
    int tail = size - i - 1;
    System.arraycopy(keys, i + 1, keys, i, tail);
    System.arraycopy(values, i + 1, values, i, tail);
    System.arraycopy(hashes, i + 1, hashes, i, tail);
    size--;
    keys[size] = null;
    values[size] = null;
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
    int slot = spread(hashes[position]) & mask;
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
      this.key = keys[at];
      this.value = values[at];
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
      if (at >= size || keys[at] != key) {
        throw new ConcurrentModificationException();
      }
      JsonNode old = value;
      values[at] = newValue;
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

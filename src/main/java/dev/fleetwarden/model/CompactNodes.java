package dev.fleetwarden.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The node factory for every Kubernetes object fleetwarden holds (rendered desired state, live
 * objects read or watched): JSON objects keep their fields in a {@link FieldMap} (one array)
 * instead of a {@link java.util.LinkedHashMap} with an entry per field, and short strings and small
 * integers are one shared node each ({@code TCP}, {@code IfNotPresent}, {@code 8080}), so that
 * Git's value and the live value are mostly the same node and compare by identity. The diff looks
 * up every field Git sets in the live object, so fewer and smaller objects per field is its speed,
 * and the service's memory for the renders it holds.
 *
 * <p>Shared strings sit in a fixed table of {@value #SLOTS} slots, each holding the last text that
 * hashed to it ({@value #MAX_SHARED_LENGTH} characters at most): memory stays bounded whatever the
 * (untrusted) live content holds, and the table keeps up with what is read now rather than filling
 * once with whatever came first.
 */
public final class CompactNodes extends JsonNodeFactory {
  private static final long serialVersionUID = 1L;

  /** Floating-point numbers as read ({@code 1.0} stays {@code 1.0}). */
  public static final CompactNodes EXACT = new CompactNodes(true);

  /** Jackson's default number handling. */
  public static final CompactNodes DEFAULT = new CompactNodes(false);

  static final int SLOTS = 1 << 15;
  static final int MAX_SHARED_LENGTH = 64;

  /** The shared text nodes; a race loses a share, never a value (TextNode is immutable). */
  private static final TextNode[] TEXTS = new TextNode[SLOTS];

  /**
   * Integers from {@value #LOWEST_INT} up to 65,535 (ports, replicas, modes), made on first use.
   */
  private static final int LOWEST_INT = -1024;

  private static final IntNode[] INTS = new IntNode[65_536 - LOWEST_INT];

  private CompactNodes(boolean exactDecimals) {
    super(exactDecimals);
  }

  @Override
  public TextNode textNode(String text) {
    if (text == null || text.length() > MAX_SHARED_LENGTH) {
      return super.textNode(text);
    }
    int h = text.hashCode();
    int slot = (h ^ (h >>> 15)) & (SLOTS - 1);
    TextNode shared = TEXTS[slot];
    if (shared != null && shared.textValue().equals(text)) {
      return shared;
    }
    shared = super.textNode(text);
    TEXTS[slot] = shared;
    return shared;
  }

  /** How many slots of the shared text table hold a text (at most {@value #SLOTS}). */
  static int sharedTexts() {
    int used = 0;
    for (TextNode t : TEXTS) {
      used += t == null ? 0 : 1;
    }
    return used;
  }

  @Override
  public NumericNode numberNode(int value) {
    if (value < LOWEST_INT || value - LOWEST_INT >= INTS.length) {
      return super.numberNode(value);
    }
    // a race makes two equal nodes, never a wrong one (IntNode's value is final)
    IntNode shared = INTS[value - LOWEST_INT];
    if (shared == null) {
      shared = IntNode.valueOf(value);
      INTS[value - LOWEST_INT] = shared;
    }
    return shared;
  }

  /**
   * The field {@code name} of a JSON object, or null: in a compact object by a lookup small enough
   * for the compiler to inline into a caller that runs for every field of every object.
   */
  public static JsonNode field(JsonNode object, String name) {
    FieldMap fields = FieldMap.of(object);
    return fields != null ? fields.get(name) : object.get(name);
  }

  /**
   * The field of a JSON object whose name is {@code text} from {@code start} to {@code end}
   * (unescaped), or null: found in place in a compact object, else by the name as a string.
   */
  public static JsonNode field(JsonNode object, String text, int start, int end) {
    FieldMap fields = FieldMap.of(object);
    if (fields != null) {
      return fields.get(text, start, end);
    }
    return object.get(text.substring(start, end));
  }

  @Override
  public ObjectNode objectNode() {
    return new CompactObjectNode(this, new FieldMap());
  }
}

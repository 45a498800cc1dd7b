package dev.fleetwarden.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The node factory for every Kubernetes object fleetwarden holds (rendered desired state, live
 * objects read or watched): JSON objects keep their fields in a {@link FieldMap} (three arrays)
 * instead of a {@link java.util.LinkedHashMap} with an entry per field. The diff looks up every
 * field Git sets in the live object, and the watch cache holds every object of every cluster, so
 * fewer and smaller objects per field is both the diff's speed and the service's memory.
 */
public final class CompactNodes extends JsonNodeFactory {
  private static final long serialVersionUID = 1L;

  /** Floating-point numbers as read ({@code 1.0} stays {@code 1.0}). */
  public static final CompactNodes EXACT = new CompactNodes(true);

  /** Jackson's default number handling. */
  public static final CompactNodes DEFAULT = new CompactNodes(false);

  private CompactNodes(boolean exactDecimals) {
    super(exactDecimals);
  }

  /**
   * The field of a JSON object whose name is {@code text} from {@code start} to {@code end}
   * (unescaped), or null: found in place in a compact object, else by the name as a string.
   */
  public static JsonNode field(JsonNode object, String text, int start, int end) {
    if (object.properties() instanceof FieldMap.Entries entries) {
      return entries.map().get(text, start, end);
    }
    return object.get(text.substring(start, end));
  }

  @Override
  public ObjectNode objectNode() {
    return new ObjectNode(this, new FieldMap());
  }
}

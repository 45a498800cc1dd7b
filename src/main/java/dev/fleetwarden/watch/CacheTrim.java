package dev.fleetwarden.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;

/**
 * What a watch keeps of a live object: only what the diff reads. Dropped: {@code status} (never
 * desired state: a Git manifest's status is ignored by the API server too), the {@code
 * managedFields} entries of the {@code status} subresource, the {@code f:status} part of the other
 * entries, and the fields of an entry attribution does not read ({@code apiVersion}, {@code
 * fieldsType}, {@code operation}). Kept: everything else, including the {@code
 * last-applied-configuration} annotation (additions credited to client-side apply are checked
 * against it) and each entry's {@code manager}, {@code time}, {@code subresource} and {@code
 * fieldsV1}.
 */
public final class CacheTrim {
  private CacheTrim() {}

  /**
   * Trims {@code object} in place and returns it.
   *
   * @param keepStatus keep {@code status} and what wrote it: the desired object sets a status, so
   *     the diff compares it (the cached copy must give the verdict a full read gives)
   */
  public static ObjectNode trim(ObjectNode object, boolean keepStatus) {
    if (keepStatus) {
      return object;
    }
    object.remove("status");
    JsonNode metadata = object.get("metadata");
    if (metadata instanceof ObjectNode meta && meta.get("managedFields") instanceof ArrayNode mf) {
      for (Iterator<JsonNode> it = mf.elements(); it.hasNext(); ) {
        JsonNode entry = it.next();
        if (!(entry instanceof ObjectNode e) || "status".equals(e.path("subresource").asText())) {
          it.remove();
          continue;
        }
        e.remove("apiVersion");
        e.remove("fieldsType");
        e.remove("operation");
        if (e.get("fieldsV1") instanceof ObjectNode fields) {
          fields.remove("f:status");
        }
      }
      if (mf.isEmpty()) {
        meta.remove("managedFields");
      }
    }
    return object;
  }

  /**
   * When the API server last wrote the object: the newest {@code managedFields} time (second
   * precision), or null when the object carries none.
   */
  public static Instant lastWrite(JsonNode object) {
    Instant newest = null;
    for (JsonNode entry : object.path("metadata").path("managedFields")) {
      String text = entry.path("time").asText(null);
      if (text == null) {
        continue;
      }
      try {
        Instant t = Instant.parse(text);
        newest = newest == null || t.isAfter(newest) ? t : newest;
      } catch (DateTimeParseException e) {
        // a malformed time says nothing about when the write happened
      }
    }
    return newest;
  }
}

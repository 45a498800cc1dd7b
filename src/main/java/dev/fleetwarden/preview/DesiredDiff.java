package dev.fleetwarden.preview;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleetwarden.model.ApiTypes;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.JsonPointers;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.SchemaNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * How a cluster's desired objects change between two renders: added and removed objects, and for
 * modified ones each field before and after ({@link FieldWalk}). A Secret's {@code data} and {@code
 * stringData} are compared by decoded value and shown per key as {@code /data/<key>} with keyed
 * hashes; any other changed field of a Secret whose value is a map or a list is shown by hash too,
 * so no Secret value, plain or base64, ever leaves this class. Pure.
 */
public final class DesiredDiff {
  private static final Set<String> SECRET_FIELDS = Set.of("data", "stringData");

  private final Function<byte[], String> hash;

  /**
   * @param hash the keyed hash of a Secret value (its bytes, base64-decoded), as drift shows it
   *     ({@code hmac:…})
   */
  public DesiredDiff(Function<byte[], String> hash) {
    this.hash = Objects.requireNonNull(hash, "hash");
  }

  /**
   * The changed objects of one cluster, sorted by resource id (ids are taken in {@code cluster}).
   *
   * @param before the objects before the change (empty for a new cluster)
   * @param after the objects after it (empty for a removed cluster)
   */
  public List<ObjectChange> diff(
      String cluster, List<DesiredObject> before, List<DesiredObject> after) {
    Map<ResourceId, JsonNode> old = index(cluster, before);
    Map<ResourceId, JsonNode> now = index(cluster, after);
    Set<ResourceId> ids = new LinkedHashSet<>(old.keySet());
    ids.addAll(now.keySet());
    List<ObjectChange> out = new ArrayList<>();
    for (ResourceId id : ids) {
      JsonNode b = old.get(id);
      JsonNode a = now.get(id);
      if (b == null) {
        out.add(new ObjectChange(id, Change.ADDED, List.of()));
      } else if (a == null) {
        out.add(new ObjectChange(id, Change.REMOVED, List.of()));
      } else if (!b.equals(a)) {
        List<FieldChange> fields = fields(id.kind(), b, a);
        if (!fields.isEmpty()) {
          out.add(new ObjectChange(id, Change.MODIFIED, fields));
        }
      }
    }
    out.sort((x, y) -> x.resource().compareTo(y.resource()));
    return out;
  }

  /** The changed fields of one object; Secrets masked. */
  List<FieldChange> fields(String kind, JsonNode before, JsonNode after) {
    // lists keyed as the diff keys them, so that preview and drift paths agree
    SchemaNode schema = ApiTypes.builtIn().schema(after.path("apiVersion").asText(""), kind);
    if (!"Secret".equals(kind)) {
      return FieldWalk.changes(schema, before, after);
    }
    List<FieldChange> out = new ArrayList<>(secretValues(before, after));
    for (FieldChange f : FieldWalk.changes(schema, without(before), without(after))) {
      out.add(
          isContainer(f.before()) || isContainer(f.after())
              ? new FieldChange(f.path(), masked(f.before()), masked(f.after()))
              : f);
    }
    return out;
  }

  /** Changed keys of {@code data} and {@code stringData}, by decoded value, as hashes. */
  private List<FieldChange> secretValues(JsonNode before, JsonNode after) {
    Map<String, byte[]> old = values(before);
    Map<String, byte[]> now = values(after);
    Set<String> keys = new java.util.TreeSet<>(old.keySet());
    keys.addAll(now.keySet());
    List<FieldChange> out = new ArrayList<>();
    for (String key : keys) {
      byte[] b = old.get(key);
      byte[] a = now.get(key);
      if (!Arrays.equals(b, a)) {
        out.add(
            new FieldChange(
                "/data/" + JsonPointers.escape(key),
                b == null ? null : TextNode.valueOf(hash.apply(b)),
                a == null ? null : TextNode.valueOf(hash.apply(a))));
      }
    }
    return out;
  }

  /**
   * Decoded values by key: {@code data} base64-decoded, {@code stringData} winning over it (as the
   * API server merges them); a field that is not a map counts as one value under its own name.
   */
  private static Map<String, byte[]> values(JsonNode secret) {
    Map<String, byte[]> out = new TreeMap<>();
    for (String field : List.of("data", "stringData")) {
      JsonNode map = secret.get(field);
      if (map == null || map.isNull()) {
        continue;
      }
      if (!map.isObject()) {
        out.put("(" + field + ")", map.toString().getBytes(StandardCharsets.UTF_8));
        continue;
      }
      Iterator<Map.Entry<String, JsonNode>> entries = map.fields();
      while (entries.hasNext()) {
        Map.Entry<String, JsonNode> e = entries.next();
        if (!e.getValue().isNull()) {
          out.put(e.getKey(), bytes(e.getValue(), field.equals("data")));
        }
      }
    }
    return out;
  }

  private static byte[] bytes(JsonNode value, boolean base64) {
    String text = value.isValueNode() ? value.asText() : value.toString();
    if (base64) {
      try {
        return Base64.getMimeDecoder().decode(text);
      } catch (IllegalArgumentException e) {
        // not base64: the API server would refuse it; the raw text still shows a change
      }
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private JsonNode masked(JsonNode value) {
    return value == null
        ? null
        : TextNode.valueOf(hash.apply(value.toString().getBytes(StandardCharsets.UTF_8)));
  }

  private static boolean isContainer(JsonNode value) {
    return value != null && value.isContainerNode();
  }

  private static JsonNode without(JsonNode secret) {
    if (!secret.isObject()) {
      return secret;
    }
    com.fasterxml.jackson.databind.node.ObjectNode copy =
        (com.fasterxml.jackson.databind.node.ObjectNode) secret.deepCopy();
    copy.remove(SECRET_FIELDS);
    return copy;
  }

  private static Map<ResourceId, JsonNode> index(String cluster, List<DesiredObject> objects) {
    Map<ResourceId, JsonNode> out = new LinkedHashMap<>();
    for (DesiredObject o : objects) {
      out.put(o.id().inCluster(cluster), o.manifest());
    }
    return out;
  }
}

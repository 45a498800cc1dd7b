package dev.fleetwarden.preview;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.model.ResourceId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a cluster's synthesized Terraform configuration ({@code cdk.tf.json}) changes, resource by
 * resource ({@code type.name}, data sources {@code data.type.name}) and attribute by attribute.
 * CDKTF's own metadata ({@code "//"}) is not configuration and is left out. Pure.
 */
public final class TerraformDiff {
  private TerraformDiff() {}

  /**
   * The changed resources of one cluster's stack, sorted by address.
   *
   * @param before the configuration before (null: the cluster had no stack)
   * @param after the configuration after (null: it has none now)
   */
  public static List<ObjectChange> diff(String cluster, JsonNode before, JsonNode after) {
    Map<String, JsonNode> old = resources(before);
    Map<String, JsonNode> now = resources(after);
    Set<String> addresses = new LinkedHashSet<>(old.keySet());
    addresses.addAll(now.keySet());
    List<ObjectChange> out = new ArrayList<>();
    for (String address : addresses) {
      ResourceId id = ResourceId.terraform(cluster, address);
      JsonNode b = old.get(address);
      JsonNode a = now.get(address);
      if (b == null) {
        out.add(new ObjectChange(id, Change.ADDED, List.of()));
      } else if (a == null) {
        out.add(new ObjectChange(id, Change.REMOVED, List.of()));
      } else {
        List<FieldChange> fields = FieldWalk.changes(b, a);
        if (!fields.isEmpty()) {
          out.add(new ObjectChange(id, Change.MODIFIED, fields));
        }
      }
    }
    out.sort((x, y) -> x.resource().compareTo(y.resource()));
    return out;
  }

  /** Every resource and data source by address, without CDKTF metadata. */
  private static Map<String, JsonNode> resources(JsonNode config) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    if (config == null || !config.isObject()) {
      return out;
    }
    collect(config.path("resource"), "", out);
    collect(config.path("data"), "data.", out);
    return out;
  }

  private static void collect(JsonNode byType, String prefix, Map<String, JsonNode> out) {
    Iterator<Map.Entry<String, JsonNode>> types = byType.fields();
    while (types.hasNext()) {
      Map.Entry<String, JsonNode> type = types.next();
      Iterator<Map.Entry<String, JsonNode>> names = type.getValue().fields();
      while (names.hasNext()) {
        Map.Entry<String, JsonNode> resource = names.next();
        JsonNode body = resource.getValue();
        if (body instanceof ObjectNode o && o.has("//")) {
          body = o.deepCopy().without("//");
        }
        out.put(prefix + type.getKey() + "." + resource.getKey(), body);
      }
    }
  }
}

package dev.fleetwarden.terraform;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which attributes of each managed resource type the providers declare sensitive, read from {@code
 * terraform providers schema -json} (a document of many megabytes for the AWS provider, so it is
 * streamed and only the answer is kept). An attribute counts as sensitive when it is, or when a
 * nested attribute or block below it is: the whole top-level value is then masked, which may hide
 * more than Terraform would but never less.
 */
public final class ProviderSensitivity {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Set<String>> byType;

  private ProviderSensitivity(Map<String, Set<String>> byType) {
    this.byType = byType;
  }

  /** Reads the output of {@code terraform providers schema -json}. */
  public static ProviderSensitivity fromSchemas(InputStream schemas) throws IOException {
    Map<String, Set<String>> byType = new TreeMap<>();
    try (JsonParser p = JSON.getFactory().createParser(schemas)) {
      expect(p.nextToken(), JsonToken.START_OBJECT);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (!field.equals("provider_schemas")) {
          p.skipChildren();
          continue;
        }
        expect(p.currentToken(), JsonToken.START_OBJECT);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          p.nextToken(); // one provider's object
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String section = p.currentName();
            p.nextToken();
            if (!section.equals("resource_schemas")) {
              p.skipChildren();
              continue;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String type = p.currentName();
              p.nextToken();
              JsonNode schema = p.readValueAsTree();
              byType.put(type, sensitiveTopLevel(schema.path("block")));
            }
          }
        }
      }
    }
    return new ProviderSensitivity(byType);
  }

  /** The cached form written by {@link #toJson()}. */
  public static ProviderSensitivity fromJson(JsonNode cached) {
    Map<String, Set<String>> byType = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = cached.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      Set<String> names = new TreeSet<>();
      e.getValue().forEach(n -> names.add(n.asText()));
      byType.put(e.getKey(), names);
    }
    return new ProviderSensitivity(byType);
  }

  public ObjectNode toJson() {
    ObjectNode out = JSON.createObjectNode();
    byType.forEach(
        (type, names) -> {
          ArrayNode list = out.putArray(type);
          names.forEach(list::add);
        });
    return out;
  }

  /** Whether the schema of this resource type is known. */
  public boolean knows(String type) {
    return byType.containsKey(type);
  }

  /** The top-level attributes of {@code type} whose values must be masked. */
  public Set<String> sensitive(String type) {
    return byType.getOrDefault(type, Set.of());
  }

  private static Set<String> sensitiveTopLevel(JsonNode block) {
    Set<String> out = new TreeSet<>();
    Iterator<Map.Entry<String, JsonNode>> attributes = block.path("attributes").fields();
    while (attributes.hasNext()) {
      Map.Entry<String, JsonNode> a = attributes.next();
      if (attributeIsSensitive(a.getValue())) {
        out.add(a.getKey());
      }
    }
    Iterator<Map.Entry<String, JsonNode>> blocks = block.path("block_types").fields();
    while (blocks.hasNext()) {
      Map.Entry<String, JsonNode> b = blocks.next();
      if (!sensitiveTopLevel(b.getValue().path("block")).isEmpty()) {
        out.add(b.getKey());
      }
    }
    return out;
  }

  private static boolean attributeIsSensitive(JsonNode attribute) {
    if (attribute.path("sensitive").asBoolean(false)) {
      return true;
    }
    Iterator<JsonNode> nested = attribute.path("nested_type").path("attributes").elements();
    while (nested.hasNext()) {
      if (attributeIsSensitive(nested.next())) {
        return true;
      }
    }
    return false;
  }

  private static void expect(JsonToken actual, JsonToken expected) throws IOException {
    if (actual != expected) {
      throw new IOException(
          "not the output of `terraform providers schema -json`: expected "
              + expected
              + " but found "
              + actual);
    }
  }
}

package dev.fleetwarden.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes {@code src/main/resources/dev/fleetwarden/model/kubernetes-api.json} ({@link ApiTypes})
 * from the Kubernetes API's OpenAPI v2 documents ({@code api/openapi-spec/swagger.json} of a
 * Kubernetes release branch, the document {@code kubectl get --raw /openapi/v2} returns):
 *
 * <ul>
 *   <li>every kind a release serves (a {@code get} on {@code .../{name}}): group, plural, scope (a
 *       path under {@code /namespaces/{namespace}/} is namespaced), and which releases serve which
 *       versions;
 *   <li>per type, only the fields that lead to a keyed list ({@code x-kubernetes-list-type: map}
 *       with {@code x-kubernetes-list-map-keys}, else a non-atomic list with {@code
 *       x-kubernetes-patch-merge-key}) or to a set ({@code x-kubernetes-list-type: set}); every
 *       other list compares by position, so it is left out.
 * </ul>
 *
 * Later releases win where releases disagree about a type. OpenAPI v2 drops the {@code +default}
 * markers of the Go types, so the defaults of key fields the API lets clients omit come from {@link
 * #KEY_DEFAULTS} (OpenAPI v3 documents carry them as {@code default}, which is read when present).
 *
 * <p>Run with the test class path, e.g. {@code java -cp target/classes:target/test-classes:<deps>
 * dev.fleetwarden.model.ApiSchemaGenerator OUT.json 1.34=swagger-1.34.json 1.35=... 1.36=...}.
 */
public final class ApiSchemaGenerator {
  /**
   * Key fields with a server default that OpenAPI v2 does not carry: {@code protocol} of container
   * and Service ports ({@code +default="TCP"} in k8s.io/api core/v1 types.go; "Defaults to TCP" in
   * the field's description).
   */
  static final Map<String, String> KEY_DEFAULTS =
      Map.of(
          "io.k8s.api.core.v1.ContainerPort.protocol", "TCP",
          "io.k8s.api.core.v1.ServicePort.protocol", "TCP");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String REF = "#/definitions/";

  private ApiSchemaGenerator() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: ApiSchemaGenerator OUT.json RELEASE=swagger.json...");
      System.exit(2);
    }
    Map<String, JsonNode> specs = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      specs.put(
          args[i].substring(0, eq), JSON.readTree(Path.of(args[i].substring(eq + 1)).toFile()));
    }
    Files.writeString(Path.of(args[0]), generate(specs), StandardCharsets.UTF_8);
  }

  /** The resource text for the given releases (name to OpenAPI v2 document), oldest first. */
  static String generate(Map<String, JsonNode> specs) {
    TreeMap<String, ObjectNode> kinds = new TreeMap<>();
    Map<String, JsonNode> definitions = new TreeMap<>();
    for (Map.Entry<String, JsonNode> spec : specs.entrySet()) {
      String release = spec.getKey();
      JsonNode doc = spec.getValue();
      doc.path("definitions")
          .fields()
          .forEachRemaining(d -> definitions.put(d.getKey(), d.getValue()));
      collectKinds(release, doc, kinds);
    }
    Map<String, ObjectNode> types = new TreeMap<>();
    for (Map.Entry<String, JsonNode> d : definitions.entrySet()) {
      types.put(d.getKey(), listFields(d.getKey(), d.getValue(), definitions));
    }
    Set<String> useful = useful(types);
    ObjectNode out = F.objectNode();
    out.put(
        "source",
        "Kubernetes OpenAPI v2 (api/openapi-spec/swagger.json) of releases "
            + String.join(", ", specs.keySet())
            + "; written by ApiSchemaGenerator (test tree), do not edit");
    ArrayNode releases = out.putArray("kubernetes");
    specs.keySet().forEach(releases::add);
    ObjectNode kindsOut = out.putObject("kinds");
    for (Map.Entry<String, ObjectNode> k : kinds.entrySet()) {
      ObjectNode versions = (ObjectNode) k.getValue().get("versions");
      versions
          .fields()
          .forEachRemaining(
              v -> {
                String type = v.getValue().path("type").asText();
                if (!useful.contains(type)) {
                  ((ObjectNode) v.getValue()).remove("type");
                }
              });
      kindsOut.set(k.getKey(), k.getValue());
    }
    ObjectNode typesOut = out.putObject("types");
    for (String name : new TreeSet<>(useful)) {
      ObjectNode fields = F.objectNode();
      types
          .get(name)
          .fields()
          .forEachRemaining(
              f -> {
                JsonNode ref = f.getValue().get("type");
                JsonNode items = f.getValue().get("items");
                JsonNode values = f.getValue().get("values");
                boolean list = f.getValue().has("keys") || f.getValue().has("set");
                if (list
                    || (ref != null && useful.contains(ref.asText()))
                    || (items != null && useful.contains(items.asText()))
                    || (values != null && useful.contains(values.asText()))) {
                  ObjectNode copy = f.getValue().deepCopy();
                  if (items != null && !useful.contains(items.asText())) {
                    copy.remove("items");
                  }
                  fields.set(f.getKey(), copy);
                }
              });
      typesOut.set(name, fields);
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void collectKinds(String release, JsonNode doc, Map<String, ObjectNode> kinds) {
    Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> p = paths.next();
      JsonNode get = p.getValue().get("get");
      String path = p.getKey();
      if (get == null
          || !"get".equals(get.path("x-kubernetes-action").asText())
          || !path.endsWith("/{name}")) {
        continue;
      }
      JsonNode gvk = get.get("x-kubernetes-group-version-kind");
      if (gvk == null) {
        continue;
      }
      String group = gvk.path("group").asText();
      String kind = gvk.path("kind").asText();
      String version = gvk.path("version").asText();
      String[] parts = path.split("/");
      ObjectNode entry =
          kinds.computeIfAbsent(
              (group.isEmpty() ? "" : group + "/") + kind,
              k -> {
                ObjectNode e = F.objectNode();
                e.put("group", group);
                e.put("kind", kind);
                e.put("plural", parts[parts.length - 2]);
                e.put("namespaced", path.contains("/namespaces/{namespace}/"));
                e.putObject("versions");
                return e;
              });
      ObjectNode v = entry.with("versions").with(version);
      v.put("type", responseType(get));
      ArrayNode served = v.withArray("kubernetes");
      boolean present = false;
      for (JsonNode r : served) {
        present |= r.asText().equals(release);
      }
      if (!present) {
        served.add(release);
      }
    }
  }

  private static String responseType(JsonNode get) {
    String ref = get.path("responses").path("200").path("schema").path("$ref").asText("");
    return ref.startsWith(REF) ? ref.substring(REF.length()) : "";
  }

  /**
   * The fields of one definition that are object references, maps of references, or lists (keyed,
   * set or positional with object items).
   */
  private static ObjectNode listFields(
      String name, JsonNode definition, Map<String, JsonNode> all) {
    ObjectNode out = F.objectNode();
    definition
        .path("properties")
        .fields()
        .forEachRemaining(
            p -> {
              JsonNode prop = p.getValue();
              ObjectNode field = F.objectNode();
              if ("array".equals(prop.path("type").asText())) {
                String listType = prop.path("x-kubernetes-list-type").asText("");
                List<String> keys = new ArrayList<>();
                prop.path("x-kubernetes-list-map-keys").forEach(k -> keys.add(k.asText()));
                if (keys.isEmpty()
                    && !listType.equals("atomic")
                    && !listType.equals("set")
                    && prop.hasNonNull("x-kubernetes-patch-merge-key")) {
                  keys.add(prop.get("x-kubernetes-patch-merge-key").asText());
                }
                String items = ref(prop.path("items"));
                if (!keys.isEmpty() && !listType.equals("atomic")) {
                  ArrayNode k = field.putArray("keys");
                  keys.forEach(k::add);
                  ObjectNode defaults = F.objectNode();
                  JsonNode itemDef = items == null ? null : all.get(items);
                  for (String key : keys) {
                    String dflt = KEY_DEFAULTS.get(items + "." + key);
                    JsonNode declared =
                        itemDef == null
                            ? null
                            : itemDef.path("properties").path(key).get("default");
                    if (declared != null && declared.isValueNode()) {
                      dflt = declared.asText();
                    }
                    if (dflt != null) {
                      defaults.put(key, dflt);
                    }
                  }
                  if (!defaults.isEmpty()) {
                    field.set("defaults", defaults);
                  }
                } else if (listType.equals("set")) {
                  field.put("set", true);
                }
                if (items != null) {
                  field.put("items", items);
                }
              } else if (ref(prop) != null) {
                field.put("type", ref(prop));
              } else if ("object".equals(prop.path("type").asText())
                  && ref(prop.path("additionalProperties")) != null) {
                field.put("values", ref(prop.path("additionalProperties")));
              }
              if (!field.isEmpty()) {
                out.set(p.getKey(), field);
              }
            });
    return out;
  }

  private static String ref(JsonNode schema) {
    String ref = schema.path("$ref").asText("");
    if (ref.isEmpty() && schema.path("allOf").size() == 1) {
      ref = schema.path("allOf").get(0).path("$ref").asText("");
    }
    return ref.startsWith(REF) ? ref.substring(REF.length()) : null;
  }

  /** The types from which a keyed list or a set can be reached. */
  private static Set<String> useful(Map<String, ObjectNode> types) {
    Set<String> useful = new TreeSet<>();
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Map.Entry<String, ObjectNode> t : types.entrySet()) {
        if (useful.contains(t.getKey())) {
          continue;
        }
        for (JsonNode f : t.getValue()) {
          boolean leads =
              f.has("keys")
                  || f.has("set")
                  || useful.contains(f.path("type").asText())
                  || useful.contains(f.path("items").asText())
                  || useful.contains(f.path("values").asText());
          if (leads) {
            useful.add(t.getKey());
            changed = true;
            break;
          }
        }
      }
    }
    return useful;
  }
}

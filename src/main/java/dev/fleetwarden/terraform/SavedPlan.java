package dev.fleetwarden.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleetwarden.cdktf.TerraformLiteral;
import dev.fleetwarden.terraform.TerraformRunner.PlannedChange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Cloud drift read straight from a saved plan, without {@code terraform show -json} (which starts
 * the provider again only to load its schema: seconds for the AWS provider).
 *
 * <p>A plan file is a zip that holds, besides the plan itself, the state before the refresh ({@code
 * tfstate-prev}) and after it ({@code tfstate}), both in Terraform's documented JSON state format.
 * Their difference is exactly what {@code show -json} reports as {@code resource_drift}. The
 * planned changes come from the plan's machine-readable output; when every one of them only reverts
 * cloud drift (an update of a drifted resource whose configuration still equals the state Terraform
 * recorded, or the re-creation of a resource deleted outside Terraform), there is nothing pending
 * and the document is complete. Otherwise — or when anything is not as expected: another state
 * version, modules, deposed objects, a resource type whose schema is not known — the reading says
 * why and the caller asks {@code show -json}. The document has the shape of {@code show -json} so
 * that one {@link PlanParser} judges both.
 */
public final class SavedPlan {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> META_ARGUMENTS =
      Set.of(
          "//",
          "count",
          "for_each",
          "depends_on",
          "lifecycle",
          "provider",
          "provisioner",
          "connection");
  private static final Set<String> REVERT_ACTIONS = Set.of("update", "create");
  private static final Set<String> NO_CHANGE = Set.of("noop", "no-op", "read", "");

  private SavedPlan() {}

  /** A {@code show -json}-shaped document, or the reason it could not be built. */
  public record Reading(ObjectNode document, String fallbackReason) {
    static Reading fallback(String reason) {
      return new Reading(null, reason);
    }

    public boolean complete() {
      return document != null;
    }
  }

  /**
   * Reads {@code planFile}; {@code configuration} is the root module's Terraform JSON ({@code
   * cdk.tf.json}), or null when the configuration is not JSON.
   */
  public static Reading read(
      Path planFile,
      JsonNode configuration,
      ProviderSensitivity sensitivity,
      List<PlannedChange> planned)
      throws IOException {
    if (configuration == null) {
      return Reading.fallback("the configuration is not Terraform JSON");
    }
    try (ZipFile zip = new ZipFile(planFile.toFile())) {
      JsonNode prev = entry(zip, "tfstate-prev");
      JsonNode refreshed = entry(zip, "tfstate");
      if (prev == null || refreshed == null) {
        return Reading.fallback("the plan file holds no tfstate-prev/tfstate");
      }
      return document(prev, refreshed, configuration, sensitivity, planned);
    }
  }

  private static JsonNode entry(ZipFile zip, String name) throws IOException {
    ZipEntry e = zip.getEntry(name);
    if (e == null) {
      return null;
    }
    try (InputStream in = zip.getInputStream(e)) {
      return JSON.readTree(in);
    }
  }

  private record Instance(
      String address, String type, String name, JsonNode attributes, JsonNode sensitivePaths) {}

  /** The document from the two states; pure. */
  static Reading document(
      JsonNode prevState,
      JsonNode refreshedState,
      JsonNode configuration,
      ProviderSensitivity sensitivity,
      List<PlannedChange> planned) {
    if (planned == null) {
      return Reading.fallback("the planned changes are not known");
    }
    if (prevState.path("version").asInt() != 4 || refreshedState.path("version").asInt() != 4) {
      return Reading.fallback("state format version is not 4");
    }
    Map<String, Instance> prev = new LinkedHashMap<>();
    Map<String, Instance> now = new LinkedHashMap<>();
    String problem = instances(prevState, prev);
    if (problem == null) {
      problem = instances(refreshedState, now);
    }
    if (problem != null) {
      return Reading.fallback(problem);
    }

    ObjectNode doc = JSON.createObjectNode();
    doc.put("format_version", "1.2");
    doc.put("fleetwarden_source", "plan file");
    ArrayNode drift = doc.putArray("resource_drift");
    Map<String, String> driftActions = new LinkedHashMap<>();
    for (Instance before : prev.values()) {
      if (!sensitivity.knows(before.type())) {
        return Reading.fallback("no schema for resource type " + before.type());
      }
      Instance after = now.get(before.address());
      if (after != null && after.attributes().equals(before.attributes())) {
        continue;
      }
      String action = after == null ? "delete" : "update";
      driftActions.put(before.address(), action);
      ObjectNode rc = drift.addObject();
      rc.put("address", before.address());
      rc.put("mode", "managed");
      rc.put("type", before.type());
      rc.put("name", before.name());
      ObjectNode change = rc.putObject("change");
      change.putArray("actions").add(action);
      change.set("before", before.attributes());
      change.set("after", after == null ? NullNode.instance : after.attributes());
      change.set("before_sensitive", mask(before, sensitivity));
      change.set(
          "after_sensitive", after == null ? JSON.createObjectNode() : mask(after, sensitivity));
    }

    JsonNode resources = configuration.path("resource");
    for (PlannedChange change : planned) {
      if (NO_CHANGE.contains(change.action())) {
        continue;
      }
      String drifted = driftActions.get(change.address());
      if (!REVERT_ACTIONS.contains(change.action()) || drifted == null) {
        return Reading.fallback(
            change.action() + " of " + change.address() + " is a pending change");
      }
      if (change.action().equals("create")) {
        if (!drifted.equals("delete")) {
          return Reading.fallback("create of " + change.address() + " is a pending change");
        }
        continue;
      }
      if (!drifted.equals("update")) {
        return Reading.fallback("update of deleted " + change.address());
      }
      Instance recorded = prev.get(change.address());
      JsonNode config = resources.path(recorded.type()).path(recorded.name());
      if (!config.isObject() || !matchesRecorded(config, recorded.attributes())) {
        return Reading.fallback(
            "the configuration of " + change.address() + " differs from the recorded state");
      }
    }

    doc.putArray("resource_changes");
    ObjectNode root = doc.putObject("configuration").putObject("root_module");
    ArrayNode configured = root.putArray("resources");
    Iterator<Map.Entry<String, JsonNode>> types = resources.fields();
    while (types.hasNext()) {
      Map.Entry<String, JsonNode> type = types.next();
      Iterator<Map.Entry<String, JsonNode>> names = type.getValue().fields();
      while (names.hasNext()) {
        Map.Entry<String, JsonNode> name = names.next();
        ObjectNode r = configured.addObject();
        r.put("address", type.getKey() + "." + name.getKey());
        r.put("mode", "managed");
        r.put("type", type.getKey());
        r.put("name", name.getKey());
        ObjectNode expressions = r.putObject("expressions");
        name.getValue()
            .fieldNames()
            .forEachRemaining(
                k -> {
                  if (!META_ARGUMENTS.contains(k)) {
                    expressions.putObject(k);
                  }
                });
      }
    }
    return new Reading(doc, null);
  }

  /** Collects the managed resource instances of a state; returns a problem, or null. */
  private static String instances(JsonNode state, Map<String, Instance> out) {
    for (JsonNode r : state.path("resources")) {
      if (!"managed".equals(r.path("mode").asText())) {
        continue;
      }
      if (r.hasNonNull("module")) {
        return "resources in modules (" + r.path("module").asText() + ")";
      }
      String type = r.path("type").asText();
      String name = r.path("name").asText();
      for (JsonNode i : r.path("instances")) {
        if (i.has("deposed")) {
          return "deposed objects of " + type + "." + name;
        }
        String address = type + "." + name + indexSuffix(i.get("index_key"));
        out.put(
            address,
            new Instance(
                address, type, name, i.path("attributes"), i.path("sensitive_attributes")));
      }
    }
    return null;
  }

  private static String indexSuffix(JsonNode key) {
    if (key == null || key.isNull()) {
      return "";
    }
    return key.isNumber() ? "[" + key.asText() + "]" : "[" + JSON.valueToTree(key.asText()) + "]";
  }

  /**
   * {@code before_sensitive}/{@code after_sensitive} for one object: {@code true} for each
   * top-level attribute the provider declares sensitive, or under which the state marks a path
   * sensitive.
   */
  private static ObjectNode mask(Instance instance, ProviderSensitivity sensitivity) {
    ObjectNode out = JSON.createObjectNode();
    for (String name : sensitivity.sensitive(instance.type())) {
      if (instance.attributes().has(name)) {
        out.put(name, true);
      }
    }
    for (JsonNode path : instance.sensitivePaths()) {
      JsonNode first = path.path(0);
      if ("get_attr".equals(first.path("type").asText())) {
        out.put(first.path("value").asText(), true);
      }
    }
    return out;
  }

  /**
   * Whether every value the configuration sets equals the recorded one. Interpolations ({@code
   * ${...}}) are not evaluated: they match; escaped literals ({@code $${...}}) are compared as the
   * text they stand for. A configured block ({@code {...}}) matches a recorded list of one; lists
   * match in order or as sets; unset (null) matches empty and false. Anything uncertain does not
   * match, so the caller falls back to {@code show -json}.
   */
  static boolean matchesRecorded(JsonNode config, JsonNode recorded) {
    Iterator<Map.Entry<String, JsonNode>> fields = config.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      if (META_ARGUMENTS.contains(f.getKey())) {
        continue;
      }
      if (!matches(f.getValue(), recorded.path(f.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static boolean matches(JsonNode config, JsonNode recorded) {
    if (config.isTextual()) {
      String literal = TerraformLiteral.literal(config.asText());
      if (literal == null) {
        return true;
      }
      config = TextNode.valueOf(literal);
    }
    if (config.isNull()) {
      return PlanParser.isEmpty(recorded) || (recorded.isBoolean() && !recorded.asBoolean());
    }
    if (config.isObject()) {
      if (recorded.isArray() && recorded.size() == 1) {
        recorded = recorded.get(0);
      }
      if (PlanParser.isEmpty(config) && PlanParser.isEmpty(recorded)) {
        return true;
      }
      if (!recorded.isObject()) {
        return false;
      }
      Iterator<Map.Entry<String, JsonNode>> fields = config.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        // Keys of maps are templates too: an escaped one names the key it stands for.
        String key = TerraformLiteral.literal(f.getKey());
        if (!matches(f.getValue(), recorded.path(key == null ? f.getKey() : key))) {
          return false;
        }
      }
      return true;
    }
    if (config.isArray()) {
      if (PlanParser.isEmpty(config) && PlanParser.isEmpty(recorded)) {
        return true;
      }
      if (!recorded.isArray() || recorded.size() != config.size()) {
        return false;
      }
      boolean inOrder = true;
      for (int i = 0; i < config.size() && inOrder; i++) {
        inOrder = matches(config.get(i), recorded.get(i));
      }
      return inOrder || matchesAsSet(config, recorded);
    }
    return PlanParser.sameValue(config, recorded);
  }

  private static boolean matchesAsSet(JsonNode config, JsonNode recorded) {
    List<JsonNode> left = new ArrayList<>();
    recorded.forEach(left::add);
    for (JsonNode c : config) {
      boolean found = false;
      for (Iterator<JsonNode> it = left.iterator(); it.hasNext(); ) {
        if (matches(c, it.next())) {
          it.remove();
          found = true;
          break;
        }
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }
}

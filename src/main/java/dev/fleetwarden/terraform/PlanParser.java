package dev.fleetwarden.terraform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.JsonPointers;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns the output of {@code terraform show -json <planfile>} into drift, without I/O.
 *
 * <ul>
 *   <li>{@code resource_drift} (state before refresh vs. the real cloud) becomes cloud drift:
 *       {@link DriftType#MODIFIED}, or {@link DriftType#MISSING} when the resource was deleted
 *       outside Terraform. Only attributes the configuration sets count: values the cloud computes
 *       or another resource manages (e.g. {@code managed_policy_arns} filled by policy attachments)
 *       are not drift, like live-only fields of Kubernetes objects.
 *   <li>{@code resource_changes} with an action other than {@code no-op} becomes {@link
 *       DriftType#PENDING}: the fleet's configuration is ahead of reality. The part of a change
 *       that merely reverts cloud drift is not pending (it is already reported as drift).
 * </ul>
 *
 * Each attribute is reported at its JSON pointer within the resource's attributes, desired and live
 * side by side; sensitive values read {@value FieldDrift#SENSITIVE}, unknown values {@value
 * FieldDrift#KNOWN_AFTER_APPLY}. Empty lists, empty maps, empty strings and null are the same (the
 * provider uses them interchangeably); JSON documents held in strings (IAM policies) compare by
 * content. Drift is judged from this JSON only, never from the plan's exit code.
 */
public final class PlanParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNode MASK = JsonNodeFactory.instance.textNode(FieldDrift.SENSITIVE);
  private static final JsonNode UNKNOWN =
      JsonNodeFactory.instance.textNode(FieldDrift.KNOWN_AFTER_APPLY);

  /** Parses the JSON text of a {@code show -json} output. */
  public List<ObjectDrift> parse(String cluster, String showJson) throws PlanParseException {
    JsonNode root;
    try {
      root = JSON.readTree(showJson);
    } catch (JsonProcessingException e) {
      throw new PlanParseException(cluster, "not JSON: " + e.getOriginalMessage());
    }
    return parse(cluster, root);
  }

  /** Parses a {@code show -json} document: cloud drift first, then pending changes. */
  public List<ObjectDrift> parse(String cluster, JsonNode show) throws PlanParseException {
    if (show == null || !show.isObject() || !show.has("format_version")) {
      throw new PlanParseException(
          cluster, "not the output of `terraform show -json <planfile>` (no format_version)");
    }
    Map<String, Set<String>> configured = configuredAttributes(show.path("configuration"));
    Map<String, JsonNode> driftBefore = new HashMap<>();
    Set<String> missing = new TreeSet<>();
    List<ObjectDrift> out = new ArrayList<>();

    for (JsonNode rc : show.path("resource_drift")) {
      if (!isManaged(rc)) {
        continue;
      }
      String address = rc.path("address").asText();
      JsonNode change = rc.path("change");
      Set<String> actions = actions(change);
      ResourceId id = ResourceId.terraform(cluster, address);
      if (actions.contains("delete")) {
        missing.add(address);
        out.add(drift(id, DriftType.MISSING, List.of()));
        continue;
      }
      if (!actions.contains("update")) {
        continue;
      }
      driftBefore.put(address, change.path("before"));
      List<FieldDrift> fields = new ArrayList<>();
      diff(
          "",
          change.path("before"),
          change.path("after"),
          sensitivity(change, "before_sensitive"),
          sensitivity(change, "after_sensitive"),
          NullNode.instance,
          false,
          fields);
      Set<String> keys = configured.get(configAddress(rc));
      if (keys != null) {
        fields.removeIf(f -> !keys.contains(topLevelKey(f.path())));
      }
      fields = withoutDuplicateTags(fields);
      if (!fields.isEmpty()) {
        out.add(drift(id, DriftType.MODIFIED, fields));
      }
    }

    for (JsonNode rc : show.path("resource_changes")) {
      if (!isManaged(rc)) {
        continue;
      }
      String address = rc.path("address").asText();
      JsonNode change = rc.path("change");
      Set<String> actions = actions(change);
      actions.remove("no-op");
      actions.remove("read");
      if (actions.isEmpty() || (missing.contains(address) && actions.contains("create"))) {
        continue;
      }
      ResourceId id = ResourceId.terraform(cluster, address);
      List<FieldDrift> fields = new ArrayList<>();
      if (!actions.contains("create") || actions.contains("delete")) {
        diff(
            "",
            change.path("after"),
            change.path("before"),
            sensitivity(change, "after_sensitive"),
            sensitivity(change, "before_sensitive"),
            change.path("after_unknown"),
            true,
            fields);
        if (actions.contains("create")) {
          // A replacement's new ids and ARNs are unknown until it exists: not worth a line each.
          fields.removeIf(f -> UNKNOWN.equals(f.desired()));
        }
      } else {
        diff(
            "",
            change.path("after"),
            NullNode.instance,
            sensitivity(change, "after_sensitive"),
            NullNode.instance,
            change.path("after_unknown"),
            true,
            fields);
        // A new resource's ids and ARNs are unknown until it exists: not worth a line each.
        fields.removeIf(f -> UNKNOWN.equals(f.desired()));
      }
      JsonNode recorded = driftBefore.get(address);
      if (recorded != null) {
        // What only restores the state Terraform recorded is the revert of cloud drift.
        fields.removeIf(f -> sameValue(at(recorded, f.path()), f.desired()));
      }
      fields = withoutDuplicateTags(fields);
      if (!fields.isEmpty() || actions.contains("delete")) {
        out.add(drift(id, DriftType.PENDING, fields));
      }
    }
    out.sort(Comparator.comparing(ObjectDrift::resource).thenComparing(d -> d.type().ordinal()));
    return out;
  }

  private static ObjectDrift drift(ResourceId id, DriftType type, List<FieldDrift> fields) {
    List<FieldDrift> sorted = new ArrayList<>(fields);
    sorted.sort(Comparator.comparing(FieldDrift::path));
    return new ObjectDrift(id, null, DriftSource.TERRAFORM, type, null, sorted);
  }

  /**
   * Walks {@code desired} and {@code live} side by side and records each differing leaf. Arrays of
   * objects of equal length are compared element by element (nested blocks); other arrays as a
   * whole (sets of rules, lists of values).
   */
  private static void diff(
      String path,
      JsonNode desired,
      JsonNode live,
      JsonNode desiredSensitive,
      JsonNode liveSensitive,
      JsonNode unknown,
      boolean desiredMayBeUnknown,
      List<FieldDrift> out) {
    if (desiredMayBeUnknown && unknown.isBoolean() && unknown.asBoolean()) {
      out.add(new FieldDrift(path, UNKNOWN, masked(live, liveSensitive)));
      return;
    }
    if (isTrue(desiredSensitive) || isTrue(liveSensitive)) {
      if (!sameValue(desired, live)) {
        out.add(new FieldDrift(path, MASK, MASK));
      }
      return;
    }
    if (isEmpty(desired) && isEmpty(live) && !hasUnknown(unknown)) {
      return;
    }
    if (desired.isObject() && live.isObject()
        || desired.isObject() && isEmpty(live)
        || isEmpty(desired) && live.isObject()) {
      Set<String> keys = new TreeSet<>();
      desired.fieldNames().forEachRemaining(keys::add);
      live.fieldNames().forEachRemaining(keys::add);
      unknown.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        diff(
            path + "/" + JsonPointers.escape(key),
            desired.path(key),
            live.path(key),
            desiredSensitive.path(key),
            liveSensitive.path(key),
            unknown.path(key),
            desiredMayBeUnknown,
            out);
      }
      return;
    }
    if (desired.isArray()
        && live.isArray()
        && desired.size() == live.size()
        && allObjects(desired)
        && allObjects(live)) {
      for (int i = 0; i < desired.size(); i++) {
        diff(
            path + "/" + i,
            desired.get(i),
            live.get(i),
            desiredSensitive.path(i),
            liveSensitive.path(i),
            unknown.path(i),
            desiredMayBeUnknown,
            out);
      }
      return;
    }
    if (hasUnknown(unknown)) {
      out.add(new FieldDrift(path, UNKNOWN, masked(live, liveSensitive)));
      return;
    }
    if (!sameValue(desired, live)) {
      if (hasSensitive(desiredSensitive) || hasSensitive(liveSensitive)) {
        out.add(new FieldDrift(path, MASK, MASK));
      } else {
        out.add(new FieldDrift(path, nullIfMissing(desired), nullIfMissing(live)));
      }
    }
  }

  /** Equal values, with null = empty and JSON-in-strings compared by content. */
  static boolean sameValue(JsonNode a, JsonNode b) {
    a = a == null ? NullNode.instance : a;
    b = b == null ? NullNode.instance : b;
    if (isEmpty(a) && isEmpty(b)) {
      return true;
    }
    if (a.isNumber() && b.isNumber()) {
      return new BigDecimal(a.asText()).compareTo(new BigDecimal(b.asText())) == 0;
    }
    if (a.isTextual() && b.isTextual()) {
      if (a.asText().equals(b.asText())) {
        return true;
      }
      JsonNode pa = embeddedJson(a.asText());
      JsonNode pb = embeddedJson(b.asText());
      return pa != null && pb != null && pa.equals(pb);
    }
    if (a.isObject() && b.isObject() || isEmpty(a) && b.isObject() || a.isObject() && isEmpty(b)) {
      Set<String> keys = new TreeSet<>();
      a.fieldNames().forEachRemaining(keys::add);
      b.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        if (!sameValue(a.path(k), b.path(k))) {
          return false;
        }
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!sameValue(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  private static JsonNode embeddedJson(String text) {
    String t = text.trim();
    if (!(t.startsWith("{") || t.startsWith("["))) {
      return null;
    }
    try {
      return JSON.readTree(t);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  static boolean isEmpty(JsonNode n) {
    return n == null
        || n.isNull()
        || n.isMissingNode()
        || (n.isContainerNode() && n.isEmpty())
        || (n.isTextual() && n.asText().isEmpty());
  }

  /** Top-level attribute names each configured resource sets, by address without index. */
  private static Map<String, Set<String>> configuredAttributes(JsonNode configuration) {
    Map<String, Set<String>> out = new HashMap<>();
    collect(configuration.path("root_module"), "", out);
    return out;
  }

  private static void collect(JsonNode module, String prefix, Map<String, Set<String>> out) {
    for (JsonNode r : module.path("resources")) {
      if (!"managed".equals(r.path("mode").asText("managed"))) {
        continue;
      }
      Set<String> keys = new LinkedHashSet<>();
      r.path("expressions").fieldNames().forEachRemaining(keys::add);
      out.put(prefix + r.path("address").asText(), keys);
    }
    Iterator<Map.Entry<String, JsonNode>> calls = module.path("module_calls").fields();
    while (calls.hasNext()) {
      Map.Entry<String, JsonNode> call = calls.next();
      collect(call.getValue().path("module"), prefix + "module." + call.getKey() + ".", out);
    }
  }

  /** {@code module.a[0].aws_vpc.main[1]} → {@code module.a.aws_vpc.main}: the config address. */
  private static String configAddress(JsonNode rc) {
    String module = rc.path("module_address").asText("");
    String moduleConfig = module.replaceAll("\\[[^]]*]", "");
    String resource = rc.path("type").asText() + "." + rc.path("name").asText();
    return moduleConfig.isEmpty() ? resource : moduleConfig + "." + resource;
  }

  /** {@code tags_all} repeats {@code tags} plus provider default tags: keep one of the two. */
  private static List<FieldDrift> withoutDuplicateTags(List<FieldDrift> fields) {
    boolean hasTags = fields.stream().anyMatch(f -> "tags".equals(topLevelKey(f.path())));
    if (!hasTags) {
      return fields;
    }
    List<FieldDrift> kept = new ArrayList<>(fields);
    kept.removeIf(f -> "tags_all".equals(topLevelKey(f.path())));
    return kept;
  }

  private static String topLevelKey(String pointer) {
    int next = pointer.indexOf('/', 1);
    String key = next < 0 ? pointer.substring(1) : pointer.substring(1, next);
    return JsonPointers.unescape(key);
  }

  private static JsonNode at(JsonNode node, String pointer) {
    return pointer.isEmpty() ? node : node.at(pointer);
  }

  private static JsonNode sensitivity(JsonNode change, String field) {
    JsonNode n = change.get(field);
    return n == null ? NullNode.instance : n;
  }

  private static JsonNode masked(JsonNode value, JsonNode sensitive) {
    return hasSensitive(sensitive) ? MASK : nullIfMissing(value);
  }

  private static JsonNode nullIfMissing(JsonNode n) {
    return n == null || n.isMissingNode() ? NullNode.instance : n;
  }

  private static boolean isTrue(JsonNode n) {
    return n != null && n.isBoolean() && n.asBoolean();
  }

  private static boolean hasSensitive(JsonNode n) {
    if (isTrue(n)) {
      return true;
    }
    if (n != null && n.isContainerNode()) {
      for (JsonNode child : n) {
        if (hasSensitive(child)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean hasUnknown(JsonNode n) {
    return hasSensitive(n);
  }

  private static boolean allObjects(JsonNode array) {
    for (JsonNode n : array) {
      if (!n.isObject()) {
        return false;
      }
    }
    return true;
  }

  private static boolean isManaged(JsonNode rc) {
    return "managed".equals(rc.path("mode").asText("managed"));
  }

  private static Set<String> actions(JsonNode change) {
    Set<String> actions = new TreeSet<>();
    change.path("actions").forEach(a -> actions.add(a.asText()));
    return actions;
  }
}

package dev.fleetwarden.terraform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.fleetwarden.ledger.Fingerprints;
import dev.fleetwarden.model.CanonicalJson;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.JsonPointers;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.PathPattern;
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
 * FieldDrift#KNOWN_AFTER_APPLY}. Lists of blocks (security group rules) are compared item by item,
 * each item named by its identity ({@code /ingress/from_port=22,to_port=22,protocol=tcp}), an added
 * or removed item reported as a whole (see {@link #diffBlocks}). Empty lists, empty maps, empty
 * strings and null are the same (the provider uses them interchangeably); JSON documents held in
 * strings (IAM policies) compare by content. Drift is judged from this JSON only, never from the
 * plan's exit code.
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
    if (isBlockList(desired) && isBlockList(live) && !isTrue(unknown)) {
      diffBlocks(
          path, desired, live, desiredSensitive, liveSensitive, unknown, desiredMayBeUnknown, out);
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

  /**
   * Compares two lists of blocks (security group rules, nested blocks) item by item. Items equal on
   * both sides are in sync. The others are paired by a stable identity ({@link #identity}) and
   * reported at {@code /<attribute>/<key>=<value>,...}: an item on both sides attribute by
   * attribute, an item on one side only as a whole (added: desired absent; removed: live absent).
   * Lists of the same length without such an identity (a single nested block) are paired by
   * position as before; other lists by content, each item named {@code hash=<12 hex>}.
   */
  private static void diffBlocks(
      String path,
      JsonNode desired,
      JsonNode live,
      JsonNode desiredSensitive,
      JsonNode liveSensitive,
      JsonNode unknown,
      boolean desiredMayBeUnknown,
      List<FieldDrift> out) {
    List<Integer> d = indices(desired);
    List<Integer> l = indices(live);
    for (java.util.Iterator<Integer> it = l.iterator(); it.hasNext(); ) {
      int j = it.next();
      for (int k = 0; k < d.size(); k++) {
        int i = d.get(k);
        if (!hasUnknown(unknown.path(i))
            && !hasSensitive(desiredSensitive.path(i))
            && !hasSensitive(liveSensitive.path(j))
            && sameValue(desired.get(i), live.get(j))) {
          d.remove(k);
          it.remove();
          break;
        }
      }
    }
    if (d.isEmpty() && l.isEmpty()) {
      return;
    }
    List<String> key = identity(desired, live);
    if (key == null && desired.size() == live.size()) {
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
    Map<String, Integer> liveByName = new java.util.LinkedHashMap<>();
    for (int j : l) {
      liveByName.putIfAbsent(elementName(live.get(j), key), j);
    }
    for (int i : d) {
      String name = elementName(desired.get(i), key);
      Integer j = liveByName.remove(name);
      String at = path + "/" + name;
      if (j != null) {
        diff(
            at,
            desired.get(i),
            live.get(j),
            desiredSensitive.path(i),
            liveSensitive.path(j),
            unknown.path(i),
            desiredMayBeUnknown,
            out);
      } else {
        out.add(
            new FieldDrift(
                at,
                element(desired.get(i), desiredSensitive.path(i), unknown.path(i)),
                NullNode.instance));
      }
    }
    for (Map.Entry<String, Integer> added : liveByName.entrySet()) {
      int j = added.getValue();
      out.add(
          new FieldDrift(
              path + "/" + added.getKey(),
              NullNode.instance,
              element(live.get(j), liveSensitive.path(j), NullNode.instance)));
    }
  }

  /**
   * The attributes that name an item of a list of blocks, tried in order: a network ACL entry's
   * {@code rule_no}; a security group rule's {@code from_port}, {@code to_port} and {@code
   * protocol}; {@code name}; {@code key} (tags written as blocks). The first whose values every
   * item has as plain values, distinct within each side (so that a name finds one item), wins;
   * none: null. A single block on each side is named by a rule identity only.
   */
  static final List<List<String>> IDENTITIES =
      List.of(
          List.of("rule_no"),
          List.of("from_port", "to_port", "protocol"),
          List.of("name"),
          List.of("key"));

  private static final List<List<String>> RULE_IDENTITIES = IDENTITIES.subList(0, 2);

  private static List<String> identity(JsonNode desired, JsonNode live) {
    // One block on each side is a single nested block (a node group's scaling_config), named by
    // position, unless it is a rule.
    boolean single = desired.size() <= 1 && live.size() <= 1;
    for (List<String> key : single ? RULE_IDENTITIES : IDENTITIES) {
      if (names(desired, indices(desired), key) && names(live, indices(live), key)) {
        return key;
      }
    }
    return null;
  }

  private static boolean names(JsonNode list, List<Integer> items, List<String> key) {
    Set<String> seen = new java.util.HashSet<>();
    for (int i : items) {
      JsonNode item = list.get(i);
      for (String k : key) {
        JsonNode v = item.get(k);
        if (v == null || !v.isValueNode() || v.isNull()) {
          return false;
        }
      }
      if (!seen.add(elementName(item, key))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The path segment of a list item: {@code k1=v1,k2=v2} (values escaped as pointer segments) or,
   * without an identity, {@code hash=} and the first 12 hex characters of the SHA-256 of the item's
   * canonical JSON.
   */
  static String elementName(JsonNode item, List<String> key) {
    if (key == null) {
      return "hash=" + Fingerprints.sha256(CanonicalJson.of(item)).substring(0, 12);
    }
    StringBuilder sb = new StringBuilder();
    for (String k : key) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(k).append('=').append(JsonPointers.escape(item.get(k).asText()));
    }
    return sb.toString();
  }

  /**
   * An item reported as a whole: masked when any part is sensitive, unknown parts marked, and empty
   * attributes left out (the provider writes them interchangeably with absent ones).
   */
  private static JsonNode element(JsonNode item, JsonNode sensitive, JsonNode unknown) {
    if (hasSensitive(sensitive)) {
      return MASK;
    }
    if (!item.isObject()) {
      return item;
    }
    com.fasterxml.jackson.databind.node.ObjectNode out = JsonNodeFactory.instance.objectNode();
    Set<String> keys = new TreeSet<>();
    item.fieldNames().forEachRemaining(keys::add);
    unknown.fieldNames().forEachRemaining(keys::add);
    for (String k : keys) {
      if (hasUnknown(unknown.path(k))) {
        out.set(k, UNKNOWN);
      } else if (!isEmpty(item.get(k))) {
        out.set(k, item.get(k));
      }
    }
    return out;
  }

  private static List<Integer> indices(JsonNode list) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; list.isArray() && i < list.size(); i++) {
      out.add(i);
    }
    return out;
  }

  /** A list whose items are all blocks (objects), or nothing (null, absent, empty). */
  private static boolean isBlockList(JsonNode n) {
    return isEmpty(n) || (n.isArray() && allObjects(n));
  }

  /**
   * The value at a drift path in a resource's attributes: list items by index or by the names
   * {@link #elementName} gives them; missing when there is none.
   */
  static JsonNode resolve(JsonNode node, String pointer) {
    JsonNode at = node;
    for (String segment : JsonPointers.split(pointer)) {
      if (at == null || at.isMissingNode()) {
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
      }
      if (at.isArray() && segment.startsWith("hash=")) {
        JsonNode match = null;
        for (JsonNode item : at) {
          if (elementName(item, null).equals(segment)) {
            match = item;
            break;
          }
        }
        at = match;
      } else {
        at = PathPattern.child(at, segment);
      }
    }
    return at == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : at;
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
    return pointer.isEmpty() ? node : resolve(node, pointer);
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

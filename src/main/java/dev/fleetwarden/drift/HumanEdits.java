package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.model.JsonPointers;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Live-only changes made by people: fields, list items and objects that Git does not set and that a
 * human-operated client wrote, found through the live object's {@code managedFields}. A container
 * added with {@code kubectl edit}, {@code suspend: true} patched onto a CronJob, a label added with
 * {@code kubectl label}: none of these is in Git, and a diff that only walks the fields Git sets
 * never sees them. The same addition by a controller or a mutating webhook (its own manager, or no
 * entry at all) stays silent, and so do values equal to the API server's default.
 *
 * <p>Each addition is reported once, at the topmost node Git lacks (a whole added container, not
 * each of its fields). A field Git leaves empty ({@code ""}, {@code []}, {@code {}}) counts as
 * lacking. For {@code kubectl-client-side-apply} (which the creator of an object is credited with
 * for every field, server defaults and webhook mutations included) a field counts only when the
 * object's {@code last-applied-configuration} holds it too: that annotation is what the person
 * applied. Pure: no clock, no I/O.
 */
final class HumanEdits {
  /** One live-only value a human wrote: pointer (keyed list items by key), value, who and when. */
  record Added(String path, JsonNode live, String manager, Instant time) {}

  static final String CLIENT_SIDE_APPLY = "kubectl-client-side-apply";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ServerDefaultNormalizer DEFAULTS = new ServerDefaultNormalizer();

  /** Top-level fields that are identity, or written by the API server. */
  private static final Set<String> SKIPPED_ROOT = Set.of("apiVersion", "kind", "status");

  private final Set<String> humanManagers;

  /** Parsed {@code k:}/{@code v:} keys: one cluster's objects repeat the same few. */
  private final Map<String, JsonNode> parsedKeys = new HashMap<>();

  /**
   * The field name of each {@code f:} key: one string per name, so that its hash is computed once
   * and not for every object the name appears in.
   */
  private final Map<String, String> names = new HashMap<>();

  /** The pointer segment of each {@code k:} key. */
  private final Map<String, String> segments = new HashMap<>();

  HumanEdits(Set<String> humanManagers) {
    this.humanManagers = humanManagers;
  }

  /** The JSON after a {@code k:} or {@code v:} prefix, or null when it does not parse. */
  JsonNode fieldKey(String key) {
    JsonNode parsed = parsedKeys.get(key);
    if (parsed == null && !parsedKeys.containsKey(key)) {
      parsed = parse(key.substring(2));
      parsedKeys.put(key, parsed);
    }
    return parsed;
  }

  boolean isHuman(String manager) {
    return manager != null && humanManagers.contains(manager);
  }

  /**
   * The live-only additions by human managers.
   *
   * @param kind the object's kind (for server defaults)
   * @param group the object's API group (for server defaults)
   * @param desired the desired object, last-applied annotation removed
   * @param live the live object as read (with {@code managedFields} and the last-applied
   *     annotation)
   */
  List<Added> find(String kind, String group, JsonNode desired, JsonNode live) {
    JsonNode managed = live.path("metadata").path("managedFields");
    if (!managed.isArray() || managed.isEmpty() || humanManagers.isEmpty()) {
      return List.of();
    }
    if (SecretData.isSecret(kind)) {
      desired = SecretKeys.merged(desired);
    }
    List<Added> out = new ArrayList<>();
    for (JsonNode entry : managed) {
      String manager = entry.path("manager").asText(null);
      if (!isHuman(manager)) {
        continue;
      }
      JsonNode fields = entry.get("fieldsV1");
      String subresource = entry.path("subresource").asText("");
      if (fields == null
          || !fields.isObject()
          || !(subresource.isEmpty() || subresource.equals("scale"))) {
        continue;
      }
      LazyApplied check = null;
      if (manager.equals(CLIENT_SIDE_APPLY)) {
        // client-side apply adds only what it applied: nothing, without the annotation or when
        // Git sets all of it
        String text = appliedText(live);
        if (text == null || AppliedWithinDesired.holds(text, desired)) {
          continue;
        }
        check = new LazyApplied(text);
      }
      Walk walk = new Walk(kind, group, manager, entry.path("time").asText(null), check, out);
      walk.object(fields, desired, live, new ArrayList<>(), new ArrayList<>());
    }
    return dedupe(out);
  }

  /**
   * The object's {@code last-applied-configuration}, parsed on first use (most objects never need
   * it: only a candidate addition credited to client-side apply is checked against it).
   */
  private static final class LazyApplied {
    private final String text;
    private JsonNode parsed;
    private boolean read;

    LazyApplied(String text) {
      this.text = text;
    }

    /** Whether what was applied holds the node at {@code steps} (field names, item keys). */
    boolean holds(List<Object> steps) {
      if (!read) {
        JsonNode tree = parse(text);
        parsed = tree != null && tree.isObject() ? tree : null;
        read = true;
      }
      JsonNode node = parsed;
      for (Object step : steps) {
        if (node == null) {
          return false;
        }
        node = step instanceof String name ? get(node, name) : find(node, (JsonNode) step);
      }
      return node != null && !node.isNull();
    }
  }

  /** One entry's walk over its field set, Git's object and the live object. */
  private final class Walk {
    private final String kind;
    private final String group;
    private final String manager;

    /** The entry's time as written; parsed only when the entry made an addition. */
    private final String timeText;

    private final LazyApplied applied;
    private final List<Added> out;

    Walk(
        String kind,
        String group,
        String manager,
        String timeText,
        LazyApplied applied,
        List<Added> out) {
      this.kind = kind;
      this.group = group;
      this.manager = manager;
      this.timeText = timeText;
      this.applied = applied;
      this.out = out;
    }

    /**
     * @param at the pointer segments so far (keyed items as {@code key=value})
     * @param steps the same path as field names and item keys, to look up in what was applied
     */
    void object(
        JsonNode fields, JsonNode desired, JsonNode live, List<String> at, List<Object> steps) {
      Iterator<Map.Entry<String, JsonNode>> it = fields.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> child = it.next();
        String key = child.getKey();
        if (key.startsWith("f:")) {
          String name = names.computeIfAbsent(key, k -> k.substring(2));
          JsonNode desiredChild = get(desired, name);
          // most fields: Git sets them and nothing below them can be live-only
          if (!lacking(desiredChild) && (!desiredChild.isContainerNode() || isLeaf(child))) {
            continue;
          }
          if (skipped(at, name)) {
            continue;
          }
          at.add(JsonPointers.escape(name));
          steps.add(name);
          step(child.getValue(), desiredChild, get(live, name), live, at, steps);
          steps.remove(steps.size() - 1);
          at.remove(at.size() - 1);
        } else if (key.startsWith("k:")) {
          JsonNode itemKey = fieldKey(key);
          if (itemKey == null || !itemKey.isObject() || live == null || !live.isArray()) {
            continue;
          }
          JsonNode desiredItem = find(desired, itemKey);
          if (!lacking(desiredItem) && isLeaf(child)) {
            continue;
          }
          at.add(segments.computeIfAbsent(key, k -> keySegment(itemKey)));
          steps.add(itemKey);
          step(child.getValue(), desiredItem, find(live, itemKey), live, at, steps);
          steps.remove(steps.size() - 1);
          at.remove(at.size() - 1);
        } else if (key.startsWith("v:")) {
          JsonNode value = fieldKey(key);
          if (value == null || !contains(live, value) || contains(desired, value)) {
            continue;
          }
          at.add(Integer.toString(indexOf(live, value)));
          if (applied == null || applied.holds(steps)) {
            out.add(new Added(pointer(at), value, manager, time(timeText)));
          }
          at.remove(at.size() - 1);
        }
      }
    }

    private static boolean isLeaf(Map.Entry<String, JsonNode> fieldSet) {
      JsonNode fields = fieldSet.getValue();
      return !fields.isObject() || fields.isEmpty();
    }

    private void step(
        JsonNode fields,
        JsonNode desired,
        JsonNode live,
        JsonNode liveParent,
        List<String> at,
        List<Object> steps) {
      if (EmptyValueNormalizer.isEmpty(live)) {
        return;
      }
      if (lacking(desired)) {
        // the server-default check first: it is cheap, reading what was applied parses JSON
        if (!isServerDefault(at, live, liveParent) && (applied == null || applied.holds(steps))) {
          out.add(new Added(pointer(at), live, manager, time(timeText)));
        }
        return;
      }
      if (fields.isObject() && !fields.isEmpty() && desired.isContainerNode()) {
        object(fields, desired, live, at, steps);
      }
    }

    private boolean isServerDefault(List<String> at, JsonNode live, JsonNode liveParent) {
      return DEFAULTS.same(FieldPath.of(kind, group, pointer(at)), live, null, liveParent);
    }

    private boolean skipped(List<String> at, String name) {
      if (at.isEmpty()) {
        return SKIPPED_ROOT.contains(name);
      }
      if (at.size() == 1 && at.get(0).equals("metadata")) {
        return TreeComparer.SKIPPED_METADATA.contains(name);
      }
      return at.size() == 2
          && at.get(0).equals("metadata")
          && at.get(1).equals("annotations")
          && (TreeComparer.SKIPPED_ANNOTATIONS.contains(name)
              || name.equals(LastApplied.ANNOTATION));
    }
  }

  /**
   * A Secret's {@code stringData} is write-only: the API server merges it into {@code data}. A key
   * Git sets in either is set.
   */
  private static final class SecretKeys {
    static JsonNode merged(JsonNode desired) {
      JsonNode stringData = desired.get("stringData");
      if (stringData == null || !stringData.isObject() || !desired.isObject()) {
        return desired;
      }
      ObjectNode copy = ((ObjectNode) desired).deepCopy();
      ObjectNode data = copy.get("data") instanceof ObjectNode d ? d : copy.putObject("data");
      stringData.fields().forEachRemaining(e -> data.set(e.getKey(), e.getValue()));
      copy.remove("stringData");
      return copy;
    }
  }

  /** Git does not set the field: absent, null or empty. */
  private static boolean lacking(JsonNode desired) {
    return EmptyValueNormalizer.isEmpty(desired);
  }

  /** The pointer of segments that are already escaped. */
  private static String pointer(List<String> at) {
    return at.isEmpty() ? "" : "/" + String.join("/", at);
  }

  /** {@code name=web}, or {@code containerPort=8080,protocol=TCP}: values escaped for a pointer. */
  static String keySegment(JsonNode itemKey) {
    StringBuilder sb = new StringBuilder();
    Iterator<Map.Entry<String, JsonNode>> it = itemKey.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!sb.isEmpty()) {
        sb.append(',');
      }
      sb.append(field.getKey()).append('=').append(JsonPointers.escape(field.getValue().asText()));
    }
    return sb.toString();
  }

  private static JsonNode get(JsonNode node, String name) {
    return node == null || !node.isObject() ? null : node.get(name);
  }

  /** The element of a list whose fields equal every field of the managedFields key. */
  private static JsonNode find(JsonNode list, JsonNode itemKey) {
    if (list == null || !list.isArray()) {
      return null;
    }
    for (JsonNode element : list) {
      if (element.isObject() && matches(itemKey, element)) {
        return element;
      }
    }
    return null;
  }

  private static boolean matches(JsonNode itemKey, JsonNode element) {
    Iterator<Map.Entry<String, JsonNode>> it = itemKey.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode value = element.get(field.getKey());
      if (value == null || !value.asText().equals(field.getValue().asText())) {
        // a port's protocol is often left out in Git and defaulted live
        if (!(value == null
            && field.getKey().equals("protocol")
            && field.getValue().asText().equals("TCP"))) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean contains(JsonNode list, JsonNode value) {
    return list != null && list.isArray() && indexOf(list, value) >= 0;
  }

  private static int indexOf(JsonNode list, JsonNode value) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).equals(value)
          || (list.get(i).isValueNode() && list.get(i).asText().equals(value.asText()))) {
        return i;
      }
    }
    return -1;
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      return null;
    }
  }

  private static String appliedText(JsonNode live) {
    JsonNode text = live.path("metadata").path("annotations").get(LastApplied.ANNOTATION);
    return text == null || !text.isTextual() ? null : text.textValue();
  }

  private static Instant time(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * One addition per path (two human entries can both own a field; the later writer is reported),
   * and nothing inside an addition already reported at a shorter path.
   */
  private static List<Added> dedupe(List<Added> found) {
    if (found.size() < 2) {
      return found;
    }
    List<Added> sorted = new ArrayList<>(found);
    sorted.sort(
        (a, b) -> {
          int byPath = a.path().compareTo(b.path());
          if (byPath != 0) {
            return byPath;
          }
          // later writer first
          if (a.time() == null || b.time() == null) {
            return a.time() == null ? (b.time() == null ? 0 : 1) : -1;
          }
          return b.time().compareTo(a.time());
        });
    List<Added> out = new ArrayList<>();
    for (Added added : sorted) {
      Added last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null
          && (last.path().equals(added.path()) || added.path().startsWith(last.path() + "/"))) {
        continue;
      }
      out.add(added);
    }
    return out;
  }
}

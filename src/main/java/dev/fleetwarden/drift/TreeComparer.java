package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.model.CompactNodes;
import dev.fleetwarden.model.FieldMap;
import dev.fleetwarden.model.ListKey;
import dev.fleetwarden.model.SchemaNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks a desired object and the live object side by side and collects the fields desired sets that
 * live does not hold. Live-only fields are never looked at. Values that are not plainly equal go
 * through the {@link Normalizer}s before they count as drift. Lists are matched as the kind's
 * schema says ({@link ListKeys}): keyed lists element by element, by key (a drift inside one is
 * reported at {@code .../name=web/...}), sets regardless of order, other lists by position.
 */
final class TreeComparer {
  /** Top-level fields that are identity or owned by the server. */
  private static final Set<String> SKIPPED_ROOT = Set.of("apiVersion", "kind", "status");

  /** Metadata the API server writes; identity fields were already matched. */
  static final Set<String> SKIPPED_METADATA =
      Set.of(
          "name",
          "namespace",
          "uid",
          "resourceVersion",
          "generation",
          "creationTimestamp",
          "deletionTimestamp",
          "deletionGracePeriodSeconds",
          "managedFields",
          "selfLink");

  /**
   * Annotations written by controllers, never meaningful in desired state ({@code
   * last-applied-configuration} is removed before comparing: {@link LastApplied}).
   */
  static final Set<String> SKIPPED_ANNOTATIONS = Set.of("deployment.kubernetes.io/revision");

  private static final List<Normalizer> MISSING_LIVE =
      List.of(new EmptyValueNormalizer(), new ServerDefaultNormalizer());
  private static final List<Normalizer> SCALARS =
      List.of(new QuantityNormalizer(), new ScalarTypeNormalizer());

  private final FieldPath path;
  private final Set<String> skippedRoot;
  private final List<RawDrift> out = new ArrayList<>();

  private TreeComparer(String kind, String group, SchemaNode schema, Set<String> extraSkippedRoot) {
    this.path = new FieldPath(kind, group, schema);
    this.skippedRoot = extraSkippedRoot;
  }

  /**
   * The differences of one object. {@code schema} is the schema of its kind and version (null when
   * unknown: every list compares by position); {@code extraSkippedRoot} names top-level fields
   * compared elsewhere (a Secret's {@code data} and {@code stringData}).
   */
  static List<RawDrift> compare(
      String kind,
      String group,
      SchemaNode schema,
      JsonNode desired,
      JsonNode live,
      Set<String> extraSkippedRoot) {
    TreeComparer comparer = new TreeComparer(kind, group, schema, extraSkippedRoot);
    comparer.compareObject(desired, live);
    return comparer.out;
  }

  private void compareObject(JsonNode desired, JsonNode live) {
    FieldMap fields = FieldMap.of(desired);
    if (fields != null) {
      for (int i = 0; i < fields.size(); i++) {
        compareField(fields.name(i), fields.value(i), desired, live);
      }
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> entries = desired.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> field = entries.next();
      compareField(field.getKey(), field.getValue(), desired, live);
    }
  }

  private void compareField(String name, JsonNode value, JsonNode desired, JsonNode live) {
    // A desired null means "not set" (Helm and kubectl drop it). A desired empty value ("",
    // [], {}) leaves the field to controllers: an injected CA bundle, an aggregated ClusterRole's
    // rules, an allocated IP. Whatever they write there is not drift (a person's write is found
    // by HumanEdits).
    if (EmptyValueNormalizer.isEmpty(value) || (path.size() <= 2 && skipped(name))) {
      return;
    }
    JsonNode liveValue = live == null ? null : CompactNodes.field(live, name);
    if (!(value instanceof ContainerNode) && value.equals(liveValue)) {
      // most fields: the same string or number (often the same shared node), in sync whatever
      // the schema says, so the path need not be extended to them
      return;
    }
    SchemaNode schema = path.schema();
    path.push(name, name, schema == null ? null : schema.field(name));
    compareValue(value, liveValue, desired);
    path.pop();
  }

  private boolean skipped(String name) {
    return switch (path.size()) {
      case 0 -> SKIPPED_ROOT.contains(name) || skippedRoot.contains(name);
      case 1 -> path.segment(0).equals("metadata") && SKIPPED_METADATA.contains(name);
      case 2 ->
          path.segment(0).equals("metadata")
              && path.segment(1).equals("annotations")
              && SKIPPED_ANNOTATIONS.contains(name);
      default -> false;
    };
  }

  private void compareValue(JsonNode desired, JsonNode live, JsonNode desiredParent) {
    // type tests rather than JsonNode's virtual predicates: this runs for every field Git sets
    if (live == null || live instanceof NullNode) {
      compareMissing(desired, desiredParent);
    } else if (desired instanceof ObjectNode) {
      if (live instanceof ObjectNode) {
        compareObject(desired, live);
      } else {
        drift(desired, live);
      }
    } else if (desired instanceof ArrayNode) {
      if (live instanceof ArrayNode) {
        compareList(desired, live);
      } else {
        drift(desired, live);
      }
    } else if (!desired.equals(live) && !anySame(SCALARS, desired, live, desiredParent)) {
      drift(desired, live);
    }
  }

  /** Desired sets a field live lacks: drift unless empty or a default; maps descend to leaves. */
  private void compareMissing(JsonNode desired, JsonNode desiredParent) {
    if (anySame(MISSING_LIVE, desired, null, desiredParent)) {
      return;
    }
    if (desired.isObject()) {
      compareObject(desired, null);
      return;
    }
    SchemaNode list = path.schema();
    String[] keys = desired.isArray() ? ListKeys.segments(list, desired) : null;
    if (keys == null) {
      drift(desired, null);
      return;
    }
    for (int i = 0; i < desired.size(); i++) {
      path.push(keys[i], null, list.items());
      drift(desired.get(i), null);
      path.pop();
    }
  }

  private void compareList(JsonNode desired, JsonNode live) {
    SchemaNode list = path.schema();
    if (list != null && list.isSet()) {
      if (!sameSet(desired, live) && !samePositionalList(desired, live)) {
        drift(desired, live);
      }
      return;
    }
    ListKey key = list == null ? null : list.listKey();
    if (key != null && ListKeys.inOrder(key, desired, live)) {
      // The usual case: the API server keeps the order it was given, so element i of both lists
      // has the same key and needs no search. Unless every pair is in sync, that holds only when
      // Git's keys are unique; else the list is compared as a whole, as below.
      int before = out.size();
      SchemaNode items = list.items();
      for (int i = 0; i < desired.size(); i++) {
        JsonNode element = desired.get(i);
        JsonNode match = live.get(i);
        path.pushKeyed(element, match, items);
        compareValue(element, match, desired);
        path.pop();
      }
      if ((out.size() == before && live.size() == desired.size())
          || new ListKeys.Keys(key, desired).matchable()) {
        return;
      }
      out.subList(before, out.size()).clear();
      compareAsAWhole(desired, live);
      return;
    }
    ListKeys.Keys wanted = key == null ? null : new ListKeys.Keys(key, desired);
    if (wanted == null || !wanted.matchable()) {
      compareAsAWhole(desired, live);
      return;
    }
    ListKeys.Keys have = new ListKeys.Keys(key, live);
    SchemaNode items = list.items();
    for (int i = 0; i < wanted.size(); i++) {
      JsonNode element = wanted.element(i);
      int found = have.find(wanted, i);
      JsonNode match = found < 0 ? null : have.element(found);
      path.pushKeyed(element, match, items);
      if (match == null) {
        drift(element, null);
      } else {
        compareValue(element, match, desired);
      }
      path.pop();
    }
  }

  /** A list matched by position, reported as one value if any element differs. */
  private void compareAsAWhole(JsonNode desired, JsonNode live) {
    if (!samePositionalList(desired, live)) {
      drift(desired, live);
    }
  }

  /** The same elements, in any order ({@code x-kubernetes-list-type: set}). */
  private static boolean sameSet(JsonNode desired, JsonNode live) {
    if (desired.size() != live.size()) {
      return false;
    }
    Set<JsonNode> have = new HashSet<>();
    live.forEach(have::add);
    for (JsonNode d : desired) {
      if (!have.contains(d)) {
        return false;
      }
    }
    return true;
  }

  /** Same length, and each element equal by the same rules; any difference is the whole list. */
  private boolean samePositionalList(JsonNode desired, JsonNode live) {
    if (desired.size() != live.size()) {
      return false;
    }
    if (desired.equals(live)) {
      return true;
    }
    int before = out.size();
    SchemaNode items = path.schema() == null ? null : path.schema().items();
    for (int i = 0; i < desired.size() && out.size() == before; i++) {
      path.push(Integer.toString(i), i, items);
      compareValue(desired.get(i), live.get(i), desired);
      path.pop();
    }
    boolean same = out.size() == before;
    out.subList(before, out.size()).clear();
    return same;
  }

  private boolean anySame(
      List<Normalizer> normalizers, JsonNode desired, JsonNode live, JsonNode desiredParent) {
    for (Normalizer normalizer : normalizers) {
      if (normalizer.same(path, desired, live, desiredParent)) {
        return true;
      }
    }
    return false;
  }

  private void drift(JsonNode desired, JsonNode live) {
    out.add(
        new RawDrift(
            path.pointer(),
            desired,
            live == null || live.isNull() ? null : live,
            path.liveSegments()));
  }
}

package dev.fleetwarden.remediate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.JsonPointers;
import dev.fleetwarden.model.KeyedPaths;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.Reflected;
import dev.fleetwarden.model.ResourceId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Checks a candidate change by its effect on the cluster's render: exactly the drifted fields of
 * the drifted object change, each to its live value, and nothing else in the cluster changes. Pure.
 */
public final class RenderCheck {
  private RenderCheck() {}

  /** Null when the candidate render is what adopting the live values should give, else why not. */
  public static String problem(ClusterRender baseline, ClusterRender candidate, ObjectDrift drift) {
    return problem(
        baseline,
        candidate,
        drift,
        drift.fields().stream().map(FieldDrift::path).collect(Collectors.toSet()));
  }

  /**
   * Null when the candidate render adopts the live values of the drifted fields in {@code adopted}
   * and changes nothing else but other drifted fields to their live values, else why not: the check
   * of one field's edit while the drift's other fields still wait for theirs.
   */
  public static String problem(
      ClusterRender baseline, ClusterRender candidate, ObjectDrift drift, Set<String> adopted) {
    if (candidate.failed()) {
      return "the cluster no longer renders with the change: " + candidate.error();
    }
    Map<ResourceId, DesiredObject> before = index(baseline);
    Map<ResourceId, DesiredObject> after = index(candidate);
    ResourceId id = drift.resource();
    if (!before.keySet().equals(after.keySet())) {
      return "the change adds or removes objects of cluster " + id.cluster();
    }
    for (Map.Entry<ResourceId, DesiredObject> e : before.entrySet()) {
      if (e.getKey().equals(id)) {
        continue;
      }
      if (!e.getValue().manifest().equals(after.get(e.getKey()).manifest())) {
        return "the change also changes " + e.getKey();
      }
    }
    DesiredObject oldObject = before.get(id);
    DesiredObject newObject = after.get(id);
    if (oldObject == null) {
      return id + " is not rendered";
    }
    List<String> drifted = new ArrayList<>();
    for (FieldDrift f : drift.fields()) {
      JsonNode rendered = KeyedPaths.at(newObject.manifest(), f.path());
      boolean waits = !adopted.contains(f.path()) && JsonValues.same(rendered, f.desired());
      if (!waits && !JsonValues.same(rendered, f.live())) {
        return "after the change "
            + f.path()
            + " renders as "
            + Reflected.show(orNull(rendered))
            + ", not the live "
            + Reflected.show(f.live());
      }
      drifted.add(f.path());
      // leaf changes are index pointers: the drifted field's, in the old and in the new render
      for (JsonNode manifest : List.of(oldObject.manifest(), newObject.manifest())) {
        String pointer = KeyedPaths.indexPointer(manifest, f.path());
        if (pointer != null) {
          drifted.add(pointer);
        }
      }
    }
    List<String> changed = new ArrayList<>();
    leafChanges(oldObject.manifest(), newObject.manifest(), "", changed);
    for (String pointer : changed) {
      if (drifted.stream().noneMatch(field -> covers(field, pointer))) {
        return "the change also changes " + pointer + " of " + id;
      }
    }
    return null;
  }

  private static boolean covers(String field, String pointer) {
    return pointer.equals(field) || pointer.startsWith(field + "/");
  }

  private static JsonNode orNull(JsonNode n) {
    return n == null || n.isMissingNode() ? null : n;
  }

  private static Map<ResourceId, DesiredObject> index(ClusterRender render) {
    Map<ResourceId, DesiredObject> map = new TreeMap<>();
    render.objects().forEach(o -> map.put(o.id(), o));
    return map;
  }

  /** Pointers of every leaf that differs, was added or was removed. */
  static void leafChanges(JsonNode a, JsonNode b, String pointer, List<String> out) {
    boolean aMissing = a == null || a.isMissingNode();
    boolean bMissing = b == null || b.isMissingNode();
    if (aMissing && bMissing) {
      return;
    }
    if (!aMissing && !bMissing && a.isObject() && b.isObject()) {
      TreeMap<String, Boolean> names = new TreeMap<>();
      for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
        names.put(it.next(), true);
      }
      for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
        names.put(it.next(), true);
      }
      for (String n : names.keySet()) {
        leafChanges(a.get(n), b.get(n), pointer + "/" + JsonPointers.escape(n), out);
      }
      return;
    }
    if (!aMissing && !bMissing && a.isArray() && b.isArray()) {
      for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
        leafChanges(a.get(i), b.get(i), pointer + "/" + i, out);
      }
      return;
    }
    if (aMissing || bMissing || !a.equals(b)) {
      out.add(pointer);
    }
  }
}

package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.JsonPointers;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.PathPattern;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.Risk;
import dev.fleetwarden.model.RiskRule;
import dev.fleetwarden.model.ValuePredicate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ranks drift by what it does: every drift a {@link RiskRule} matches gets the rule's id, reason
 * and the path where it matched, which makes it critical. Applied once to the output of the
 * Kubernetes diff and of the Terraform plan; the drift itself (type, fields, values, and so its
 * fingerprint) is left as it is. Pure.
 *
 * <p>A rule looks at the positions its paths select that a drifted field touches: the field itself,
 * positions inside the field's values (a container added by hand is one field; its {@code
 * securityContext} is inside it), or, for Kubernetes, the enclosing value in the desired and live
 * objects (a verb changed at {@code /rules/0/verbs/1} is a change of {@code /rules/0/verbs}). A
 * drift of a whole object (missing, orphan, created by hand) is a change of the whole object: a
 * missing object is judged by the rules without paths only (a deleted NetworkPolicy), the live
 * object of an orphan or of an object a person created against nothing by every rule (a
 * ClusterRoleBinding to cluster-admin created with kubectl). Drift of type {@code added} (live-only
 * fields a person set: desired absent) is judged like any other. Inside field values, list items
 * are paired with their equal, then by {@code name}, then in order; plain values only with their
 * equal, so an added capability is an item live has and desired does not. Pending Terraform changes
 * are not ranked: they are the fleet repo's own, reviewed in it.
 */
public final class RiskClassifier {
  /** Most risks listed for one object; one rule at one path counts once. */
  public static final int MAX_RISKS_PER_OBJECT = 20;

  /** Stands for a Terraform resource's attributes, which a drift of the whole resource lacks. */
  private static final JsonNode PRESENT = JsonNodeFactory.instance.objectNode();

  /** The whole desired and live Kubernetes objects of drifted objects, where known. */
  public interface Objects {
    /** No objects: Terraform, whose drift carries the attributes that changed only. */
    Objects NONE =
        new Objects() {
          @Override
          public JsonNode desired(ResourceId id) {
            return null;
          }

          @Override
          public JsonNode live(ResourceId id) {
            return null;
          }
        };

    /** The rendered manifest of the object, or null (orphans, Terraform). */
    JsonNode desired(ResourceId id);

    /** The live object as read, or null (missing objects, Terraform). */
    JsonNode live(ResourceId id);
  }

  private final List<RiskRule> rules;

  public RiskClassifier(List<RiskRule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** The drifts in the same order, each with the risks found in it. */
  public List<ObjectDrift> classify(List<ObjectDrift> drifts, Objects objects) {
    List<ObjectDrift> out = new ArrayList<>(drifts.size());
    for (ObjectDrift d : drifts) {
      out.add(classify(d, objects.desired(d.resource()), objects.live(d.resource())));
    }
    return out;
  }

  /**
   * One drift with the risks found in it.
   *
   * @param desiredObject the rendered manifest (Kubernetes; null when unknown or absent)
   * @param liveObject the live object (Kubernetes; null when unknown or absent)
   */
  public ObjectDrift classify(ObjectDrift drift, JsonNode desiredObject, JsonNode liveObject) {
    if (drift.type() == DriftType.PENDING) {
      return drift.risk().isEmpty() ? drift : drift.withRisk(List.of());
    }
    boolean objects = desiredObject != null || liveObject != null;
    List<Site> sites = sites(drift, desiredObject, liveObject);
    Map<String, Risk> found = new LinkedHashMap<>();
    for (RiskRule rule : rules) {
      if (found.size() >= MAX_RISKS_PER_OBJECT) {
        break;
      }
      if (!rule.appliesTo(drift.resource()) || (rule.needsObjects() && !objects)) {
        continue;
      }
      if (drift.type() == DriftType.MISSING && !rule.paths().isEmpty()) {
        continue; // a deleted object is judged as a whole, not by what it held
      }
      if (!rule.desiredObject().test(desiredObject) || !rule.liveObject().test(liveObject)) {
        continue;
      }
      Match match = new Match(rule, desiredObject, liveObject, objects, found);
      List<PathPattern> patterns = rule.paths().isEmpty() ? List.of(WHOLE) : rule.paths();
      for (PathPattern pattern : patterns) {
        for (Site site : sites) {
          match.at(pattern, site);
        }
      }
    }
    List<Risk> risks = new ArrayList<>(found.values());
    if (risks.equals(drift.risk())) {
      return drift;
    }
    return drift.withRisk(
        risks.size() > MAX_RISKS_PER_OBJECT ? risks.subList(0, MAX_RISKS_PER_OBJECT) : risks);
  }

  private static final PathPattern WHOLE = PathPattern.parse("");

  /** A changed position: its path segments and the values on both sides (null: absent). */
  private record Site(List<String> segments, JsonNode desired, JsonNode live) {}

  private static List<Site> sites(ObjectDrift drift, JsonNode desiredObject, JsonNode liveObject) {
    if (drift.fields().isEmpty()) {
      if (drift.type() == DriftType.MISSING) {
        return List.of(new Site(List.of(), desiredObject == null ? PRESENT : desiredObject, null));
      }
      return List.of(new Site(List.of(), null, liveObject == null ? PRESENT : liveObject));
    }
    List<Site> sites = new ArrayList<>(drift.fields().size());
    for (FieldDrift f : drift.fields()) {
      if (f.isWholeObject()) {
        // An object created by hand names its creator, not its content: that is the live object.
        JsonNode live = liveObject != null ? liveObject : f.live() != null ? f.live() : PRESENT;
        sites.add(new Site(List.of(), desiredObject, live));
      } else {
        sites.add(new Site(JsonPointers.split(f.path()), f.desired(), f.live()));
      }
    }
    return sites;
  }

  /** One rule matched against the sites of one drift, collecting what it finds. */
  private record Match(
      RiskRule rule,
      JsonNode desiredObject,
      JsonNode liveObject,
      boolean objects,
      Map<String, Risk> found) {

    void at(PathPattern pattern, Site site) {
      List<String> at = site.segments();
      int common = Math.min(at.size(), pattern.size());
      for (int i = 0; i < common; i++) {
        if (!pattern.matches(i, at.get(i))) {
          return;
        }
      }
      if (at.size() <= pattern.size()) {
        descend(pattern, at.size(), site.desired(), site.live(), new ArrayList<>(at));
        return;
      }
      if (!objects) {
        return; // the enclosing value is not known (Terraform drift carries changed attributes)
      }
      List<String> prefix = at.subList(0, pattern.size());
      test(prefix, resolve(desiredObject, prefix), resolve(liveObject, prefix));
    }

    private void descend(
        PathPattern pattern, int i, JsonNode desired, JsonNode live, List<String> path) {
      if (found.size() >= MAX_RISKS_PER_OBJECT) {
        return;
      }
      if (i == pattern.size()) {
        test(path, desired, live);
        return;
      }
      if (pattern.isAny(i)) {
        for (Pair pair : pairs(desired, live)) {
          path.add(pair.segment());
          descend(pattern, i + 1, pair.desired(), pair.live(), path);
          path.remove(path.size() - 1);
        }
        return;
      }
      for (String literal : pattern.literals(i)) {
        JsonNode d = PathPattern.child(desired, literal);
        JsonNode l = PathPattern.child(live, literal);
        if (d == null && l == null) {
          continue;
        }
        path.add(literal);
        descend(pattern, i + 1, d, l, path);
        path.remove(path.size() - 1);
      }
    }

    private void test(List<String> path, JsonNode desired, JsonNode live) {
      if (ValuePredicate.same(desired, live)
          || !rule.desired().test(desired)
          || !rule.live().test(live)) {
        return;
      }
      String pointer = JsonPointers.join(path);
      found.putIfAbsent(rule.id() + "\n" + pointer, new Risk(rule.id(), rule.reason(), pointer));
    }
  }

  private static JsonNode resolve(JsonNode root, List<String> segments) {
    JsonNode node = root;
    for (String segment : segments) {
      node = PathPattern.child(node, segment);
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  private record Pair(String segment, JsonNode desired, JsonNode live) {}

  /**
   * The children of two values side by side: map entries by key; list items paired with an equal
   * item (never reported: nothing changed there), then objects by {@code name}, then objects in
   * order; the rest against nothing.
   */
  private static List<Pair> pairs(JsonNode desired, JsonNode live) {
    List<Pair> out = new ArrayList<>();
    if (isObject(desired) || isObject(live)) {
      Map<String, Pair> byKey = new LinkedHashMap<>();
      if (isObject(desired)) {
        desired
            .fields()
            .forEachRemaining(e -> byKey.put(e.getKey(), new Pair(e.getKey(), e.getValue(), null)));
      }
      if (isObject(live)) {
        live.fields()
            .forEachRemaining(
                e -> {
                  Pair d = byKey.get(e.getKey());
                  byKey.put(
                      e.getKey(),
                      new Pair(e.getKey(), d == null ? null : d.desired(), e.getValue()));
                });
      }
      out.addAll(byKey.values());
      return out;
    }
    List<JsonNode> d = items(desired);
    List<JsonNode> l = items(live);
    boolean[] usedD = new boolean[d.size()];
    boolean[] usedL = new boolean[l.size()];
    for (int j = 0; j < l.size(); j++) {
      for (int i = 0; i < d.size(); i++) {
        if (!usedD[i] && ValuePredicate.same(d.get(i), l.get(j))) {
          usedD[i] = true;
          usedL[j] = true;
          break;
        }
      }
    }
    for (int j = 0; j < l.size(); j++) {
      String name = nameOf(l.get(j));
      for (int i = 0; name != null && !usedL[j] && i < d.size(); i++) {
        if (!usedD[i] && name.equals(nameOf(d.get(i)))) {
          usedD[i] = true;
          usedL[j] = true;
          out.add(new Pair(Integer.toString(j), d.get(i), l.get(j)));
        }
      }
    }
    int next = 0;
    for (int j = 0; j < l.size(); j++) {
      if (usedL[j] || !l.get(j).isObject()) {
        continue;
      }
      while (next < d.size() && (usedD[next] || !d.get(next).isObject())) {
        next++;
      }
      if (next < d.size()) {
        usedD[next] = true;
        usedL[j] = true;
        out.add(new Pair(Integer.toString(j), d.get(next), l.get(j)));
      }
    }
    for (int j = 0; j < l.size(); j++) {
      if (!usedL[j]) {
        out.add(new Pair(Integer.toString(j), null, l.get(j)));
      }
    }
    for (int i = 0; i < d.size(); i++) {
      if (!usedD[i]) {
        out.add(new Pair(Integer.toString(i), d.get(i), null));
      }
    }
    return out;
  }

  private static boolean isObject(JsonNode n) {
    return n != null && n.isObject();
  }

  private static List<JsonNode> items(JsonNode n) {
    List<JsonNode> out = new ArrayList<>();
    if (n != null && n.isArray()) {
      n.forEach(out::add);
    }
    return out;
  }

  private static String nameOf(JsonNode n) {
    JsonNode name = n.isObject() ? n.get("name") : null;
    return name != null && name.isTextual() ? name.textValue() : null;
  }
}

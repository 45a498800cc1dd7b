package dev.fleetwarden.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.fleet.AddonSpec;
import dev.fleetwarden.fleet.ClusterAddon;
import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.fleet.EnvironmentSpec;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.Values;
import dev.fleetwarden.model.JsonPointers;
import dev.fleetwarden.model.ValueOrigin;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Layers Helm values from general to specific: chart {@code values.yaml} → add-on {@code values} →
 * environment {@code values.<addon>} → cluster values file → inline cluster values. Maps merge key
 * by key; lists and scalars replace; an explicit null removes the key. Every scalar leaf of the
 * result keeps the {@link ValueOrigin} (file, line, pointer) of the layer that set it. Pure.
 */
public final class ValuesLayers {
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private ValuesLayers() {}

  /** Where a leaf of the merged values came from, and how specific its layer is (0 = chart). */
  public record Leaf(String pointer, JsonNode value, ValueOrigin origin, int layer) {}

  /**
   * The merged values: the tree (without nulls), the origin of each scalar leaf keyed by pointer,
   * and the pointers an explicit null removed (Helm needs them as nulls to drop chart defaults).
   */
  public record Merged(
      ObjectNode tree, NavigableMap<String, Leaf> leaves, NavigableSet<String> removed) {
    public Merged {
      leaves = Collections.unmodifiableNavigableMap(leaves);
      removed = Collections.unmodifiableNavigableSet(removed);
    }

    /** Origin of the leaf at a pointer, or null. */
    public ValueOrigin originOf(String pointer) {
      Leaf l = leaves.get(pointer);
      return l == null ? null : l.origin();
    }

    /**
     * The values to hand to Helm: the merged tree plus a null at each removed key whose parent
     * still exists, so that Helm also drops the chart's default for it.
     */
    public ObjectNode helmInput() {
      ObjectNode copy = tree.deepCopy();
      for (String r : removed) {
        int slash = r.lastIndexOf('/');
        JsonNode parent = copy.at(r.substring(0, slash));
        if (parent.isObject()) {
          String key = JsonPointers.unescape(r.substring(slash + 1));
          if (!parent.has(key)) {
            ((ObjectNode) parent).putNull(key);
          }
        }
      }
      return copy;
    }
  }

  /**
   * The layers of an add-on on a cluster, general to specific, skipping empty ones. {@code
   * chartDefaults} is the chart's parsed {@code values.yaml} (or {@link Values#EMPTY}).
   */
  public static List<Values> layersFor(
      Fleet fleet, ClusterSpec cluster, AddonSpec addon, Values chartDefaults) {
    List<Values> layers = new ArrayList<>();
    layers.add(chartDefaults);
    layers.add(addon.values());
    EnvironmentSpec env = fleet.environments().get(cluster.environment());
    layers.add(env == null ? Values.EMPTY : env.valuesFor(addon.name()));
    layers.add(cluster.valuesFileFor(addon.name()));
    ClusterAddon entry = cluster.addonEntry(addon.name());
    layers.add(entry == null || entry.inlineValues() == null ? Values.EMPTY : entry.inlineValues());
    layers.replaceAll(v -> v == null ? Values.EMPTY : v);
    return layers;
  }

  /** Merges layers given general to specific; the index in the list is the layer's rank. */
  public static Merged merge(List<Values> layers) {
    ObjectNode tree = NODES.objectNode();
    TreeMap<String, Leaf> leaves = new TreeMap<>();
    TreeSet<String> removed = new TreeSet<>();
    for (int i = 0; i < layers.size(); i++) {
      Values layer = layers.get(i);
      if (layer == null || layer.tree() == null || !layer.tree().isObject()) {
        continue;
      }
      mergeObject(tree, (ObjectNode) layer.tree(), "", layer, i, leaves, removed);
    }
    return new Merged(tree, leaves, removed);
  }

  private static void mergeObject(
      ObjectNode target,
      ObjectNode source,
      String pointer,
      Values layer,
      int rank,
      TreeMap<String, Leaf> leaves,
      TreeSet<String> removed) {
    Iterator<Map.Entry<String, JsonNode>> it = source.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      JsonNode value = e.getValue();
      String p = pointer + "/" + JsonPointers.escape(key);
      JsonNode existing = target.get(key);
      if (value.isNull()) {
        target.remove(key);
        dropUnder(leaves, p);
        dropUnder(removed, p);
        removed.add(p);
      } else if (value.isObject() && existing != null && existing.isObject()) {
        mergeObject((ObjectNode) existing, (ObjectNode) value, p, layer, rank, leaves, removed);
      } else {
        dropUnder(leaves, p);
        dropUnder(removed, p);
        removed.remove(p);
        JsonNode copy = withoutNulls(value);
        target.set(key, copy);
        recordLeaves(copy, p, layer, rank, leaves);
      }
    }
  }

  private static JsonNode withoutNulls(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = NODES.objectNode();
      node.fields()
          .forEachRemaining(
              f -> {
                if (!f.getValue().isNull()) {
                  out.set(f.getKey(), withoutNulls(f.getValue()));
                }
              });
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = NODES.arrayNode();
      node.forEach(n -> out.add(withoutNulls(n)));
      return out;
    }
    return node;
  }

  private static void recordLeaves(
      JsonNode node, String pointer, Values layer, int rank, TreeMap<String, Leaf> leaves) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              f ->
                  recordLeaves(
                      f.getValue(),
                      pointer + "/" + JsonPointers.escape(f.getKey()),
                      layer,
                      rank,
                      leaves));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        recordLeaves(node.get(i), pointer + "/" + i, layer, rank, leaves);
      }
    } else {
      leaves.put(
          pointer,
          new Leaf(
              pointer, node, new ValueOrigin(layer.file(), layer.lineOf(pointer), pointer), rank));
    }
  }

  private static void dropUnder(NavigableMap<String, ?> map, String pointer) {
    map.remove(pointer);
    map.subMap(pointer + "/", true, pointer + "0", false).clear();
  }

  private static void dropUnder(NavigableSet<String> set, String pointer) {
    set.remove(pointer);
    set.subSet(pointer + "/", true, pointer + "0", false).clear();
  }
}

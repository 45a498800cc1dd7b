package dev.fleetwarden.remediate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.fleet.AddonSource;
import dev.fleetwarden.fleet.AddonSpec;
import dev.fleetwarden.fleet.ClusterAddon;
import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.fleet.EnvironmentSpec;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.LocatedYaml;
import dev.fleetwarden.fleet.RepoFiles;
import dev.fleetwarden.fleet.Values;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.JsonPointers;
import dev.fleetwarden.model.ValueOrigin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The Helm values that may make up a drifted field: every scalar of the add-on's values layers on
 * the cluster (the chart's {@code values.yaml} when the chart is in the fleet repo, the add-on's
 * {@code values}, the environment's, the cluster's values file, the cluster's inline values) that
 * no more specific layer overrides, whose text the field's rendered value holds once, and that the
 * live value can be written back into: the live text is the rendered text with that one token
 * replaced ({@code tag} of {@code "{{ .Values.image.repository }}:{{ .Values.image.tag }}"}). The
 * planner changes them one at a time and re-renders: a template may use a value anywhere, so only
 * the render says which one made the field. Pure but for reading the chart's values file.
 */
final class ValueCandidates {
  private ValueCandidates() {}

  /** One value that might make the field: where it is written, its text now and the new one. */
  record Candidate(ValueOrigin origin, JsonNode leaf, JsonNode adopted, int layer) {}

  /**
   * The candidates for {@code f} of an object of {@code addon} on {@code cluster}, the likeliest
   * first: a value whose key is the field's name, then the more specific layer. Empty for add-ons
   * that are not Helm charts.
   */
  static List<Candidate> of(
      Path repoRoot, Fleet fleet, String cluster, String addon, FieldDrift f) {
    ClusterSpec c = fleet.clusters().get(cluster);
    AddonSpec a = addon == null ? null : fleet.addons().get(addon);
    if (c == null
        || a == null
        || a.source() == null
        || a.source().type() != AddonSource.Type.HELM
        || f.desired() == null
        || !f.desired().isValueNode()
        || f.live() == null
        || !f.live().isValueNode()
        || f.live().isNull()) {
      return List.of();
    }
    List<Values> layers = layers(repoRoot, fleet, c, a);
    String fieldName = lastName(f.path());
    List<Candidate> out = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      Values layer = layers.get(i);
      if (layer.file() == null || layer.tree() == null) {
        continue;
      }
      List<String> pointers = new ArrayList<>();
      leaves(layer.tree(), "", pointers);
      for (String pointer : pointers) {
        JsonNode leaf = layer.tree().at(pointer);
        if (leaf.isNull() || overridden(layers, i, pointer)) {
          continue;
        }
        JsonNode adopted = RemediationPlanner.adoptedLeaf(leaf, f.desired(), f.live());
        if (adopted == null
            || !adopted.isValueNode()
            || JsonValues.same(adopted, leaf)
            || !(JsonValues.same(leaf, f.desired())
                || delimited(JsonValues.text(f.desired()), JsonValues.text(leaf)))) {
          continue;
        }
        out.add(
            new Candidate(
                new ValueOrigin(layer.file(), layer.lineOf(pointer), pointer), leaf, adopted, i));
      }
    }
    out.sort(
        Comparator.comparing((Candidate k) -> !fieldName.equals(lastName(k.origin().valuePath())))
            .thenComparing(k -> -k.layer()));
    return out;
  }

  /**
   * Whether {@code token} stands in {@code text} as a word of its own: what surrounds it is not a
   * letter, digit or dot ({@code v1.11.2} in {@code controller:v1.11.2}, not {@code 2} in it).
   */
  static boolean delimited(String text, String token) {
    int at = text.indexOf(token);
    if (token.isEmpty() || at < 0) {
      return false;
    }
    int end = at + token.length();
    return (at == 0 || !wordChar(text.charAt(at - 1)))
        && (end == text.length() || !wordChar(text.charAt(end)));
  }

  private static boolean wordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '.';
  }

  /** The layers general to specific, as the renderer merges them. */
  private static List<Values> layers(Path repoRoot, Fleet fleet, ClusterSpec c, AddonSpec a) {
    List<Values> layers = new ArrayList<>();
    layers.add(chartDefaults(repoRoot, a));
    layers.add(a.values());
    EnvironmentSpec env = fleet.environments().get(c.environment());
    layers.add(env == null ? null : env.valuesFor(a.name()));
    layers.add(c.valuesFileFor(a.name()));
    ClusterAddon entry = c.addonEntry(a.name());
    layers.add(entry == null ? null : entry.inlineValues());
    layers.replaceAll(v -> v == null ? Values.EMPTY : v);
    return layers;
  }

  /** The chart's own values file when the chart is in the fleet repo, else none. */
  private static Values chartDefaults(Path repoRoot, AddonSpec a) {
    if (a.source().remote() || a.source().path() == null) {
      return Values.EMPTY;
    }
    String file = RepoPaths.normalize(a.source().path() + "/values.yaml");
    try {
      if (!RepoFiles.exists(repoRoot, file)) {
        return Values.EMPTY;
      }
      LocatedYaml.Document doc = LocatedYaml.parse(file, RepoFiles.read(repoRoot, file));
      return doc.root().isObject() ? new Values(file, doc.root(), doc.locations()) : Values.EMPTY;
    } catch (FleetValidationException e) {
      return Values.EMPTY;
    }
  }

  /**
   * Whether a more specific layer sets the pointer, or replaces or removes a mapping above it (a
   * scalar, a list or a null there): then the value written here does not reach the chart.
   */
  private static boolean overridden(List<Values> layers, int layer, String pointer) {
    List<String> segments = JsonPointers.split(pointer);
    for (int j = layer + 1; j < layers.size(); j++) {
      JsonNode tree = layers.get(j).tree();
      if (tree == null) {
        continue;
      }
      JsonNode node = tree;
      for (int s = 0; s < segments.size(); s++) {
        node = node.isObject() ? node.get(segments.get(s)) : null;
        if (node == null) {
          break;
        }
        if (s == segments.size() - 1 || !node.isObject()) {
          return true;
        }
      }
    }
    return false;
  }

  private static void leaves(JsonNode node, String pointer, List<String> out) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        var e = it.next();
        leaves(e.getValue(), pointer + "/" + JsonPointers.escape(e.getKey()), out);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        leaves(node.get(i), pointer + "/" + i, out);
      }
    } else {
      out.add(pointer);
    }
  }

  /** The last name of a path that is not an index or a list key ({@code image}, {@code tag}). */
  private static String lastName(String path) {
    List<String> segments = JsonPointers.split(path);
    for (int i = segments.size() - 1; i >= 0; i--) {
      String s = segments.get(i);
      if (!dev.fleetwarden.model.KeyedPaths.isIndex(s)
          && dev.fleetwarden.model.KeyedPaths.selector(s) == null) {
        return s;
      }
    }
    return "";
  }
}

package dev.fleetwarden.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Map;

/**
 * One layer of Helm values with where each value was written: the repo-relative file, and the line
 * of each value keyed by its JSON pointer inside this values tree (not inside the file: inline
 * values nested under a cluster's add-on entry are re-based so that {@code /controller/replicas}
 * means the same in every layer).
 */
public record Values(String file, JsonNode tree, Map<String, Location> locations) {
  public static final Values EMPTY =
      new Values(null, JsonNodeFactory.instance.objectNode(), Map.of());

  public Values {
    locations = Map.copyOf(locations);
  }

  public boolean isEmpty() {
    return tree == null || tree.isEmpty();
  }

  /** Line of the value at a pointer inside this tree, or 0. */
  public int lineOf(String pointer) {
    Location l = locations.get(pointer);
    return l == null ? 0 : l.line();
  }

  /** Re-bases a subtree of a located document: its pointers become relative to {@code prefix}. */
  public static Values subtree(LocatedYaml.Document doc, String prefix) {
    JsonNode node = doc.root().at(prefix);
    if (node.isMissingNode() || node.isNull()) {
      return new Values(doc.file(), JsonNodeFactory.instance.objectNode(), Map.of());
    }
    Map<String, Location> rebased = new java.util.HashMap<>();
    doc.locations()
        .forEach(
            (p, l) -> {
              if (p.equals(prefix)) {
                rebased.put("", l);
              } else if (p.startsWith(prefix + "/")) {
                rebased.put(p.substring(prefix.length()), l);
              }
            });
    return new Values(doc.file(), node, rebased);
  }
}

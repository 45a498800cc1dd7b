package dev.fleetwarden.schedule;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which clusters a schedule covers: an explicit list of names, a label selector (every label must
 * match; {@code environment}, {@code role} and {@code cluster} are labels too), or all clusters
 * when both are empty.
 */
public record ClusterTarget(List<String> names, Map<String, String> selector) {
  public static final ClusterTarget ALL = new ClusterTarget(List.of(), Map.of());

  public ClusterTarget {
    names = names == null ? List.of() : List.copyOf(names);
    selector =
        selector == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new TreeMap<>(selector));
  }

  public boolean all() {
    return names.isEmpty() && selector.isEmpty();
  }

  /** True when a cluster with these selector labels is covered. */
  public boolean matches(String cluster, Map<String, String> labels) {
    if (!names.isEmpty()) {
      return names.contains(cluster);
    }
    return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }
}

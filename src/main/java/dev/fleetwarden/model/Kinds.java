package dev.fleetwarden.model;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The API group of a built-in kind known by its name alone, from the vendored Kubernetes API
 * ({@link ApiTypes#builtIn()}): used where only a kind name is known, such as ids stored before ids
 * carried the group. Scope, versions and list keys are {@link ApiTypes}' business.
 */
public final class Kinds {
  private static final class Tables {
    /** Kind name to its group, for names Kubernetes serves in exactly one group. */
    static final Map<String, String> GROUPS;

    static {
      Map<String, String> groups = new HashMap<>();
      Set<String> ambiguous = new HashSet<>();
      for (ApiTypes.Type t : ApiTypes.builtIn().all()) {
        String previous = groups.putIfAbsent(t.kind(), t.group());
        if (previous != null && !previous.equals(t.group())) {
          ambiguous.add(t.kind());
        }
      }
      ambiguous.forEach(groups::remove);
      GROUPS = Collections.unmodifiableMap(groups);
    }
  }

  private Kinds() {}

  /**
   * The API group Kubernetes serves a built-in kind in: {@code "apps"} for {@code Deployment},
   * {@code ""} for core kinds such as {@code ConfigMap}; null for kinds that are not built in
   * (custom resources) or are served in several groups ({@code Event}: core and {@code
   * events.k8s.io}).
   */
  public static String builtInGroup(String kind) {
    return Tables.GROUPS.get(kind);
  }

  /** Every built-in kind outside the core group whose group its name tells, with that group. */
  public static Map<String, String> builtInGroups() {
    Map<String, String> out = new TreeMap<>();
    Tables.GROUPS.forEach(
        (kind, group) -> {
          if (!group.isEmpty()) {
            out.put(kind, group);
          }
        });
    return Collections.unmodifiableMap(out);
  }
}

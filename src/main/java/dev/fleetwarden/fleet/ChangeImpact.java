package dev.fleetwarden.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which clusters a change of the fleet repo affects (its blast radius), from the fleet before and
 * after the change and the repo-relative paths that changed. Pure: no I/O.
 *
 * <ul>
 *   <li>{@code fleet.yaml}: every cluster.
 *   <li>{@code addons/<a>/...}, or anything under the source directory of add-on {@code a} when it
 *       lives elsewhere: every cluster that runs {@code a}, before or after.
 *   <li>{@code environments/<e>.yaml}: every cluster of environment {@code e}, before or after.
 *   <li>{@code clusters/<c>/...}: cluster {@code c}.
 *   <li>{@code fleet.lock}: every cluster that runs an add-on whose chart comes from a repository
 *       or registry, before or after (a chart version set anywhere is a value like any other: it
 *       affects the clusters its file affects).
 *   <li>A cluster that was added or removed.
 *   <li>Anything else (README, {@code schedules/}, {@code cdktf/}, ...): no cluster.
 * </ul>
 *
 * With no {@code before} fleet (the first load) every cluster is affected. Kustomize bases that
 * reach outside an add-on's source directory are not followed.
 */
public final class ChangeImpact {

  /** What a change does to one cluster. */
  public record ClusterImpact(String cluster, boolean kubernetes, boolean terraform) {}

  /**
   * The blast radius of a change: affected clusters, and which of them see a change of their
   * Kubernetes objects (a re-render and diff is needed) or of their Terraform inputs (the {@code
   * infrastructure} block changed, or the cluster came or went: a new plan is needed). A cluster
   * can be affected yet need neither (e.g. only a comment of its {@code cluster.yaml} changed).
   * {@code terraformCodeChanged} says that files under {@code cdktf/} changed: the stacks' code,
   * which touches every cluster's plan although it names no cluster.
   */
  public record Impact(SortedMap<String, ClusterImpact> clusters, boolean terraformCodeChanged) {
    public Impact {
      clusters = Collections.unmodifiableSortedMap(new TreeMap<>(clusters));
    }

    public SortedSet<String> affected() {
      return Collections.unmodifiableSortedSet(new TreeSet<>(clusters.keySet()));
    }

    public SortedSet<String> kubernetes() {
      return select(ClusterImpact::kubernetes);
    }

    public SortedSet<String> terraform() {
      return select(ClusterImpact::terraform);
    }

    private SortedSet<String> select(java.util.function.Predicate<ClusterImpact> p) {
      return clusters.values().stream()
          .filter(p)
          .map(ClusterImpact::cluster)
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private ChangeImpact() {}

  /** The names of the clusters a change affects, sorted. */
  public static Set<String> affectedClusters(
      Fleet before, Fleet after, Collection<String> changedPaths) {
    return analyze(before, after, changedPaths).affected();
  }

  /** The blast radius of a change, cluster by cluster. */
  public static Impact analyze(Fleet before, Fleet after, Collection<String> changedPaths) {
    Objects.requireNonNull(after, "after");
    Map<String, boolean[]> result = new TreeMap<>(); // cluster -> {kubernetes, terraform}
    boolean cdktf =
        changedPaths.stream().map(ChangeImpact::normalize).anyMatch(p -> p.startsWith("cdktf/"));
    if (before == null) {
      for (ClusterSpec c : after.clusters().values()) {
        mark(result, c.name(), true, c.infrastructure() != null && !c.infrastructure().isNull());
      }
      return toImpact(result, cdktf);
    }
    Set<String> allNames = new TreeSet<>(before.clusters().keySet());
    allNames.addAll(after.clusters().keySet());

    for (String name : allNames) {
      ClusterSpec b = before.clusters().get(name);
      ClusterSpec a = after.clusters().get(name);
      if (b == null || a == null) {
        ClusterSpec present = b == null ? a : b;
        mark(result, name, true, hasInfrastructure(present));
      }
    }

    for (String raw : changedPaths) {
      String path = normalize(raw);
      if (path.equals("fleet.yaml") || path.equals("fleet.yml")) {
        allNames.forEach(n -> mark(result, n, true, false));
        continue;
      }
      if (path.startsWith("clusters/")) {
        String[] parts = path.split("/");
        if (parts.length >= 3 && allNames.contains(parts[1])) {
          String name = parts[1];
          ClusterSpec b = before.clusters().get(name);
          ClusterSpec a = after.clusters().get(name);
          boolean clusterFile = parts.length == 3 && parts[2].matches("cluster\\.ya?ml");
          boolean kubernetes =
              !clusterFile || b == null || a == null || !sameKubernetesInputs(b, a);
          boolean terraform =
              b == null || a == null
                  ? hasInfrastructure(b == null ? a : b)
                  : !Objects.equals(infrastructure(b), infrastructure(a));
          mark(result, name, kubernetes, terraform);
        }
        continue;
      }
      if (path.equals(ChartLock.FILE)) {
        for (Fleet f : List.of(before, after)) {
          for (ClusterSpec c : f.clusters().values()) {
            if (f.addonsOf(c).stream().anyMatch(a -> a.source() != null && a.source().remote())) {
              mark(result, c.name(), true, false);
            }
          }
        }
        continue;
      }
      if (path.startsWith("environments/")) {
        String env = environmentOf(path, before, after);
        if (env != null) {
          clustersOfEnvironment(before, env).forEach(n -> mark(result, n, true, false));
          clustersOfEnvironment(after, env).forEach(n -> mark(result, n, true, false));
        }
        continue;
      }
      for (String addon : addonsTouching(path, before, after)) {
        clustersRunning(before, addon).forEach(n -> mark(result, n, true, false));
        clustersRunning(after, addon).forEach(n -> mark(result, n, true, false));
      }
    }
    return toImpact(result, cdktf);
  }

  // ------------------------------------------------------------------ internals

  private static void mark(Map<String, boolean[]> result, String name, boolean k8s, boolean tf) {
    boolean[] flags = result.computeIfAbsent(name, n -> new boolean[2]);
    flags[0] |= k8s;
    flags[1] |= tf;
  }

  private static Impact toImpact(Map<String, boolean[]> result, boolean cdktf) {
    Map<String, ClusterImpact> clusters = new TreeMap<>();
    result.forEach((n, f) -> clusters.put(n, new ClusterImpact(n, f[0], f[1])));
    return new Impact(new TreeMap<>(clusters), cdktf);
  }

  private static String normalize(String path) {
    String p = path.replace('\\', '/');
    while (p.startsWith("./")) {
      p = p.substring(2);
    }
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    return p;
  }

  private static boolean hasInfrastructure(ClusterSpec c) {
    return infrastructure(c) != null;
  }

  private static JsonNode infrastructure(ClusterSpec c) {
    JsonNode i = c.infrastructure();
    return i == null || i.isNull() || i.isMissingNode() ? null : i;
  }

  /**
   * Whether two versions of a cluster render the same Kubernetes objects as far as its own file
   * goes: everything but the infrastructure block and the lines values were written on.
   */
  private static boolean sameKubernetesInputs(ClusterSpec b, ClusterSpec a) {
    return b.role() == a.role()
        && Objects.equals(b.environment(), a.environment())
        && b.labels().equals(a.labels())
        && Objects.equals(b.kubeVersion(), a.kubeVersion())
        && Objects.equals(b.connection(), a.connection())
        && addonView(b).equals(addonView(a))
        && valuesView(b.valuesFiles()).equals(valuesView(a.valuesFiles()))
        && patchView(b.patches()).equals(patchView(a.patches()))
        && b.ignore().equals(a.ignore())
        && b.remediation() == a.remediation();
  }

  private static List<List<Object>> addonView(ClusterSpec c) {
    return c.addons().stream()
        .map(
            a ->
                java.util.Arrays.<Object>asList(
                    a.name(), a.enabled(), tree(a.inlineValues()), a.chartVersion()))
        .toList();
  }

  private static Map<String, JsonNode> valuesView(Map<String, Values> values) {
    Map<String, JsonNode> view = new TreeMap<>();
    values.forEach((k, v) -> view.put(k, tree(v)));
    return view;
  }

  private static List<List<Object>> patchView(List<PatchFile> patches) {
    return patches.stream()
        .map(
            p ->
                java.util.Arrays.<Object>asList(
                    p.file(), p.group(), p.kind(), p.namespace(), p.name(), p.patch(), p.set()))
        .toList();
  }

  private static JsonNode tree(Values v) {
    return v == null || v.tree() == null ? Values.EMPTY.tree() : v.tree();
  }

  private static String environmentOf(String path, Fleet before, Fleet after) {
    for (Fleet f : List.of(before, after)) {
      for (EnvironmentSpec e : f.environments().values()) {
        if (path.equals(e.file())) {
          return e.name();
        }
      }
    }
    String rest = path.substring("environments/".length());
    if (rest.contains("/") || !rest.matches(".+\\.ya?ml")) {
      return null;
    }
    return rest.replaceFirst("\\.ya?ml$", "");
  }

  private static List<String> clustersOfEnvironment(Fleet fleet, String env) {
    return fleet.clusters().values().stream()
        .filter(c -> env.equals(c.environment()))
        .map(ClusterSpec::name)
        .toList();
  }

  private static Set<String> addonsTouching(String path, Fleet before, Fleet after) {
    Set<String> names = new TreeSet<>();
    if (path.startsWith("addons/")) {
      String[] parts = path.split("/");
      if (parts.length >= 3) {
        names.add(parts[1]);
      }
    }
    for (Fleet f : List.of(before, after)) {
      for (AddonSpec a : f.addons().values()) {
        if (a.source() != null && a.source().path() != null && under(path, a.source().path())) {
          names.add(a.name());
        }
      }
    }
    return names;
  }

  private static boolean under(String path, String dir) {
    String d = normalize(dir);
    while (d.endsWith("/")) {
      d = d.substring(0, d.length() - 1);
    }
    return !d.isEmpty() && (path.equals(d) || path.startsWith(d + "/"));
  }

  private static List<String> clustersRunning(Fleet fleet, String addon) {
    if (!fleet.addons().containsKey(addon)) {
      return List.of();
    }
    return fleet.clustersRunning(addon).stream().map(ClusterSpec::name).toList();
  }
}

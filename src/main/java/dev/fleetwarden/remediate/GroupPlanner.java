package dev.fleetwarden.remediate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.fleet.AddonSpec;
import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.fleet.EnvironmentSpec;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.RepoFiles;
import dev.fleetwarden.ledger.Finding;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.JsonPointers;
import dev.fleetwarden.model.KeyedPaths;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.ValueOrigin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Plans the one pull request of a fleet-wide group: the same drift on several clusters ({@link
 * dev.fleetwarden.ledger.DriftGroups}). The live value goes to the lowest layer the group has in
 * common: the environment file ({@code environments/<env>.yaml}, {@code spec.values.<addon>}) when
 * the clusters are exactly that environment's clusters running the add-on, the add-on's default
 * (its {@code values}, the chart's {@code values.yaml}, its plain manifest) when they are all the
 * clusters running it. Each such edit is kept only when re-rendering the whole fleet shows that no
 * other cluster changes and that it gives at least one member the live value; a member the shared
 * edit does not reach (it overrides the value in its own layer) gets its own change in the same
 * pull request, in files only it reads ({@link RemediationPlanner} with own files only). A group
 * that is neither gets per-cluster changes alone. The whole change is checked at the end: every
 * member renders exactly its live values, every other cluster renders as before.
 */
public final class GroupPlanner {
  private final RemediationPlanner planner;
  private final ClusterRerender rerender;

  public GroupPlanner(RemediationPlanner planner, ClusterRerender rerender) {
    this.planner = planner;
    this.rerender = rerender;
  }

  /** The plan and the layer it chose, in words for the pull request ({@code environment prod}). */
  public record Plan(RemediationPlan plan, String layer) {}

  /**
   * The change adopting a group's live values, or why there is none.
   *
   * @param members one open finding per cluster, all of the same drift (two or more)
   */
  public Plan plan(Path repoRoot, Fleet fleet, List<Finding> members) {
    ObjectDrift first = members.get(0).drift();
    for (Finding m : members) {
      String why = planner.oversized(m.drift());
      if (why == null) {
        why = RemediationPlanner.refusal(fleet, m.drift(), m.fingerprint());
      }
      if (why != null) {
        return new Plan(new AlertOnly(m.cluster() + ": " + why), "none");
      }
    }
    Map<String, ClusterRender> baseline = new TreeMap<>();
    for (String c : fleet.clusters().keySet()) {
      baseline.put(c, rerender.render(repoRoot, c));
    }
    for (Finding m : members) {
      ClusterRender r = baseline.get(m.cluster());
      String why = r == null || r.failed() ? "does not render from the fleet repo" : null;
      DesiredObject target = why == null ? find(r, m.resource()) : null;
      if (why == null && target == null) {
        why = m.resource() + " is no longer rendered by the fleet repo";
      }
      for (FieldDrift f : m.drift().fields()) {
        if (why == null
            && !JsonValues.same(KeyedPaths.at(target.manifest(), f.path()), f.desired())) {
          why = "the fleet repo now renders " + f.path() + " differently; wait for the next scan";
        }
      }
      if (why != null) {
        return new Plan(new AlertOnly(m.cluster() + ": " + why), "none");
      }
    }
    Layer layer = layer(fleet, first.addon(), members);
    RemediationPlan shared = planWith(repoRoot, fleet, members, baseline, layer);
    if (shared instanceof ChangeSet || layer.kind == Kind.NONE) {
      return new Plan(shared, layer.describe());
    }
    Layer none = new Layer(Kind.NONE, null);
    return new Plan(planWith(repoRoot, fleet, members, baseline, none), none.describe());
  }

  private enum Kind {
    ADDON,
    ENVIRONMENT,
    NONE
  }

  private record Layer(Kind kind, String name) {
    String describe() {
      return switch (kind) {
        case ADDON -> "add-on default " + name;
        case ENVIRONMENT -> "environment " + name;
        case NONE -> "each cluster's own files";
      };
    }
  }

  /** The lowest layer the members share: all clusters running the add-on, or one environment. */
  private static Layer layer(Fleet fleet, String addon, List<Finding> members) {
    if (addon == null || !fleet.addons().containsKey(addon)) {
      return new Layer(Kind.NONE, null);
    }
    Set<String> clusters = new TreeSet<>();
    members.forEach(m -> clusters.add(m.cluster()));
    List<ClusterSpec> running = fleet.clustersRunning(addon);
    Set<String> runningNames = new TreeSet<>();
    running.forEach(c -> runningNames.add(c.name()));
    if (clusters.equals(runningNames)) {
      return new Layer(Kind.ADDON, addon);
    }
    String env = fleet.clusters().get(members.get(0).cluster()).environment();
    if (env != null && fleet.environments().containsKey(env)) {
      Set<String> inEnv = new TreeSet<>();
      running.stream().filter(c -> env.equals(c.environment())).forEach(c -> inEnv.add(c.name()));
      if (clusters.equals(inEnv)) {
        return new Layer(Kind.ENVIRONMENT, env);
      }
    }
    return new Layer(Kind.NONE, null);
  }

  private RemediationPlan planWith(
      Path repoRoot,
      Fleet fleet,
      List<Finding> members,
      Map<String, ClusterRender> baseline,
      Layer layer) {
    Map<String, Finding> byCluster = new LinkedHashMap<>();
    members.forEach(m -> byCluster.put(m.cluster(), m));
    Map<String, String> contents = new TreeMap<>();
    List<ChangeSet.Edit> edits = new ArrayList<>();
    Map<String, Set<String>> reached = new LinkedHashMap<>();
    StringBuilder why = new StringBuilder();
    ObjectDrift first = members.get(0).drift();
    if (layer.kind != Kind.NONE) {
      for (FieldDrift f : first.fields()) {
        Shared s = shared(repoRoot, fleet, byCluster, baseline, layer, contents, reached, f);
        if (s == null) {
          continue;
        }
        contents = s.tried().contents();
        edits.add(s.tried().edit());
        reached.put(f.path(), s.reached());
        why.append(s.tried().edit().describe(RemediationPlanner.code(f.path())))
            .append("It reaches ")
            .append(names(s.reached()))
            .append(s.reached().size() == byCluster.size() ? ", every cluster of the group" : "")
            .append("; no other cluster's render changes.\n");
      }
    }
    for (Finding m : members) {
      List<FieldDrift> rest =
          m.drift().fields().stream()
              .filter(f -> !reached.getOrDefault(f.path(), Set.of()).contains(m.cluster()))
              .toList();
      if (rest.isEmpty()) {
        continue;
      }
      ObjectDrift own = withFields(m.drift(), rest);
      Path scratch = null;
      try {
        scratch = scratch(repoRoot, contents);
        Fleet scratchFleet = FleetLoader.load(scratch);
        RemediationPlan p = planner.plan(scratch, scratchFleet, own, m.fingerprint(), true);
        if (p instanceof AlertOnly a) {
          return new AlertOnly("cluster " + m.cluster() + ": " + a.reason());
        }
        ChangeSet c = (ChangeSet) p;
        for (Map.Entry<String, String> e : c.files().entrySet()) {
          String before = contents.get(e.getKey());
          if (before != null && !before.equals(e.getValue())) {
            return new AlertOnly("two clusters' changes edit " + e.getKey() + " differently");
          }
        }
        contents = new TreeMap<>(contents);
        contents.putAll(c.files());
        edits.addAll(c.edits());
        why.append("For cluster ")
            .append(RemediationPlanner.name(m.cluster()))
            .append(":\n")
            .append(c.explanation())
            .append("\n");
      } catch (IOException | FleetValidationException e) {
        return new AlertOnly("cannot plan cluster " + m.cluster() + ": " + e.getMessage());
      } finally {
        if (scratch != null) {
          RemediationPlanner.deleteTree(scratch);
        }
      }
    }
    String problem = verify(repoRoot, contents, byCluster, baseline, Map.of(), null).problem();
    if (problem != null) {
      return new AlertOnly("the group's change does not re-render as adopted: " + problem);
    }
    TreeSet<String> affected = new TreeSet<>(byCluster.keySet());
    return new ChangeSet(
        ChangeSet.Strategy.MIXED,
        new TreeMap<>(contents),
        edits,
        why.toString().strip(),
        List.copyOf(affected),
        true);
  }

  private record Shared(RemediationPlanner.Tried tried, Set<String> reached) {}

  /**
   * The one edit of the shared layer that adopts {@code f} for some members and changes no other
   * cluster, or null.
   */
  private Shared shared(
      Path repoRoot,
      Fleet fleet,
      Map<String, Finding> byCluster,
      Map<String, ClusterRender> baseline,
      Layer layer,
      Map<String, String> contents,
      Map<String, Set<String>> reached,
      FieldDrift f) {
    List<RemediationPlanner.Tried> options = new ArrayList<>();
    String addon = byCluster.values().iterator().next().drift().addon();
    if (RemediationPlanner.isHelm(fleet, addon)) {
      Map<String, JsonNode> paths = new LinkedHashMap<>();
      for (Finding m : byCluster.values()) {
        FieldDrift mf = field(m.drift(), f.path());
        ValueOrigin origin = mf == null ? null : mf.origin();
        if (origin == null) {
          continue;
        }
        try {
          paths.putIfAbsent(
              origin.valuePath(),
              RemediationPlanner.adoptedAtOrigin(repoRoot, contents, mf, origin));
        } catch (YamlScalarEdit.NotEditableException e) {
          // this member's origin gives no value to write; the candidates below may
        }
      }
      if (paths.isEmpty()) {
        for (Finding m : byCluster.values()) {
          FieldDrift mf = field(m.drift(), f.path());
          for (ValueCandidates.Candidate c :
              ValueCandidates.of(repoRoot, fleet, m.cluster(), addon, mf)) {
            paths.putIfAbsent(c.origin().valuePath(), c.adopted());
          }
        }
      }
      int tried = 0;
      for (Map.Entry<String, JsonNode> p : paths.entrySet()) {
        if (tried++ >= RemediationPlanner.MAX_PROBES) {
          break;
        }
        try {
          options.add(
              helmEdit(repoRoot, fleet, layer, addon, contents, f, p.getKey(), p.getValue()));
        } catch (YamlScalarEdit.NotEditableException e) {
          // not writable at this layer: the members get their own changes
        }
      }
    } else if (layer.kind == Kind.ADDON) {
      ObjectDrift drift = byCluster.values().iterator().next().drift();
      String manifest = RemediationPlanner.manifestFile(fleet, drift);
      if (manifest != null) {
        try {
          options.add(
              RemediationPlanner.editManifest(
                  repoRoot, fleet, contents, manifest, drift, field(drift, f.path())));
        } catch (YamlScalarEdit.NotEditableException e) {
          // no manifest line: the members get their own changes
        }
      }
    }
    List<Shared> good = new ArrayList<>();
    for (RemediationPlanner.Tried t : options) {
      Checked c = verify(repoRoot, t.contents(), byCluster, baseline, reached, f.path());
      if (c.problem() == null && !c.reached().isEmpty()) {
        good.add(new Shared(t, c.reached()));
      }
    }
    return good.size() == 1 ? good.get(0) : null;
  }

  /** The edit setting Helm value {@code valuePath} at the group's layer. */
  private static RemediationPlanner.Tried helmEdit(
      Path repoRoot,
      Fleet fleet,
      Layer layer,
      String addon,
      Map<String, String> contents,
      FieldDrift f,
      String valuePath,
      JsonNode value)
      throws YamlScalarEdit.NotEditableException {
    String file;
    String pointer;
    if (layer.kind == Kind.ENVIRONMENT) {
      EnvironmentSpec env = fleet.environments().get(layer.name());
      file = env.file();
      pointer = "/spec/values/" + JsonPointers.escape(addon) + valuePath;
    } else {
      AddonSpec a = fleet.addons().get(addon);
      file = "addons/" + addon + "/addon.yaml";
      pointer = "/spec/values" + valuePath;
      String chartValues =
          a.source().remote() || a.source().path() == null
              ? null
              : RepoPaths.normalize(a.source().path() + "/values.yaml");
      // the chart's own default when it writes the value and the add-on does not override it
      if (chartValues != null
          && (a.values() == null
              || a.values().tree() == null
              || a.values().tree().at(valuePath).isMissingNode())
          && RepoFiles.exists(repoRoot, chartValues)) {
        String content = text(repoRoot, contents, chartValues, f);
        try {
          if (!dev.fleetwarden.fleet.LocatedYaml.parse(chartValues, content)
              .root()
              .at(valuePath)
              .isMissingNode()) {
            file = chartValues;
            pointer = valuePath;
          }
        } catch (FleetValidationException e) {
          // an unreadable chart values file: the add-on's values take the value
        }
      }
    }
    if (file == null) {
      throw new YamlScalarEdit.NotEditableException(
          layer.describe(), valuePath, "the layer has no file");
    }
    file = RepoPaths.normalize(file);
    return RemediationPlanner.setValue(
        contents, file, text(repoRoot, contents, file, f), pointer, f, value, false);
  }

  private static String text(Path repoRoot, Map<String, String> contents, String file, FieldDrift f)
      throws YamlScalarEdit.NotEditableException {
    if (contents.containsKey(file)) {
      return contents.get(file);
    }
    try {
      return RepoFiles.read(repoRoot, file);
    } catch (FleetValidationException e) {
      throw new YamlScalarEdit.NotEditableException(file, f.path(), "cannot read it");
    }
  }

  private record Checked(String problem, Set<String> reached) {}

  /**
   * Renders every cluster with {@code files} written over the repo. No cluster outside the group
   * may change; each member must render each drifted field either as before or as its live value
   * (when {@code field} is null: every drifted field as its live value, nothing else changed). The
   * members whose {@code field} renders live are returned as reached.
   */
  private Checked verify(
      Path repoRoot,
      Map<String, String> files,
      Map<String, Finding> members,
      Map<String, ClusterRender> baseline,
      Map<String, Set<String>> reachedBefore,
      String field) {
    Path scratch = null;
    try {
      scratch = scratch(repoRoot, files);
      Set<String> reached = new TreeSet<>();
      for (Map.Entry<String, ClusterRender> b : baseline.entrySet()) {
        String cluster = b.getKey();
        ClusterRender after = rerender.render(scratch, cluster);
        Finding m = members.get(cluster);
        if (m == null) {
          if (b.getValue().failed() != after.failed() || !same(b.getValue(), after)) {
            return new Checked("the change also changes cluster " + cluster, Set.of());
          }
          continue;
        }
        if (field == null) {
          String problem = RenderCheck.problem(b.getValue(), after, m.drift());
          if (problem != null) {
            return new Checked("cluster " + cluster + ": " + problem, Set.of());
          }
          continue;
        }
        Set<String> adopted = new HashSet<>();
        reachedBefore.forEach(
            (path, clusters) -> {
              if (clusters.contains(cluster)) {
                adopted.add(path);
              }
            });
        Set<String> with = new HashSet<>(adopted);
        with.add(field);
        if (RenderCheck.problem(b.getValue(), after, m.drift(), with) == null) {
          reached.add(cluster);
        } else {
          String problem = RenderCheck.problem(b.getValue(), after, m.drift(), adopted);
          if (problem != null) {
            return new Checked("cluster " + cluster + ": " + problem, Set.of());
          }
        }
      }
      return new Checked(null, reached);
    } catch (IOException e) {
      return new Checked("cannot render the candidate: " + e.getMessage(), Set.of());
    } finally {
      if (scratch != null) {
        RemediationPlanner.deleteTree(scratch);
      }
    }
  }

  private static boolean same(ClusterRender a, ClusterRender b) {
    if (a.failed()) {
      return true;
    }
    Map<ResourceId, JsonNode> x = new TreeMap<>();
    a.objects().forEach(o -> x.put(o.id(), o.manifest()));
    Map<ResourceId, JsonNode> y = new TreeMap<>();
    b.objects().forEach(o -> y.put(o.id(), o.manifest()));
    return x.equals(y);
  }

  private static Path scratch(Path repoRoot, Map<String, String> files) throws IOException {
    Path scratch = Files.createTempDirectory("fleetwarden-group-");
    RemediationPlanner.copyTree(repoRoot, scratch);
    for (Map.Entry<String, String> e : files.entrySet()) {
      Path p = RepoPaths.resolve(scratch, e.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
    }
    return scratch;
  }

  private static ObjectDrift withFields(ObjectDrift d, List<FieldDrift> fields) {
    return new ObjectDrift(
        d.resource(), d.addon(), d.source(), d.type(), d.file(), fields, d.risk());
  }

  private static FieldDrift field(ObjectDrift d, String path) {
    return d.fields().stream().filter(x -> x.path().equals(path)).findFirst().orElse(null);
  }

  private static DesiredObject find(ClusterRender render, ResourceId id) {
    return render.objects().stream().filter(o -> o.id().equals(id)).findFirst().orElse(null);
  }

  private static String names(Set<String> clusters) {
    return String.join(", ", clusters.stream().map(RemediationPlanner::name).toList());
  }
}

package dev.fleetwarden.remediate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fleetwarden.fleet.AddonSource;
import dev.fleetwarden.fleet.AddonSpec;
import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.LocatedYaml;
import dev.fleetwarden.fleet.RepoFiles;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.JsonPointers;
import dev.fleetwarden.model.KeyedPaths;
import dev.fleetwarden.model.MarkdownText;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.Reflected;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.ValueOrigin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Decides how a pull request adopts the live values of one drifted object into the fleet repo. Each
 * drifted field goes to its own best place, all in the same change set (one pull request per
 * drift):
 *
 * <ol>
 *   <li>the values line the render traced the field to (a values file, an add-on's or environment's
 *       {@code values}, an existing patch file), or its line in the add-on's plain manifest;
 *   <li>for a Helm field made of several values ({@code "{{ .Values.image.repository }}:{{
 *       .Values.image.tag }}"}), the one value among those whose text the field holds ({@link
 *       ValueCandidates}) whose change alone re-renders to the live field: each is changed and
 *       re-rendered in turn, and exactly one must reproduce it (an image drift becomes a one-line
 *       {@code tag:} edit);
 *   <li>the fields nothing else holds go to one per-cluster patch file {@code
 *       clusters/<cluster>/patches/fleetwarden-<short>.yaml} that sets only them, list items named
 *       by their key ({@link KeyedPatch}).
 * </ol>
 *
 * Line edits keep the file's bytes and quoting ({@link YamlScalarEdit}). Each line edit is kept
 * only when re-rendering the cluster on top of the edits kept before shows that it gives its field
 * the live value and changes nothing but drifted fields; the whole change set is checked the same
 * way once the patch is added (if that fails, every field goes to the patch).
 *
 * <p>* Every candidate is checked by re-rendering the cluster ({@link ClusterRerender}): only the
 * drifted fields may change, each to its live value. Secrets, missing and orphan objects, and drift
 * from a failed render never get a change set. Terraform drift goes to the {@link
 * InfrastructurePlanner} when one is given (an edit of the cluster's infrastructure inputs checked
 * by re-synthesis), else it is alerted only. The planner reads the repo but never writes it
 * (candidates are rendered from a scratch copy). A live value larger than the configured size
 * ({@link #DEFAULT_MAX_VALUE_BYTES} by default) is never written: that drift stays an alert.
 *
 * <p>Explanations are Markdown for the pull request: every name, path and value in them is an
 * escaped code span ({@link MarkdownText#code}).
 */
public final class RemediationPlanner {
  /** Length of the fingerprint prefix used in branch and patch file names. */
  public static final int SHORT_FINGERPRINT = 10;

  /**
   * Default of the largest live value (UTF-8 bytes of its text, or of its compact JSON) a pull
   * request writes into the fleet repo; a larger one stays an alert.
   */
  public static final int DEFAULT_MAX_VALUE_BYTES = 4096;

  private final ClusterRerender rerender;
  private final InfrastructurePlanner infrastructure;
  private final long maxValueBytes;

  /** A planner for Kubernetes drift only: Terraform drift is alerted, never proposed. */
  public RemediationPlanner(ClusterRerender rerender) {
    this(rerender, null);
  }

  /**
   * @param infrastructure plans Terraform drift as edits of a cluster's infrastructure inputs;
   *     null: Terraform drift is alerted only
   */
  public RemediationPlanner(ClusterRerender rerender, InfrastructurePlanner infrastructure) {
    this(rerender, infrastructure, DEFAULT_MAX_VALUE_BYTES);
  }

  /**
   * @param maxValueBytes the largest live value a pull request may write into the fleet repo (UTF-8
   *     bytes); a drift with a larger one stays an alert
   */
  public RemediationPlanner(
      ClusterRerender rerender, InfrastructurePlanner infrastructure, long maxValueBytes) {
    if (maxValueBytes < 1) {
      throw new IllegalArgumentException(
          "the largest value a pull request writes must be at least 1 byte, not " + maxValueBytes);
    }
    this.rerender = rerender;
    this.infrastructure = infrastructure;
    this.maxValueBytes = maxValueBytes;
  }

  ClusterRerender rerender() {
    return rerender;
  }

  /** Plans with the fleet loaded from {@code repoRoot}. */
  public RemediationPlan plan(Path repoRoot, ObjectDrift drift, String fingerprint) {
    Fleet fleet;
    try {
      fleet = FleetLoader.load(repoRoot);
    } catch (FleetValidationException e) {
      return new AlertOnly(
          "the fleet repo does not load, so nothing can be proposed: " + e.getMessage());
    }
    return plan(repoRoot, fleet, drift, fingerprint);
  }

  /**
   * The change set adopting the live values of {@code drift}, or why there is none.
   *
   * @param repoRoot a checkout of the fleet repo's base branch
   * @param fleet the fleet loaded from {@code repoRoot}
   * @param fingerprint the drift's fingerprint (letters and digits; its first {@value
   *     #SHORT_FINGERPRINT} characters name the patch file)
   */
  public RemediationPlan plan(Path repoRoot, Fleet fleet, ObjectDrift drift, String fingerprint) {
    return plan(repoRoot, fleet, drift, fingerprint, false);
  }

  /**
   * The change set adopting the live values of {@code drift}, or why there is none.
   *
   * @param ownFilesOnly write only files that no other cluster reads (the cluster's values file,
   *     its patches): a fleet-wide group's member whose shared layers must stay as they are
   */
  RemediationPlan plan(
      Path repoRoot, Fleet fleet, ObjectDrift drift, String fingerprint, boolean ownFilesOnly) {
    String oversized = oversized(drift);
    if (oversized != null) {
      return new AlertOnly(oversized);
    }
    if (infrastructure != null
        && (drift.source() == DriftSource.TERRAFORM || drift.resource().isTerraform())) {
      return infrastructure.plan(repoRoot, fleet, drift);
    }
    String refused = refusal(fleet, drift, fingerprint);
    if (refused != null) {
      return new AlertOnly(refused);
    }
    ResourceId id = drift.resource();
    ClusterRender baseline = rerender.render(repoRoot, id.cluster());
    if (baseline.failed()) {
      return new AlertOnly(
          "cluster " + id.cluster() + " does not render from the fleet repo: " + baseline.error());
    }
    DesiredObject target =
        baseline.objects().stream().filter(o -> o.id().equals(id)).findFirst().orElse(null);
    if (target == null) {
      return new AlertOnly(
          id + " is no longer rendered by the fleet repo; the drift is from an older revision");
    }
    for (FieldDrift f : drift.fields()) {
      if (!JsonValues.same(KeyedPaths.at(target.manifest(), f.path()), f.desired())) {
        return new AlertOnly(
            "the fleet repo now renders "
                + f.path()
                + " of "
                + id
                + " differently from the scanned drift; wait for the next scan");
      }
    }
    return adopt(repoRoot, fleet, drift, baseline, fingerprint, ownFilesOnly);
  }

  /**
   * Why a live value is too large to be written into the fleet repo, or null. Live values come from
   * anyone who can edit the object; a pull request must not carry megabytes of them.
   */
  String oversized(ObjectDrift drift) {
    for (FieldDrift f : drift.fields()) {
      JsonNode live = f.live();
      if (live == null || live.isMissingNode() || live.isNull()) {
        continue;
      }
      long size = Reflected.utf8Length(live.isTextual() ? live.textValue() : live.toString());
      if (size > maxValueBytes) {
        return "the live value of "
            + Reflected.cap(f.path(), Reflected.NAME)
            + " is "
            + size
            + " bytes, more than the "
            + maxValueBytes
            + " bytes a pull request writes into the fleet repo; if the value is right, adopt it"
            + " by hand";
      }
    }
    return null;
  }

  static String refusal(Fleet fleet, ObjectDrift drift, String fingerprint) {
    ResourceId id = drift.resource();
    if (drift.source() != DriftSource.KUBERNETES || id.isTerraform()) {
      return "Terraform drift is proposed as a pull request only when the cluster's stack can be"
          + " synthesized here (terraform enabled); change the cluster's infrastructure inputs by"
          + " hand";
    }
    if (drift.type() != DriftType.MODIFIED) {
      String label = drift.type().label();
      return "only modified objects are adopted; "
          + ("aeiou".indexOf(label.charAt(0)) >= 0 ? "an " : "a ")
          + label
          + " object needs a person to decide";
    }
    if ("Secret".equals(id.kind())) {
      return "Secret values are never written to the fleet repo; rotate or restore the Secret by"
          + " hand";
    }
    for (FieldDrift f : drift.fields()) {
      if (f.desired() == null) {
        return Reflected.cap(f.path(), Reflected.NAME)
            + " was set by hand and the fleet repo does not set it; a person decides whether"
            + " Git should hold it (or whether to remove it from the cluster)";
      }
    }
    if (drift.fields().isEmpty()) {
      return "the drift names no field to adopt";
    }
    if (fingerprint == null || !fingerprint.matches("[A-Za-z0-9]{" + SHORT_FINGERPRINT + ",}")) {
      return "the drift has no usable fingerprint (letters and digits, at least "
          + SHORT_FINGERPRINT
          + ")";
    }
    ClusterSpec cluster = fleet.clusters().get(id.cluster());
    if (cluster == null || !RepoPaths.isSafeSegment(id.cluster())) {
      return "cluster " + id.cluster() + " is not in the fleet repo";
    }
    return null;
  }

  // ---------------------------------------------------------------- per field

  /** Most values probed for one field composed of several: each probe is a render. */
  static final int MAX_PROBES = 8;

  /**
   * Most renders one drift's line edits may take, probes included: a live object edited in many
   * places must not make the planner render its cluster hundreds of times. Fields left when they
   * are spent go to the patch.
   */
  static final int MAX_LINE_RENDERS = 24;

  /** An in-place edit for one field: the files with it, and how it was found. */
  record Tried(
      String field,
      Map<String, String> contents,
      ChangeSet.Edit edit,
      ChangeSet.Strategy strategy,
      boolean composed) {}

  /** A candidate's render and why it is not the adoption wanted (null: it is). */
  private record Checked(ClusterRender render, String problem) {}

  /** Where one field went in place, or why no line holds it. */
  private record InLine(Tried tried, ClusterRender render, String reason) {}

  /**
   * Adopts each drifted field at its own best place, all in one change set: the values or manifest
   * line that sets it, else a per-cluster patch for the fields nothing else holds. Each line edit
   * is kept only when the re-render shows it adopts its field (and at most other drifted fields)
   * and changes nothing else, on top of the edits kept before it.
   */
  private RemediationPlan adopt(
      Path repoRoot,
      Fleet fleet,
      ObjectDrift drift,
      ClusterRender baseline,
      String fingerprint,
      boolean ownFilesOnly) {
    ResourceId id = drift.resource();
    String manifestFile = ownFilesOnly ? null : manifestFile(fleet, drift);
    Map<String, String> contents = new TreeMap<>();
    List<Tried> kept = new ArrayList<>();
    Map<String, ChangeSet.Adoption> placed = new LinkedHashMap<>();
    Map<String, String> carriedBy = new LinkedHashMap<>();
    Map<String, String> unplaced = new LinkedHashMap<>();
    int[] renders = {0};
    for (FieldDrift f : drift.fields()) {
      if (placed.containsKey(f.path())) {
        continue;
      }
      Set<String> adopted = new HashSet<>(placed.keySet());
      adopted.add(f.path());
      InLine in =
          inLine(
              repoRoot,
              fleet,
              drift,
              baseline,
              manifestFile,
              contents,
              f,
              adopted,
              renders,
              ownFilesOnly);
      if (in.tried() == null) {
        unplaced.put(f.path(), in.reason());
        continue;
      }
      Tried t = in.tried();
      contents = t.contents();
      kept.add(t);
      ChangeSet.Edit e = t.edit();
      placed.put(
          f.path(),
          new ChangeSet.Adoption(f.path(), t.strategy(), e.file(), e.line(), e.pointer()));
      DesiredObject now = find(in.render(), id);
      for (FieldDrift g : drift.fields()) {
        if (!placed.containsKey(g.path())
            && now != null
            && JsonValues.same(KeyedPaths.at(now.manifest(), g.path()), g.live())) {
          placed.put(
              g.path(),
              new ChangeSet.Adoption(g.path(), t.strategy(), e.file(), e.line(), e.pointer()));
          carriedBy.put(g.path(), f.path());
          unplaced.remove(g.path());
        }
      }
    }
    String shortFp = fingerprint.substring(0, SHORT_FINGERPRINT);
    List<FieldDrift> rest =
        drift.fields().stream().filter(f -> !placed.containsKey(f.path())).toList();
    if (rest.isEmpty()) {
      return changeSet(fleet, drift, contents, kept, placed, carriedBy, null, unplaced);
    }
    KeyedPatch.Written patch = KeyedPatch.write(id, shortFp, rest);
    Map<String, String> files = new TreeMap<>(contents);
    files.put(patch.file(), patch.content());
    String problem = check(repoRoot, baseline, files, drift, allPaths(drift)).problem();
    if (problem == null) {
      placeInPatch(patch, rest, placed);
      return changeSet(fleet, drift, contents, kept, placed, carriedBy, patch, unplaced);
    }
    String reasons = reasons(unplaced);
    if (contents.isEmpty()) {
      return new AlertOnly(
          "no change of the fleet repo re-renders to the live value ("
              + reasons
              + "; a patch file: "
              + problem
              + ")");
    }
    // The line edits and the patch do not give the live values together: a patch for every field.
    KeyedPatch.Written whole = KeyedPatch.write(id, shortFp, drift.fields());
    String alone =
        check(repoRoot, baseline, Map.of(whole.file(), whole.content()), drift, allPaths(drift))
            .problem();
    if (alone != null) {
      return new AlertOnly(
          "no change of the fleet repo re-renders to the live value ("
              + reasons
              + "; line edits with a patch file: "
              + problem
              + "; a patch file alone: "
              + alone
              + ")");
    }
    Map<String, String> why = new LinkedHashMap<>();
    for (FieldDrift f : drift.fields()) {
      why.put(
          f.path(),
          unplaced.getOrDefault(
              f.path(), "its line edit and the patch of the other fields together: " + problem));
    }
    Map<String, ChangeSet.Adoption> all = new LinkedHashMap<>();
    placeInPatch(whole, drift.fields(), all);
    return changeSet(fleet, drift, Map.of(), List.of(), all, Map.of(), whole, why);
  }

  private static void placeInPatch(
      KeyedPatch.Written patch, List<FieldDrift> fields, Map<String, ChangeSet.Adoption> placed) {
    for (FieldDrift f : fields) {
      placed.put(
          f.path(),
          new ChangeSet.Adoption(
              f.path(),
              ChangeSet.Strategy.PATCH_FILE,
              patch.file(),
              patch.lines().getOrDefault(f.path(), 0),
              "/spec/set/" + JsonPointers.escape(f.path())));
    }
  }

  private static Set<String> allPaths(ObjectDrift drift) {
    Set<String> all = new HashSet<>();
    drift.fields().forEach(f -> all.add(f.path()));
    return all;
  }

  private static String reasons(Map<String, String> unplaced) {
    if (unplaced.size() == 1) {
      return unplaced.values().iterator().next();
    }
    List<String> parts = new ArrayList<>();
    unplaced.forEach((path, reason) -> parts.add(path + ": " + reason));
    return String.join("; ", parts);
  }

  private static DesiredObject find(ClusterRender render, ResourceId id) {
    return render.objects().stream().filter(o -> o.id().equals(id)).findFirst().orElse(null);
  }

  /**
   * The line that adopts {@code f} on top of {@code contents}: the values line the render traced it
   * to, or its line in the add-on's plain manifest; else, for a Helm add-on, the one value of those
   * the field is made of whose change alone re-renders to the live value (an image tag of {@code
   * repository:tag}). Null tried with the reason when none does.
   */
  private InLine inLine(
      Path repoRoot,
      Fleet fleet,
      ObjectDrift drift,
      ClusterRender baseline,
      String manifestFile,
      Map<String, String> contents,
      FieldDrift f,
      Set<String> adopted,
      int[] renders,
      boolean ownFilesOnly) {
    String where = drift.file() == null ? drift.resource().toString() : drift.file();
    String spent =
        "the "
            + MAX_LINE_RENDERS
            + " re-renders one drift's line edits may take are spent, so the rest of its fields"
            + " go to the patch";
    if (renders[0] >= MAX_LINE_RENDERS) {
      return new InLine(null, null, spent);
    }
    if (f.live() == null || f.live().isContainerNode() || f.live().isNull()) {
      return new InLine(
          null,
          null,
          new YamlScalarEdit.NotEditableException(
                  where,
                  f.path(),
                  "the live value is not a single value (absent, null, list or mapping), so no"
                      + " one line can hold it")
              .getMessage());
    }
    List<String> problems = new ArrayList<>();
    ValueOrigin origin = f.origin();
    String cluster = drift.resource().cluster();
    boolean helm = isHelm(fleet, drift.addon());
    if (origin != null && helm && !isOwn(origin.file(), cluster)) {
      // A value a shared layer sets is adopted in the cluster's own values file first: the other
      // clusters reading that layer keep their value.
      try {
        JsonNode adoptedValue = adoptedAtOrigin(repoRoot, contents, f, origin);
        Tried t =
            editOwnValues(
                repoRoot,
                fleet,
                contents,
                cluster,
                drift.addon(),
                f,
                origin.valuePath(),
                adoptedValue,
                false);
        renders[0]++;
        Checked c = check(repoRoot, baseline, t.contents(), drift, adopted);
        if (c.problem() == null) {
          return new InLine(t, c.render(), null);
        }
        problems.add(
            "editing " + t.edit().file() + " line " + t.edit().line() + ": " + c.problem());
      } catch (YamlScalarEdit.NotEditableException e) {
        problems.add(e.getMessage());
      }
      if (ownFilesOnly) {
        origin = null;
      }
    }
    if (origin != null && ownFilesOnly && !isOwn(origin.file(), cluster)) {
      origin = null;
    }
    if (origin != null || manifestFile != null) {
      try {
        Tried t =
            origin != null
                ? editValue(repoRoot, contents, f, origin, false)
                : editManifest(repoRoot, fleet, contents, manifestFile, drift, f);
        renders[0]++;
        Checked c = check(repoRoot, baseline, t.contents(), drift, adopted);
        if (c.problem() == null) {
          return new InLine(t, c.render(), null);
        }
        problems.add(
            "editing " + t.edit().file() + " line " + t.edit().line() + ": " + c.problem());
      } catch (YamlScalarEdit.NotEditableException e) {
        problems.add(e.getMessage());
      }
    }
    List<ValueCandidates.Candidate> candidates = new ArrayList<>();
    for (ValueCandidates.Candidate c :
        ValueCandidates.of(repoRoot, fleet, drift.resource().cluster(), drift.addon(), f)) {
      if (origin == null
          || !(RepoPaths.normalize(origin.file()).equals(c.origin().file())
              && origin.valuePath().equals(c.origin().valuePath()))) {
        candidates.add(c);
      }
    }
    if (!candidates.isEmpty() && renders[0] + candidates.size() > MAX_LINE_RENDERS) {
      problems.add(spent);
    } else if (candidates.size() > MAX_PROBES) {
      problems.add(
          candidates.size()
              + " values could make "
              + f.path()
              + ", more than the "
              + MAX_PROBES
              + " tried one by one");
    } else if (!candidates.isEmpty()) {
      List<InLine> reproduce = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (ValueCandidates.Candidate c : candidates) {
        names.add(c.origin().valuePath() + " (" + c.origin() + ")");
        try {
          FieldDrift probe = f.withOrigin(c.origin());
          Tried t =
              isOwn(c.origin().file(), cluster)
                  ? editValue(repoRoot, contents, probe, c.origin(), true)
                  : editOwnValues(
                      repoRoot,
                      fleet,
                      contents,
                      cluster,
                      drift.addon(),
                      f,
                      c.origin().valuePath(),
                      c.adopted(),
                      true);
          renders[0]++;
          Checked checked = check(repoRoot, baseline, t.contents(), drift, adopted);
          if (checked.problem() == null) {
            reproduce.add(new InLine(t, checked.render(), null));
          }
        } catch (YamlScalarEdit.NotEditableException e) {
          // this value cannot be written back; the others are still tried
        }
      }
      if (reproduce.size() == 1) {
        return reproduce.get(0);
      }
      if (reproduce.isEmpty() && problems.isEmpty()) {
        problems.add(noLine(where, f));
      }
      problems.add(
          reproduce.isEmpty()
              ? "changing any one of the "
                  + (problems.size() > 1 ? "other " : "")
                  + "values holding its text ("
                  + String.join(", ", names)
                  + ") alone does not re-render it to the live value"
              : "changing any of "
                  + reproduce.size()
                  + " values ("
                  + String.join(
                      ", ",
                      reproduce.stream()
                          .map(
                              r ->
                                  r.tried().edit().pointer() + " (" + r.tried().edit().file() + ")")
                          .toList())
                  + ") re-renders to the live value; a person picks one");
    }
    if (problems.isEmpty()) {
      problems.add(noLine(where, f));
    }
    return new InLine(null, null, String.join("; ", problems));
  }

  private static String noLine(String where, FieldDrift f) {
    return new YamlScalarEdit.NotEditableException(
            where, f.path(), "no values line or plain manifest sets this field")
        .getMessage();
  }

  /** The change set of the kept line edits and the patch (null: none), with its explanation. */
  private static ChangeSet changeSet(
      Fleet fleet,
      ObjectDrift drift,
      Map<String, String> contents,
      List<Tried> kept,
      Map<String, ChangeSet.Adoption> placed,
      Map<String, String> carriedBy,
      KeyedPatch.Written patch,
      Map<String, String> unplaced) {
    ResourceId id = drift.resource();
    String manifestFile = manifestFile(fleet, drift);
    TreeMap<String, String> files = new TreeMap<>(contents);
    TreeSet<String> affected = new TreeSet<>();
    StringBuilder why = new StringBuilder();
    for (String file : contents.keySet()) {
      List<String> clusters = clustersReading(fleet, file, id.cluster(), drift.addon());
      affected.addAll(clusters);
      why.append(describeEdits(file, kept, carriedBy, file.equals(manifestFile), drift, clusters));
    }
    if (patch != null) {
      files.put(patch.file(), patch.content());
      affected.add(id.cluster());
      List<String> paths =
          placed.values().stream()
              .filter(a -> a.strategy() == ChangeSet.Strategy.PATCH_FILE)
              .map(ChangeSet.Adoption::path)
              .toList();
      why.append("Adds the per-cluster patch ")
          .append(code(patch.file()))
          .append(", which sets only ")
          .append(codes(paths))
          .append(" to the live value")
          .append(paths.size() > 1 ? "s" : "")
          .append(
              ", naming list items by their key: every other field of the object, of the same list"
                  + " item too, keeps following the render. Only cluster ")
          .append(name(id.cluster()))
          .append(" reads it.\n");
      for (String path : paths) {
        String reason = unplaced.get(path);
        if (reason != null) {
          why.append("No line of the fleet repo adopts ")
              .append(code(path))
              .append(": ")
              .append(MarkdownText.code(reason))
              .append('\n');
        }
      }
    }
    List<ChangeSet.Adoption> adoptions = new ArrayList<>();
    for (FieldDrift f : drift.fields()) {
      adoptions.add(placed.get(f.path()));
    }
    List<ChangeSet.Strategy> kinds =
        adoptions.stream().map(ChangeSet.Adoption::strategy).distinct().toList();
    return new ChangeSet(
        kinds.size() == 1 ? kinds.get(0) : ChangeSet.Strategy.MIXED,
        files,
        kept.stream().map(Tried::edit).toList(),
        why.toString().strip(),
        List.copyOf(affected),
        true,
        adoptions);
  }

  private static String describeEdits(
      String file,
      List<Tried> kept,
      Map<String, String> carriedBy,
      boolean manifest,
      ObjectDrift drift,
      List<String> clusters) {
    StringBuilder sb = new StringBuilder();
    for (Tried t : kept) {
      ChangeSet.Edit e = t.edit();
      if (!e.file().equals(file)) {
        continue;
      }
      sb.append(e.describe(code(e.pointer())));
      if (t.composed()) {
        sb.append(code(t.field()))
            .append(" is made of several values; this is the only one whose change re-renders it")
            .append(" to the live value.\n");
      }
      String field = t.field();
      carriedBy.forEach(
          (carried, by) -> {
            if (by.equals(field)) {
              sb.append("The same edit also gives ")
                  .append(code(carried))
                  .append(" its live value.\n");
            }
          });
    }
    boolean alone = clusters.size() == 1 && clusters.get(0).equals(drift.resource().cluster());
    if (manifest) {
      sb.append("This manifest is shared by every cluster running add-on ")
          .append(code(drift.addon()))
          .append(alone ? "; today that is only " + name(clusters.get(0)) + ".\n" : ": ")
          .append(alone ? "" : names(clusters) + "; they all get the new value.\n");
    } else if (alone) {
      sb.append("This file is read by cluster ").append(name(clusters.get(0))).append(" only.\n");
    } else {
      sb.append("This file is read by clusters ")
          .append(names(clusters))
          .append("; they all get the new value.\n");
    }
    sb.append('\n');
    return sb.toString();
  }

  /**
   * The new values leaf: the live value when the field renders the leaf as it is; when the leaf is
   * one token of a longer string (an image tag inside {@code repo:tag}), the live string's token at
   * the same place; null when neither fits.
   */
  static JsonNode adoptedLeaf(JsonNode leaf, JsonNode desired, JsonNode live) {
    if (JsonValues.same(leaf, desired)) {
      return live;
    }
    if (desired == null || !desired.isTextual() || live == null || !live.isTextual()) {
      return null;
    }
    String d = desired.asText();
    String token = JsonValues.text(leaf);
    int at = d.indexOf(token);
    if (token.isEmpty() || at < 0 || d.indexOf(token, at + 1) >= 0) {
      return null;
    }
    String prefix = d.substring(0, at);
    String suffix = d.substring(at + token.length());
    String l = live.asText();
    if (l.length() <= prefix.length() + suffix.length()
        || !l.startsWith(prefix)
        || !l.endsWith(suffix)) {
      return null;
    }
    return JsonNodeFactory.instance.textNode(
        l.substring(prefix.length(), l.length() - suffix.length()));
  }

  static Tried editManifest(
      Path repoRoot,
      Fleet fleet,
      Map<String, String> contents,
      String file,
      ObjectDrift drift,
      FieldDrift f)
      throws YamlScalarEdit.NotEditableException {
    String content = contents.containsKey(file) ? contents.get(file) : read(repoRoot, file, f);
    List<LocatedYaml.Document> docs = parse(file, content, f);
    AddonSpec addon = fleet.addons().get(drift.addon());
    for (int d = 0; d < docs.size(); d++) {
      JsonNode root = docs.get(d).root();
      List<String> prefixes = new ArrayList<>();
      if ("List".equals(root.path("kind").asText()) && root.path("items").isArray()) {
        for (int i = 0; i < root.path("items").size(); i++) {
          prefixes.add("/items/" + i);
        }
      } else {
        prefixes.add("");
      }
      for (String prefix : prefixes) {
        JsonNode object = prefix.isEmpty() ? root : root.at(prefix);
        if (!isObject(object, drift.resource(), addon)) {
          continue;
        }
        String inObject = KeyedPaths.indexPointer(object, f.path());
        if (inObject == null) {
          throw new YamlScalarEdit.NotEditableException(
              file, prefix + f.path(), "the manifest does not hold this field");
        }
        String pointer = prefix + inObject;
        JsonNode old = root.at(pointer);
        if (!JsonValues.same(old, f.desired())) {
          throw new YamlScalarEdit.NotEditableException(
              file, pointer, "the manifest does not hold the rendered value there");
        }
        Map<String, String> edited = new TreeMap<>(contents);
        edited.put(file, YamlScalarEdit.replace(file, content, d, pointer, f.live()));
        return new Tried(
            f.path(),
            edited,
            new ChangeSet.Edit(
                file,
                YamlScalarEdit.lineOf(docs, d, pointer),
                pointer,
                Reflected.show(old),
                Reflected.show(f.live())),
            ChangeSet.Strategy.MANIFEST_EDIT,
            false);
      }
    }
    throw new YamlScalarEdit.NotEditableException(
        file, f.path(), "the manifest holds no " + drift.resource().withinCluster());
  }

  private static boolean isObject(JsonNode object, ResourceId id, AddonSpec addon) {
    JsonNode meta = object.path("metadata");
    String ns = meta.path("namespace").asText("");
    if (ns.isEmpty() && addon != null && addon.namespace() != null) {
      ns = addon.namespace();
    }
    // The renderer drops the namespace of cluster-scoped objects (the drifted id has none).
    if (id.isClusterScoped()) {
      ns = "";
    }
    ResourceId found =
        new ResourceId(
            id.cluster(),
            ResourceId.groupOf(object.path("apiVersion").asText("")),
            object.path("kind").asText(),
            ns,
            meta.path("name").asText());
    return found.equals(id);
  }

  /** The drift's source file when it is a plain manifest of its add-on, else null. */
  static String manifestFile(Fleet fleet, ObjectDrift drift) {
    AddonSpec addon = drift.addon() == null ? null : fleet.addons().get(drift.addon());
    if (addon == null
        || drift.file() == null
        || addon.source() == null
        || addon.source().type() != AddonSource.Type.MANIFESTS) {
      return null;
    }
    String file = RepoPaths.normalize(drift.file());
    String dir = RepoPaths.normalize(addon.source().path());
    return file.startsWith(dir + "/") ? file : null;
  }

  /** Whether only {@code cluster} reads a fleet file (its values files, its patches). */
  static boolean isOwn(String file, String cluster) {
    return RepoPaths.normalize(file).startsWith("clusters/" + cluster + "/");
  }

  static boolean isHelm(Fleet fleet, String addon) {
    AddonSpec a = addon == null ? null : fleet.addons().get(addon);
    return a != null && a.source() != null && a.source().type() == AddonSource.Type.HELM;
  }

  /** The cluster's own values file of an add-on, existing or to be created. */
  static String ownValuesFile(Fleet fleet, String cluster, String addon) {
    ClusterSpec c = fleet.clusters().get(cluster);
    String file = c == null ? null : c.valuesFileFor(addon).file();
    return file != null
        ? RepoPaths.normalize(file)
        : "clusters/" + cluster + "/values/" + addon + ".yaml";
  }

  /**
   * The value to write at the values path {@code origin} names: the live value, or the live token
   * when the field renders the value inside a longer text.
   */
  static JsonNode adoptedAtOrigin(
      Path repoRoot, Map<String, String> contents, FieldDrift f, ValueOrigin origin)
      throws YamlScalarEdit.NotEditableException {
    String file = RepoPaths.normalize(origin.file());
    String content = contents.containsKey(file) ? contents.get(file) : read(repoRoot, file, f);
    for (LocatedYaml.Document doc : parse(file, content, f)) {
      for (Map.Entry<String, dev.fleetwarden.fleet.Location> loc : doc.locations().entrySet()) {
        JsonNode leaf = doc.root().at(loc.getKey());
        if (loc.getValue().line() == origin.line()
            && leaf.isValueNode()
            && loc.getKey().endsWith(origin.valuePath())) {
          JsonNode adopted = adoptedLeaf(leaf, f.desired(), f.live());
          if (adopted == null) {
            break;
          }
          return adopted;
        }
      }
    }
    throw new YamlScalarEdit.NotEditableException(
        file, origin.valuePath(), "the value written there does not give the live value");
  }

  /**
   * Sets a Helm value in the cluster's own values file (created, or the missing keys inserted, when
   * it does not set it yet), on top of {@code contents}.
   */
  static Tried editOwnValues(
      Path repoRoot,
      Fleet fleet,
      Map<String, String> contents,
      String cluster,
      String addon,
      FieldDrift f,
      String valuePath,
      JsonNode adopted,
      boolean composed)
      throws YamlScalarEdit.NotEditableException {
    String file = ownValuesFile(fleet, cluster, addon);
    String content;
    if (contents.containsKey(file)) {
      content = contents.get(file);
    } else {
      content = RepoFiles.exists(repoRoot, file) ? read(repoRoot, file, f) : "";
    }
    return setValue(contents, file, content, valuePath, f, adopted, composed);
  }

  /** Sets {@code pointer} of {@code file} (inserting the keys it lacks) as one tried edit. */
  static Tried setValue(
      Map<String, String> contents,
      String file,
      String content,
      String pointer,
      FieldDrift f,
      JsonNode adopted,
      boolean composed)
      throws YamlScalarEdit.NotEditableException {
    String edited = YamlScalarEdit.set(file, content, 0, pointer, adopted);
    List<LocatedYaml.Document> before = content.isBlank() ? List.of() : parse(file, content, f);
    JsonNode old = before.isEmpty() ? null : before.get(0).root().at(pointer);
    Map<String, String> out = new TreeMap<>(contents);
    out.put(file, edited);
    return new Tried(
        f.path(),
        out,
        new ChangeSet.Edit(
            file,
            YamlScalarEdit.lineOf(parse(file, edited, f), 0, pointer),
            pointer,
            old == null || old.isMissingNode() ? "(not set here)" : Reflected.show(old),
            Reflected.show(adopted)),
        ChangeSet.Strategy.VALUE_EDIT,
        composed);
  }

  /**
   * The edit of the values line at {@code origin} adopting {@code f}, on top of {@code contents}.
   */
  private static Tried editValue(
      Path repoRoot,
      Map<String, String> contents,
      FieldDrift f,
      ValueOrigin origin,
      boolean composed)
      throws YamlScalarEdit.NotEditableException {
    String file = RepoPaths.normalize(origin.file());
    String content = contents.containsKey(file) ? contents.get(file) : read(repoRoot, file, f);
    List<LocatedYaml.Document> docs = parse(file, content, f);
    for (int d = 0; d < docs.size(); d++) {
      LocatedYaml.Document doc = docs.get(d);
      for (Map.Entry<String, dev.fleetwarden.fleet.Location> loc : doc.locations().entrySet()) {
        String pointer = loc.getKey();
        JsonNode leaf = doc.root().at(pointer);
        if (loc.getValue().line() != origin.line()
            || !leaf.isValueNode()
            || !(pointer.equals(origin.valuePath()) || pointer.endsWith(origin.valuePath()))) {
          continue;
        }
        JsonNode adopted = adoptedLeaf(leaf, f.desired(), f.live());
        if (adopted == null) {
          throw new YamlScalarEdit.NotEditableException(
              file,
              pointer,
              "the field renders as "
                  + Reflected.show(f.desired())
                  + ", which is not the value "
                  + Reflected.show(leaf)
                  + " written there, so the live value cannot be written back as it is");
        }
        Map<String, String> edited = new TreeMap<>(contents);
        edited.put(file, YamlScalarEdit.replace(file, content, d, pointer, adopted));
        return new Tried(
            f.path(),
            edited,
            new ChangeSet.Edit(
                file, origin.line(), pointer, Reflected.show(leaf), Reflected.show(adopted)),
            ChangeSet.Strategy.VALUE_EDIT,
            composed);
      }
    }
    throw new YamlScalarEdit.NotEditableException(
        file, origin.valuePath(), "no value at line " + origin.line() + " matches the origin");
  }

  /** A name or path as an escaped Markdown code span, for explanations. */
  static String code(String s) {
    return MarkdownText.code(Reflected.cap(s, Reflected.NAME));
  }

  private static String codes(List<String> names) {
    return String.join(", ", names.stream().map(RemediationPlanner::code).toList());
  }

  /** A cluster name as escaped Markdown text, for explanations. */
  static String name(String s) {
    return MarkdownText.text(Reflected.cap(s, Reflected.NAME));
  }

  private static String names(List<String> clusters) {
    return String.join(", ", clusters.stream().map(RemediationPlanner::name).toList());
  }

  // ---------------------------------------------------------------- checks

  /**
   * The cluster rendered from the repo with {@code files} written over it, and null when that
   * render adopts the live values of {@code adopted} (and changes nothing but drifted fields), else
   * the problem.
   */
  private Checked check(
      Path repoRoot,
      ClusterRender baseline,
      Map<String, String> files,
      ObjectDrift drift,
      Set<String> adopted) {
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory("fleetwarden-candidate-");
      copyTree(repoRoot, scratch);
      for (Map.Entry<String, String> e : files.entrySet()) {
        Path p = RepoPaths.resolve(scratch, e.getKey());
        Files.createDirectories(p.getParent());
        Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
      }
      ClusterRender candidate = rerender.render(scratch, drift.resource().cluster());
      return new Checked(candidate, RenderCheck.problem(baseline, candidate, drift, adopted));
    } catch (IOException e) {
      return new Checked(null, "cannot render the candidate: " + e.getMessage());
    } finally {
      if (scratch != null) {
        deleteTree(scratch);
      }
    }
  }

  /** The clusters whose desired state reads a fleet file. */
  static List<String> clustersReading(Fleet fleet, String file, String cluster, String addon) {
    String[] parts = file.split("/");
    TreeSet<String> out = new TreeSet<>();
    if (parts.length >= 2 && parts[0].equals("clusters")) {
      out.add(parts[1]);
    } else if (parts.length == 2 && parts[0].equals("environments")) {
      String env = parts[1].replaceFirst("\\.ya?ml$", "");
      for (ClusterSpec c :
          addon == null ? fleet.clusters().values() : fleet.clustersRunning(addon)) {
        if (env.equals(c.environment())) {
          out.add(c.name());
        }
      }
    } else if (parts.length >= 2 && parts[0].equals("addons")) {
      fleet.clustersRunning(parts[1]).forEach(c -> out.add(c.name()));
    } else {
      out.addAll(fleet.clusters().keySet());
    }
    out.add(cluster);
    return List.copyOf(out);
  }

  private static String read(Path repoRoot, String file, FieldDrift f)
      throws YamlScalarEdit.NotEditableException {
    try {
      return RepoFiles.read(repoRoot, RepoPaths.normalize(file));
    } catch (FleetValidationException e) {
      throw new YamlScalarEdit.NotEditableException(
          file, f.path(), "cannot read it: " + e.errors().get(0).message());
    }
  }

  private static List<LocatedYaml.Document> parse(String file, String content, FieldDrift f)
      throws YamlScalarEdit.NotEditableException {
    try {
      return LocatedYaml.parseAll(file, content);
    } catch (FleetValidationException e) {
      throw new YamlScalarEdit.NotEditableException(file, f.path(), e.getMessage());
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path rel = from.relativize(p);
        if (rel.getNameCount() > 0 && rel.getName(0).toString().equals(".git")) {
          continue;
        }
        Path target = to.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (Files.isRegularFile(p)) {
          Files.copy(p, target);
        }
      }
    }
  }

  static void deleteTree(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException ignored) {
                  // scratch space: the OS cleans up what is left
                }
              });
    } catch (IOException ignored) {
      // scratch space: the OS cleans up what is left
    }
  }
}

package dev.fleetwarden.remediate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
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
import dev.fleetwarden.model.KeyedPaths;
import dev.fleetwarden.model.MarkdownText;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.Reflected;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.ValueOrigin;
import dev.fleetwarden.model.YamlStrings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Decides how a pull request adopts the live value of one drifted object into the fleet repo:
 *
 * <ol>
 *   <li>a plain manifest of an add-on is edited in place at the drifted field's line;
 *   <li>a field whose value came from a values file (or an existing patch file) gets that line
 *       edited;
 *   <li>otherwise, or when the edit does not re-render to exactly the live value, a per-cluster
 *       patch file {@code clusters/<cluster>/patches/fleetwarden-<short>.yaml} holds the live
 *       values as a JSON merge patch.
 * </ol>
 *
 * Every candidate is checked by re-rendering the cluster ({@link ClusterRerender}): only the
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

  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .stringQuotingChecker(YamlStrings.QUOTING)
              .build());

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
    String fallbackReason;
    try {
      ChangeSet inPlace = inPlace(repoRoot, fleet, drift);
      String problem = verify(repoRoot, baseline, inPlace.files(), drift);
      if (problem == null) {
        return inPlace;
      }
      fallbackReason =
          "editing " + String.join(", ", inPlace.files().keySet()) + " in place: " + problem;
    } catch (YamlScalarEdit.NotEditableException e) {
      fallbackReason = e.getMessage();
    }
    ChangeSet patch = patchFile(fleet, drift, target, fingerprint, fallbackReason);
    String problem = verify(repoRoot, baseline, patch.files(), drift);
    if (problem != null) {
      return new AlertOnly(
          "no change of the fleet repo re-renders to the live value ("
              + fallbackReason
              + "; a patch file: "
              + problem
              + ")");
    }
    return patch;
  }

  /**
   * Why a live value is too large to be written into the fleet repo, or null. Live values come from
   * anyone who can edit the object; a pull request must not carry megabytes of them.
   */
  private String oversized(ObjectDrift drift) {
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

  private static String refusal(Fleet fleet, ObjectDrift drift, String fingerprint) {
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

  // ---------------------------------------------------------------- in place

  private ChangeSet inPlace(Path repoRoot, Fleet fleet, ObjectDrift drift)
      throws YamlScalarEdit.NotEditableException {
    ResourceId id = drift.resource();
    String manifestFile = manifestFile(fleet, drift);
    Map<String, String> contents = new TreeMap<>();
    List<ChangeSet.Edit> edits = new ArrayList<>();
    boolean allManifest = true;
    for (FieldDrift f : drift.fields()) {
      if (f.live() == null || f.live().isContainerNode() || f.live().isNull()) {
        throw new YamlScalarEdit.NotEditableException(
            drift.file() == null ? id.toString() : drift.file(),
            f.path(),
            "the live value is not a single value, so no one line can hold it");
      }
      if (f.origin() != null) {
        allManifest = false;
        edits.add(editValue(repoRoot, contents, f));
      } else if (manifestFile != null) {
        edits.add(editManifest(repoRoot, fleet, contents, manifestFile, drift, f));
      } else {
        throw new YamlScalarEdit.NotEditableException(
            drift.file() == null ? id.toString() : drift.file(),
            f.path(),
            "no values line or plain manifest sets this field");
      }
    }
    TreeSet<String> affected = new TreeSet<>();
    StringBuilder why = new StringBuilder();
    for (String file : contents.keySet()) {
      List<String> clusters = clustersReading(fleet, file, id.cluster(), drift.addon());
      affected.addAll(clusters);
      why.append(describeEdits(file, edits, allManifest, drift, clusters));
    }
    return new ChangeSet(
        allManifest ? ChangeSet.Strategy.MANIFEST_EDIT : ChangeSet.Strategy.VALUE_EDIT,
        new TreeMap<>(contents),
        edits,
        why.toString().strip(),
        List.copyOf(affected),
        true);
  }

  private static String describeEdits(
      String file,
      List<ChangeSet.Edit> edits,
      boolean manifest,
      ObjectDrift drift,
      List<String> clusters) {
    StringBuilder sb = new StringBuilder();
    for (ChangeSet.Edit e : edits) {
      if (!e.file().equals(file)) {
        continue;
      }
      sb.append(e.describe(code(e.pointer())));
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

  private static ChangeSet.Edit editValue(Path repoRoot, Map<String, String> contents, FieldDrift f)
      throws YamlScalarEdit.NotEditableException {
    ValueOrigin origin = f.origin();
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
        String edited = YamlScalarEdit.replace(file, content, d, pointer, adopted);
        contents.put(file, edited);
        return new ChangeSet.Edit(
            file, origin.line(), pointer, Reflected.show(leaf), Reflected.show(adopted));
      }
    }
    throw new YamlScalarEdit.NotEditableException(
        file, origin.valuePath(), "no value at line " + origin.line() + " matches the origin");
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

  private static ChangeSet.Edit editManifest(
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
        String edited = YamlScalarEdit.replace(file, content, d, pointer, f.live());
        contents.put(file, edited);
        return new ChangeSet.Edit(
            file,
            YamlScalarEdit.lineOf(docs, d, pointer),
            pointer,
            Reflected.show(old),
            Reflected.show(f.live()));
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
  private static String manifestFile(Fleet fleet, ObjectDrift drift) {
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

  // ---------------------------------------------------------------- patch file

  private static ChangeSet patchFile(
      Fleet fleet, ObjectDrift drift, DesiredObject target, String fingerprint, String reason) {
    ResourceId id = drift.resource();
    String shortFp = fingerprint.substring(0, SHORT_FINGERPRINT);
    String file = "clusters/" + id.cluster() + "/patches/fleetwarden-" + shortFp + ".yaml";
    ObjectNode patch = MergePatches.adoptLive(target.manifest(), drift.fields());
    ObjectNode doc = JsonNodeFactory.instance.objectNode();
    doc.put("apiVersion", FleetLoader.API_VERSION);
    doc.put("kind", "Patch");
    doc.putObject("metadata").put("name", "fleetwarden-" + shortFp);
    ObjectNode spec = doc.putObject("spec");
    ObjectNode t = spec.putObject("target");
    if (!id.isCoreGroup()) {
      t.put("group", id.group());
    }
    t.put("kind", id.kind());
    if (!id.isClusterScoped()) {
      t.put("namespace", id.namespace());
    }
    t.put("name", id.name());
    spec.set("patch", patch);
    // A comment line each: paths and ids may hold line breaks that would end the comment.
    String header =
        "# Written by fleetwarden: keeps the live value of "
            + Reflected.visible(
                Reflected.cap(
                    String.join(", ", drift.fields().stream().map(FieldDrift::path).toList()),
                    Reflected.MESSAGE))
            + "\n# of "
            + Reflected.visible(Reflected.id(id).toString())
            + " (drift "
            + shortFp
            + "). Delete this file to return to the rendered value.\n";
    String content;
    try {
      content = header + YAML.writeValueAsString(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String explanation =
        "Adds the per-cluster patch "
            + code(file)
            + " (a JSON merge patch applied after rendering) holding the live value"
            + (drift.fields().size() > 1 ? "s" : "")
            + " of "
            + codes(drift.fields().stream().map(FieldDrift::path).toList())
            + ". Only cluster "
            + name(id.cluster())
            + " changes.\nNo single line of the fleet repo could adopt the value: "
            + MarkdownText.code(reason)
            + (drift.fields().stream()
                    .anyMatch(f -> f.path().matches(".*/([0-9]+|[^/]+=[^/]*)(/.*)?"))
                ? "\nMerge patches replace lists whole, so the patch carries the whole rendered list"
                    + " with the live value in place."
                : "");
    return new ChangeSet(
        ChangeSet.Strategy.PATCH_FILE,
        new TreeMap<>(Map.of(file, content)),
        List.of(),
        explanation,
        List.of(id.cluster()),
        true);
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

  /** Null when the files re-render to exactly the live values, else the problem. */
  private String verify(
      Path repoRoot, ClusterRender baseline, SortedMap<String, String> files, ObjectDrift drift) {
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
      return RenderCheck.problem(baseline, candidate, drift);
    } catch (IOException e) {
      return "cannot render the candidate: " + e.getMessage();
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

package dev.fleetwarden.render;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.fleet.FleetError;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.LocatedYaml;
import dev.fleetwarden.fleet.Location;
import dev.fleetwarden.fleet.RepoFiles;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks every kustomization reachable from an add-on's Kustomize directory before it is built, so
 * that the build reads only files of the fleet repo and never reaches the network. Every field that
 * names a file or directory ({@code resources}, {@code bases}, {@code components}, {@code crds},
 * {@code configurations}, {@code generators}, {@code transformers}, {@code validators}, patches,
 * generator sources, {@code openapi.path}, {@code replacements[].path}) must be a relative path to
 * something that exists inside the fleet repo: URLs, Git remotes, absolute paths and paths leaving
 * the repo are refused, as is Helm chart inflation. Local bases and components are followed, and so
 * are the builtin plugin configurations that generators and transformers name.
 */
final class KustomizationCheck {
  /** The file names kustomize accepts for a kustomization, in its order. */
  static final List<String> FILE_NAMES =
      List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

  private static final List<String> HELM_FIELDS =
      List.of("helmCharts", "helmChartInflationGenerator", "helmGlobals");
  private static final Set<String> GIT_HOSTS = Set.of("github.com", "gitlab.com", "bitbucket.org");
  private static final Pattern SCP_LIKE = Pattern.compile("^[^/\\s]+@[^/\\s]+:.*");
  private static final Pattern USERINFO = Pattern.compile("(://)[^/@\\s]*@");
  private static final String OFFLINE =
      "; kustomizations are built offline from the fleet repo only: vendor it into the fleet"
          + " repo and reference it by a relative path";

  /** How a referenced path is used, which decides what is checked behind it. */
  private enum Use {
    /** A resource file, or a directory holding a kustomization (base, component). */
    RESOURCE,
    /** A data file (patch, generator source, schema, transformer configuration). */
    FILE,
    /** A plugin configuration file, or a directory whose resources are plugin configurations. */
    PLUGIN
  }

  /** A kustomization directory to check; plugin mode reads its resources as plugin configs. */
  private record Pending(Path dir, boolean pluginConfigs) {}

  /** Where the reference being checked was written. */
  private record At(String file, int line, String field) {}

  private final Path root;
  private final String addon;
  private final Deque<Pending> queue = new ArrayDeque<>();
  private final Set<Pending> seen = new HashSet<>();
  private final Set<String> directories = new TreeSet<>();

  private KustomizationCheck(Path root, String addon) {
    this.root = root;
    this.addon = addon;
  }

  /**
   * Checks the kustomization in {@code dirRel} (relative to the fleet repo root) and everything it
   * reaches.
   *
   * @return the repo-relative directories of every kustomization read, sorted: the build reads only
   *     files under them
   * @throws RenderException naming the file and line of the first refused reference
   */
  static List<String> check(Path repoRoot, String dirRel, String addon) throws RenderException {
    Path root = repoRoot.toAbsolutePath().normalize();
    KustomizationCheck check = new KustomizationCheck(root, addon);
    Path start = root.resolve(dirRel).normalize();
    String startFile = dirRel + "/" + FILE_NAMES.get(0);
    if (!start.startsWith(root)) {
      throw new RenderException(
          addon,
          startFile,
          0,
          "the Kustomize path "
              + dirRel
              + " is outside the fleet repo; fix the add-on's kustomize path");
    }
    if (kustomizationFiles(start).isEmpty()) {
      throw new RenderException(
          addon,
          startFile,
          0,
          "no kustomization.yaml, kustomization.yml or Kustomization in "
              + dirRel
              + "; add one or fix the add-on's kustomize path");
    }
    check.enqueue(new Pending(start, false));
    while (!check.queue.isEmpty()) {
      check.checkKustomization(check.queue.removeFirst());
    }
    return List.copyOf(check.directories);
  }

  /**
   * Why a reference cannot be read from the fleet repo offline ("is a URL", "is a Git remote", "is
   * an absolute path"), or null for a plain relative path. Pure.
   */
  static String refusal(String ref) {
    String r = ref.strip();
    String lower = r.toLowerCase(Locale.ROOT);
    String first = r.split("[/\\\\]", 2)[0];
    if (lower.startsWith("git::")
        || lower.startsWith("gh:")
        || lower.startsWith("git@")
        || SCP_LIKE.matcher(r).matches()
        || GIT_HOSTS.contains(first.toLowerCase(Locale.ROOT))) {
      return "is a Git remote";
    }
    if (lower.contains("://")) {
      return "is a URL";
    }
    if (r.startsWith("/") || r.startsWith("\\")) {
      return "is an absolute path";
    }
    if (r.startsWith("~")) {
      return "is a home-directory path";
    }
    if (r.contains("?")) {
      return "has a query string, as Git remotes do (?ref=...)";
    }
    if (r.contains("//")) {
      return "uses the repo//path form of a Git remote";
    }
    if (first.contains(":")) {
      return "has a URL scheme or drive letter";
    }
    return null;
  }

  private static List<Path> kustomizationFiles(Path dir) {
    List<Path> out = new ArrayList<>();
    for (String name : FILE_NAMES) {
      Path f = dir.resolve(name);
      if (Files.isRegularFile(f)) {
        out.add(f);
      }
    }
    return out;
  }

  private void enqueue(Pending p) {
    if (seen.add(p)) {
      queue.addLast(p);
    }
  }

  private String rel(Path p) {
    String r = root.relativize(p).toString().replace('\\', '/');
    return r.isEmpty() ? "." : r;
  }

  private void checkKustomization(Pending p) throws RenderException {
    directories.add(rel(p.dir()));
    for (Path file : kustomizationFiles(p.dir())) {
      String fileRel = rel(file);
      LocatedYaml.Document doc = parse(fileRel, read(file, fileRel));
      if (!doc.root().isObject()) {
        throw new RenderException(
            addon, fileRel, doc.lineOf(""), "a kustomization must be a mapping of fields");
      }
      checkFields(doc, fileRel, p.dir(), p.pluginConfigs());
    }
  }

  private void checkFields(LocatedYaml.Document doc, String file, Path dir, boolean pluginConfigs)
      throws RenderException {
    JsonNode r = doc.root();
    for (String helm : HELM_FIELDS) {
      if (r.has(helm)) {
        throw new RenderException(
            addon,
            file,
            doc.lineOf("/" + helm),
            helm
                + ": Helm chart inflation is not allowed in kustomizations (it downloads charts and"
                + " runs helm); use a helm source for the add-on with the chart vendored in the"
                + " fleet repo");
      }
    }
    Use resources = pluginConfigs ? Use.PLUGIN : Use.RESOURCE;
    for (String field : List.of("resources", "bases", "components")) {
      for (String ptr : strings(r, "/" + field)) {
        reference(doc, file, ptr, field, dir, resources);
      }
    }
    for (String field : List.of("crds", "configurations")) {
      for (String ptr : strings(r, "/" + field)) {
        reference(doc, file, ptr, field, dir, Use.FILE);
      }
    }
    for (String field : List.of("generators", "transformers", "validators")) {
      for (String ptr : strings(r, "/" + field)) {
        String value = r.at(ptr).asText();
        if (value.contains("\n")) {
          // An inline plugin configuration.
          At at = new At(file, doc.lineOf(ptr), field);
          checkPluginDocuments(parseInline(at, value), at, dir);
        } else {
          reference(doc, file, ptr, field, dir, Use.PLUGIN);
        }
      }
    }
    for (String ptr : strings(r, "/patchesStrategicMerge")) {
      if (!isInlinePatch(r.at(ptr).asText())) {
        reference(doc, file, ptr, "patchesStrategicMerge", dir, Use.FILE);
      }
    }
    for (String field : List.of("patches", "patchesJson6902", "replacements")) {
      for (String ptr : objects(r, "/" + field)) {
        for (String path : strings(r, ptr + "/path")) {
          reference(doc, file, path, field, dir, Use.FILE);
        }
      }
    }
    for (String path : strings(r, "/openapi/path")) {
      reference(doc, file, path, "openapi", dir, Use.FILE);
    }
    for (String field : List.of("configMapGenerator", "secretGenerator")) {
      for (String ptr : objects(r, "/" + field)) {
        generatorSources(doc, file, ptr, field, dir);
      }
    }
  }

  /** The files, envs and env of a generator (kustomization entry or plugin config) at ptr. */
  private void generatorSources(
      LocatedYaml.Document doc, String file, String ptr, String field, Path dir)
      throws RenderException {
    JsonNode r = doc.root();
    for (String f : strings(r, ptr + "/files")) {
      String value = r.at(f).asText();
      // [key=]path, split at the first '=' as kustomize does
      int eq = value.indexOf('=');
      String path = eq < 0 ? value : value.substring(eq + 1);
      String why = refusal(value);
      checkPath(new At(file, doc.lineOf(f), field), why == null ? path : value, dir, Use.FILE);
    }
    for (String f : strings(r, ptr + "/envs")) {
      reference(doc, file, f, field, dir, Use.FILE);
    }
    for (String f : strings(r, ptr + "/env")) {
      reference(doc, file, f, field, dir, Use.FILE);
    }
  }

  private void reference(
      LocatedYaml.Document doc, String file, String ptr, String field, Path dir, Use use)
      throws RenderException {
    checkPath(new At(file, doc.lineOf(ptr), field), doc.root().at(ptr).asText(), dir, use);
  }

  private void checkPath(At at, String ref, Path dir, Use use) throws RenderException {
    if (ref.isBlank()) {
      return; // kustomize reports empty entries itself
    }
    String why = refusal(ref);
    if (why != null) {
      throw refused(at, ref, why + OFFLINE);
    }
    Path target;
    try {
      target = dir.resolve(ref.strip()).normalize();
    } catch (InvalidPathException e) {
      throw refused(at, ref, "is not a valid path; fix it");
    }
    if (!target.startsWith(root)) {
      throw refused(
          at, ref, "points outside the fleet repo; move what it needs into the fleet repo");
    }
    if (!Files.exists(target)) {
      throw refused(
          at,
          ref,
          "is not in the fleet repo (kustomize would try to fetch it as a remote); vendor it into"
              + " the fleet repo or fix the path");
    }
    if (Files.isDirectory(target)) {
      if (use == Use.FILE) {
        return; // kustomize refuses a directory here; nothing is read from it
      }
      if (kustomizationFiles(target).isEmpty()) {
        throw refused(
            at, ref, "is a directory without a kustomization.yaml; add one or name a file");
      }
      enqueue(new Pending(target, use == Use.PLUGIN));
    } else if (use == Use.PLUGIN) {
      String fileRel = rel(target);
      List<LocatedYaml.Document> docs = parseAll(fileRel, read(target, fileRel));
      for (LocatedYaml.Document d : docs) {
        checkPluginDocument(d, null, dir);
      }
    }
  }

  private void checkPluginDocuments(List<LocatedYaml.Document> docs, At inline, Path dir)
      throws RenderException {
    for (LocatedYaml.Document d : docs) {
      checkPluginDocument(d, inline, dir);
    }
  }

  /**
   * A plugin configuration: builtin generators and transformers that read files are checked like
   * the kustomization fields they stand for; Helm inflation and KRM functions are refused. Paths in
   * it are relative to the kustomization that uses it. An inline configuration reports the line of
   * its entry in the kustomization.
   */
  private void checkPluginDocument(LocatedYaml.Document d, At inline, Path dir)
      throws RenderException {
    JsonNode r = d.root();
    if (!r.isObject()) {
      return;
    }
    JsonNode annotations = r.path("metadata").path("annotations");
    for (String a : List.of("config.kubernetes.io/function", "config.k8s.io/function")) {
      if (annotations.has(a)) {
        throw new RenderException(
            addon,
            inline != null ? inline.file() : d.file(),
            inline != null ? inline.line() : d.lineOf("/metadata/annotations"),
            "plugin configuration with the "
                + a
                + " annotation: KRM functions (containers, executables) are not run; use"
                + " builtin generators and transformers");
      }
    }
    String kind = r.path("kind").asText("");
    LocatedYaml.Document located =
        inline == null
            ? d
            : new LocatedYaml.Document(
                inline.file(), d.root(), Map.of("", new Location(inline.line(), 0)));
    String file = located.file();
    switch (kind) {
      case "HelmChartInflationGenerator" ->
          throw new RenderException(
              addon,
              file,
              located.lineOf("/kind"),
              "HelmChartInflationGenerator: Helm chart inflation is not allowed in kustomizations"
                  + " (it downloads charts and runs helm); use a helm source for the add-on with"
                  + " the chart vendored in the fleet repo");
      case "ConfigMapGenerator", "SecretGenerator" ->
          generatorSources(located, file, "", kind, dir);
      case "PatchTransformer", "PatchJson6902Transformer" -> {
        for (String p : strings(r, "/path")) {
          reference(located, file, p, kind, dir, Use.FILE);
        }
      }
      case "PatchStrategicMergeTransformer" -> {
        for (String p : strings(r, "/paths")) {
          if (!isInlinePatch(r.at(p).asText())) {
            reference(located, file, p, kind, dir, Use.FILE);
          }
        }
      }
      case "ReplacementTransformer" -> {
        for (String ptr : objects(r, "/replacements")) {
          for (String p : strings(r, ptr + "/path")) {
            reference(located, file, p, kind, dir, Use.FILE);
          }
        }
      }
      default -> {
        // other builtins read no files; external plugins are refused by kustomize itself
      }
    }
  }

  private static boolean isInlinePatch(String value) {
    String v = value.strip();
    return value.contains("\n") || v.startsWith("{");
  }

  /** Pointers of the text values at ptr: the value itself, or each text element of a list. */
  private static List<String> strings(JsonNode root, String ptr) {
    JsonNode n = root.at(ptr);
    List<String> out = new ArrayList<>();
    if (n.isTextual()) {
      out.add(ptr);
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        if (n.get(i).isTextual()) {
          out.add(ptr + "/" + i);
        }
      }
    }
    return out;
  }

  /** Pointers of the object elements of the list at ptr. */
  private static List<String> objects(JsonNode root, String ptr) {
    JsonNode n = root.at(ptr);
    List<String> out = new ArrayList<>();
    if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        if (n.get(i).isObject()) {
          out.add(ptr + "/" + i);
        }
      }
    }
    return out;
  }

  private RenderException refused(At at, String ref, String why) {
    return new RenderException(
        addon, at.file(), at.line(), at.field() + " entry '" + shown(ref) + "' " + why);
  }

  /** The reference as shown in a message: one line, bounded, without URL credentials. */
  static String shown(String ref) {
    String s = USERINFO.matcher(ref.strip()).replaceAll("$1***@");
    s = s.replaceAll("\\p{Cntrl}", "?");
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  private String read(Path file, String fileRel) throws RenderException {
    try {
      return RepoFiles.read(root, fileRel);
    } catch (FleetValidationException e) {
      FleetError first = e.errors().get(0);
      throw new RenderException(addon, fileRel, first.line(), first.message());
    }
  }

  private LocatedYaml.Document parse(String fileRel, String content) throws RenderException {
    try {
      return LocatedYaml.parse(fileRel, content);
    } catch (FleetValidationException e) {
      throw invalid(e);
    }
  }

  private List<LocatedYaml.Document> parseAll(String fileRel, String content)
      throws RenderException {
    try {
      return LocatedYaml.parseAll(fileRel, content);
    } catch (FleetValidationException e) {
      throw invalid(e);
    }
  }

  private List<LocatedYaml.Document> parseInline(At at, String content) throws RenderException {
    try {
      return LocatedYaml.parseAll(at.file(), content);
    } catch (FleetValidationException e) {
      throw new RenderException(
          addon,
          at.file(),
          at.line(),
          at.field() + " entry: inline configuration is not valid: " + e.errors().get(0).message());
    }
  }

  private RenderException invalid(FleetValidationException e) {
    FleetError err = e.errors().get(0);
    return new RenderException(addon, err.file(), err.line(), err.message());
  }
}

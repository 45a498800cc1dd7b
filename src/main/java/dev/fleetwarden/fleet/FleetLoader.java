package dev.fleetwarden.fleet;

import dev.fleetwarden.model.IgnoreRule;
import dev.fleetwarden.model.RiskRule;
import dev.fleetwarden.model.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Loads and validates a fleet repo directory into a {@link Fleet}. Every problem found is reported
 * at once, each with its repo-relative file, line and column, and what to do about it. Files are
 * read through {@link RepoFiles}: a symbolic link anywhere in the repo is refused before any file
 * is read, and every file's size is checked before it is read.
 */
public final class FleetLoader {
  public static final String API_VERSION = "fleetwarden.dev/v1alpha1";

  private static final String[] TOP_KEYS = {"apiVersion", "kind", "metadata", "spec"};

  private final Path root;
  private final ChartAllowList allowList;
  private final boolean lockMustCoverCharts;
  private final List<FleetError> errors = new ArrayList<>();
  // Every remote chart the files name, with where its source and its version are written.
  private final List<ChartUse> chartUses = new ArrayList<>();

  private record ChartUse(ChartRef chart, FleetError source, FleetError version) {}

  private FleetLoader(Path root, ChartAllowList allowList, boolean lockMustCoverCharts) {
    this.root = root.toAbsolutePath().normalize();
    this.allowList = allowList;
    this.lockMustCoverCharts = lockMustCoverCharts;
  }

  /**
   * Loads the fleet repo at {@code root}, or throws with every problem found. Remote chart sources
   * are read but not checked against an allow-list: use {@link #load(Path, ChartAllowList)} where
   * the operator's list is known (the fetch step refuses what it does not allow in any case).
   */
  public static Fleet load(Path root) throws FleetValidationException {
    return new FleetLoader(root, null, false).load();
  }

  /**
   * Loads the fleet repo and also refuses, at their file and line, remote charts from repositories
   * or registries the operator does not allow, and, when {@code fleet.lock} exists, charts it does
   * not lock.
   */
  public static Fleet load(Path root, ChartAllowList allowList) throws FleetValidationException {
    return new FleetLoader(root, allowList, true).load();
  }

  /**
   * Loads the fleet repo to write {@code fleet.lock}: like {@link #load(Path, ChartAllowList)}, but
   * charts the lock does not hold yet are fine.
   */
  public static Fleet loadForLocking(Path root, ChartAllowList allowList)
      throws FleetValidationException {
    return new FleetLoader(root, allowList, false).load();
  }

  private Fleet load() throws FleetValidationException {
    if (!RepoFiles.exists(root, "fleet.yaml")) {
      throw new FleetValidationException(
          new FleetError(
              "fleet.yaml",
              0,
              0,
              "no fleet.yaml in "
                  + root
                  + "; point --repo at the root of a fleet repo (see fleet-repo-example)"));
    }
    // Before any file is read: a link could make a render show a host file.
    List<FleetError> unsafe = RepoFiles.unsafeEntries(root);
    if (!unsafe.isEmpty()) {
      throw new FleetValidationException(sorted(unsafe));
    }
    FleetSettings settings = loadSettings();
    Map<String, AddonSpec> addons = loadAddons();
    Map<String, EnvironmentSpec> environments = loadEnvironments(addons);
    Map<String, ClusterSpec> clusters = loadClusters(addons, environments);
    ChartLock lock = loadLock();
    if (errors.isEmpty()) {
      // Only on an otherwise valid fleet: a broken cluster file must not look like a bad selector.
      checkSelectors(addons, clusters, environments);
      checkCharts(lock);
    }
    if (!errors.isEmpty()) {
      throw new FleetValidationException(sorted(errors));
    }
    return new Fleet(
        root,
        settings,
        new TreeMap<>(clusters),
        new TreeMap<>(addons),
        new TreeMap<>(environments),
        lock);
  }

  // ---------------------------------------------------------------- remote charts

  private ChartLock loadLock() {
    if (!RepoFiles.exists(root, ChartLock.FILE)) {
      return null;
    }
    try {
      return ChartLock.parse(RepoFiles.read(root, ChartLock.FILE));
    } catch (FleetValidationException e) {
      errors.addAll(e.errors());
      return null;
    }
  }

  /** The operator's allow-list, then the lock, for every remote chart the files name. */
  private void checkCharts(ChartLock lock) {
    for (ChartUse use : chartUses) {
      if (allowList != null && !allowList.allows(use.chart().location())) {
        errors.add(
            at(
                use.source(),
                "chart source '"
                    + use.chart().location()
                    + "' is not allowed by the operator; add its repository to"
                    + " helm.allowedRepositories (FLEETWARDEN_HELM_ALLOWED_REPOSITORIES) or vendor"
                    + " the chart into the fleet repo"));
      } else if (lockMustCoverCharts && lock != null && lock.digestOf(use.chart()).isEmpty()) {
        errors.add(
            at(
                use.version(),
                use.chart()
                    + " is not in "
                    + ChartLock.FILE
                    + "; run `fleetwarden lock` and commit the file"));
      }
    }
  }

  private static FleetError at(FleetError where, String message) {
    return new FleetError(where.file(), where.line(), where.column(), message);
  }

  /**
   * A remote chart source: {@code repository} + {@code chart} + {@code version}, or {@code oci}.
   */
  private AddonSource remoteSource(YamlObject helm) {
    helm.allow("repository", "chart", "oci", "version");
    String version = helm.text("version", true);
    boolean oci = helm.doc().root().at(helm.path("oci")).isValueNode();
    ChartRef chart = null;
    String sourceKey;
    if (oci) {
      sourceKey = "oci";
      String ref = helm.text("oci", true);
      if (helm.doc().root().at(helm.path("repository")).isValueNode()
          || helm.doc().root().at(helm.path("chart")).isValueNode()) {
        helm.error(
            "oci",
            "an oci source names the chart in its reference (oci://HOST/PATH/CHART); remove"
                + " repository and chart");
        return null;
      }
      if (ref != null && checkUrl(helm, "oci", ref, true)) {
        chart = ChartRef.oci(ref, version == null ? "" : version);
        if (!chartName(helm, "oci", chart.chart())) {
          return null;
        }
      }
    } else {
      sourceKey = "repository";
      String repository = helm.text("repository", true);
      String name = helm.text("chart", true);
      if (repository != null && checkUrl(helm, "repository", repository, false)) {
        if (name != null && chartName(helm, "chart", name)) {
          chart = new ChartRef(repository, name, version == null ? "" : version);
        }
      }
    }
    if (version != null) {
      String problem = ChartVersion.problem(version);
      if (problem != null) {
        helm.error("version", problem);
        return null;
      }
    }
    if (chart == null || version == null) {
      return null;
    }
    chartUses.add(
        new ChartUse(
            chart,
            helm.doc().error(helm.path(sourceKey), ""),
            helm.doc().error(helm.path("version"), "")));
    return AddonSource.remote(chart);
  }

  private static boolean checkUrl(YamlObject at, String key, String url, boolean oci) {
    String lower = url.toLowerCase(java.util.Locale.ROOT);
    boolean schemeOk =
        oci
            ? lower.startsWith("oci://")
            : lower.startsWith("https://") || lower.startsWith("http://");
    if (!schemeOk) {
      at.error(
          key,
          oci
              ? "'" + url + "' is not an OCI reference; write oci://HOST/PATH/CHART"
              : lower.startsWith("oci://")
                  ? "an OCI registry goes under 'oci: oci://HOST/PATH/CHART', not 'repository'"
                  : "'"
                      + url
                      + "' is not a chart repository URL; write https://HOST/PATH (the folder"
                      + " holding index.yaml)");
      return false;
    }
    java.net.URI uri;
    try {
      uri = new java.net.URI(url);
    } catch (java.net.URISyntaxException e) {
      at.error(key, "'" + url + "' is not a valid URL: " + e.getReason());
      return false;
    }
    if (uri.getHost() == null
        || uri.getRawUserInfo() != null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      at.error(
          key,
          "'"
              + url
              + "' must be scheme://HOST/PATH without user, password, query or fragment;"
              + " credentials come from the operator's helm.credentialsFile, never the fleet repo");
      return false;
    }
    if (oci && (uri.getPath() == null || uri.getPath().replace("/", "").isEmpty())) {
      at.error(key, "'" + url + "' names no chart; write oci://HOST/PATH/CHART");
      return false;
    }
    return true;
  }

  private static boolean chartName(YamlObject at, String key, String name) {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}") || name.contains("..")) {
      at.error(
          key,
          "chart name '"
              + name
              + "' is not a chart name; use letters, digits, '.', '_' and '-' (as in its index)");
      return false;
    }
    return true;
  }

  /** Checks a version override and records the chart it makes the fleet name. */
  private String versionOverride(
      YamlObject at, String key, AddonSpec addon, String version, String layer) {
    if (addon.source() == null || !addon.source().remote()) {
      at.error(
          key,
          layer
              + " applies to add-ons whose chart comes from a repository or registry; add-on '"
              + addon.name()
              + (addon.source() == null ? "' has no source" : "' renders from the fleet repo"));
      return null;
    }
    String problem = ChartVersion.problem(version);
    if (problem != null) {
      at.error(key, problem);
      return null;
    }
    FleetError where = at.doc().error(at.path(key), "");
    chartUses.add(new ChartUse(addon.source().chart().withVersion(version), where, where));
    return version;
  }

  // ---------------------------------------------------------------- fleet.yaml

  private FleetSettings loadSettings() {
    YamlObject top = open("fleet.yaml", "Fleet");
    String name = "fleet";
    String kubeVersion = "1.30.0";
    Remediation remediation = Remediation.ALERT;
    List<FleetSettings.NotificationRoute> routes = new ArrayList<>();
    FleetSettings.PullRequestSettings prs = null;
    List<String> humanManagers = null;
    List<RiskRule> riskRules = null;
    if (top != null) {
      String metaName = top.object("metadata", true).allow("name").text("name", true);
      name = metaName == null ? name : metaName;
      YamlObject spec =
          top.object("spec", false).allow("defaults", "notifications", "pullRequests", "drift");
      YamlObject defaults = spec.object("defaults", false).allow("kubeVersion", "remediation");
      String kv = defaults.text("kubeVersion", false);
      kubeVersion = kv == null ? kubeVersion : kv;
      Remediation r = remediation(defaults);
      remediation = r == null ? remediation : r;
      YamlObject notifications = spec.object("notifications", false).allow("routes");
      for (YamlObject route : notifications.objectList("routes")) {
        route.allow("match", "channel", "mention");
        YamlObject match =
            route
                .object("match", false)
                .allow("environment", "clusterLabels", "addonOwner", "severity");
        routes.add(
            new FleetSettings.NotificationRoute(
                match.text("environment", false),
                match.stringMap("clusterLabels"),
                match.text("addonOwner", false),
                route.text("channel", true),
                route.text("mention", false),
                severity(match)));
      }
      YamlObject pr =
          spec.object("pullRequests", false).allow("repository", "baseBranch", "labels");
      if (pr.present()) {
        String base = pr.text("baseBranch", false);
        prs =
            new FleetSettings.PullRequestSettings(
                pr.text("repository", true), base == null ? "main" : base, pr.stringList("labels"));
      }
      YamlObject drift = spec.object("drift", false).allow("humanManagers", "risk");
      humanManagers = drift.stringList("humanManagers");
      riskRules = RiskRules.effective(drift.object("risk", false), errors);
    }
    return new FleetSettings(name, kubeVersion, remediation, routes, prs, humanManagers, riskRules);
  }

  // ---------------------------------------------------------------- addons

  private Map<String, AddonSpec> loadAddons() {
    Map<String, AddonSpec> addons = new TreeMap<>();
    for (Path dir : subdirectories("addons")) {
      String dirName = dir.getFileName().toString();
      String file = "addons/" + dirName + "/addon.yaml";
      if (!Files.isRegularFile(root.resolve(file))) {
        errors.add(
            new FleetError(
                "addons/" + dirName,
                0,
                0,
                "add-on directory without addon.yaml; add one or remove the directory"));
        continue;
      }
      YamlObject top = open(file, "Addon");
      if (top == null) {
        continue;
      }
      String name = checkName(top, dirName, "add-on directory");
      YamlObject spec =
          top.object("spec", true)
              .allow(
                  "owner",
                  "namespace",
                  "source",
                  "values",
                  "clusterSelector",
                  "drift",
                  "remediation");
      String namespace = spec.text("namespace", true);
      AddonSource source = source(spec, "addons/" + dirName);
      Values values = valuesAt(spec, "values");
      Map<String, String> selector = spec.stringMap("clusterSelector");
      if (name != null) {
        addons.put(
            name,
            new AddonSpec(
                name,
                file,
                spec.text("owner", false),
                namespace,
                source,
                values,
                selector,
                ignoreRules(spec),
                remediation(spec)));
      }
    }
    return addons;
  }

  private AddonSource source(YamlObject spec, String addonDir) {
    YamlObject source = spec.object("source", true).allow("helm", "manifests", "kustomize");
    if (!source.present() || !source.isObject()) {
      return null;
    }
    List<AddonSource> found = new ArrayList<>();
    String[][] kinds = {{"helm", "chart"}, {"manifests", "path"}, {"kustomize", "path"}};
    for (String[] k : kinds) {
      YamlObject s = source.object(k[0], false);
      if (!s.present()) {
        continue;
      }
      if (k[0].equals("helm") && s.isObject() && isRemote(s)) {
        AddonSource remote = remoteSource(s);
        if (remote != null) {
          found.add(remote);
        }
        continue;
      }
      if (k[0].equals("helm")) {
        s.allow("chart", "repository", "oci", "version");
        if (s.doc().root().at(s.path("version")).isValueNode()) {
          s.error(
              "version",
              "version applies to charts from a repository or registry; a chart directory of the"
                  + " fleet repo has the version of its Chart.yaml");
        }
      } else {
        s.allow(k[1]);
      }
      String rel = s.text(k[1], true);
      if (rel == null) {
        continue;
      }
      String resolved = insideRepo(s, k[1], addonDir, rel);
      if (resolved != null) {
        AddonSource.Type type =
            switch (k[0]) {
              case "helm" -> AddonSource.Type.HELM;
              case "manifests" -> AddonSource.Type.MANIFESTS;
              default -> AddonSource.Type.KUSTOMIZE;
            };
        found.add(new AddonSource(type, resolved));
      }
    }
    if (found.size() > 1) {
      source.error(null, "set exactly one of helm, manifests or kustomize");
    } else if (found.isEmpty() && !hasErrorsAt(source)) {
      source.error(
          null,
          "set one of helm: {chart: DIR}, helm: {repository: URL, chart: NAME, version: X.Y.Z},"
              + " helm: {oci: oci://HOST/PATH/CHART, version: X.Y.Z}, manifests: {path: DIR},"
              + " kustomize: {path: DIR}");
    }
    return found.isEmpty() ? null : found.get(0);
  }

  private static boolean isRemote(YamlObject helm) {
    var node = helm.doc().root().at(helm.pointer());
    return node.has("repository") || node.has("oci");
  }

  /**
   * Resolves a path relative to {@code baseDir}; reports paths that leave the repo or are absent.
   */
  private String insideRepo(YamlObject at, String key, String baseDir, String rel) {
    Path p = Path.of(rel);
    if (p.isAbsolute()) {
      at.error(key, "path '" + rel + "' is absolute; use a path relative to " + baseDir);
      return null;
    }
    Path resolved = root.resolve(baseDir).resolve(rel).normalize();
    if (!resolved.startsWith(root)) {
      at.error(
          key, "path '" + rel + "' leaves the fleet repo; keep charts and manifests inside it");
      return null;
    }
    if (!Files.isDirectory(resolved)) {
      at.error(key, "directory '" + rel + "' does not exist under " + baseDir);
      return null;
    }
    try {
      if (!resolved.toRealPath().startsWith(root.toRealPath())) {
        at.error(key, "path '" + rel + "' is a link that leaves the fleet repo");
        return null;
      }
    } catch (IOException e) {
      at.error(key, "cannot read '" + rel + "': " + e.getMessage());
      return null;
    }
    return root.relativize(resolved).toString().replace('\\', '/');
  }

  // ---------------------------------------------------------------- environments

  private Map<String, EnvironmentSpec> loadEnvironments(Map<String, AddonSpec> addons) {
    Map<String, EnvironmentSpec> envs = new TreeMap<>();
    for (Path f : yamlFiles("environments")) {
      String base = f.getFileName().toString().replaceFirst("\\.ya?ml$", "");
      String file = "environments/" + f.getFileName();
      YamlObject top = open(file, "Environment");
      if (top == null) {
        continue;
      }
      String name = checkName(top, base, "file name");
      YamlObject spec = top.object("spec", false).allow("labels", "values", "chartVersions");
      Map<String, String> labels = spec.stringMap("labels");
      Map<String, String> chartVersions = new TreeMap<>();
      YamlObject versions = spec.object("chartVersions", false);
      Map<String, String> declared = spec.stringMap("chartVersions");
      if (declared != null) {
        declared.forEach(
            (addon, version) -> {
              if (!addons.containsKey(addon)) {
                versions.error(addon, unknownAddon(addon, addons));
              } else {
                String v =
                    versionOverride(versions, addon, addons.get(addon), version, "chartVersions");
                if (v != null) {
                  chartVersions.put(addon, v);
                }
              }
            });
      }
      Map<String, Values> values = new LinkedHashMap<>();
      YamlObject vals = spec.object("values", false);
      if (vals.present() && vals.isObject()) {
        vals.doc()
            .root()
            .at(vals.pointer())
            .fieldNames()
            .forEachRemaining(
                addon -> {
                  if (!addons.containsKey(addon)) {
                    vals.error(addon, unknownAddon(addon, addons));
                  } else {
                    Values v = valuesAt(vals, addon);
                    values.put(addon, v);
                  }
                });
      }
      if (name != null) {
        envs.put(
            name,
            new EnvironmentSpec(
                name, file, labels == null ? Map.of() : labels, values, chartVersions));
      }
    }
    return envs;
  }

  // ---------------------------------------------------------------- clusters

  private Map<String, ClusterSpec> loadClusters(
      Map<String, AddonSpec> addons, Map<String, EnvironmentSpec> environments) {
    Map<String, ClusterSpec> clusters = new TreeMap<>();
    Map<String, String> definedIn = new HashMap<>();
    for (Path dir : subdirectories("clusters")) {
      String dirName = dir.getFileName().toString();
      String file = "clusters/" + dirName + "/cluster.yaml";
      if (!Files.isRegularFile(root.resolve(file))) {
        errors.add(
            new FleetError(
                "clusters/" + dirName,
                0,
                0,
                "cluster directory without cluster.yaml; add one or remove the directory"));
        continue;
      }
      YamlObject top = open(file, "Cluster");
      if (top == null) {
        continue;
      }
      YamlObject meta = top.object("metadata", true).allow("name", "labels");
      String name = meta.text("name", true);
      if (name != null && definedIn.containsKey(name)) {
        meta.error(
            "name",
            "duplicate cluster name '"
                + name
                + "', also defined in "
                + definedIn.get(name)
                + "; cluster names must be unique");
        continue;
      }
      if (name != null) {
        definedIn.put(name, file);
        if (!name.equals(dirName)) {
          meta.error(
              "name",
              "metadata.name '"
                  + name
                  + "' does not match directory 'clusters/"
                  + dirName
                  + "'; rename one of them");
        }
      }
      Map<String, String> labels = meta.stringMap("labels");
      YamlObject spec =
          top.object("spec", true)
              .allow(
                  "role",
                  "environment",
                  "kubeVersion",
                  "connection",
                  "infrastructure",
                  "addons",
                  "drift",
                  "remediation");
      ClusterSpec.Role role = null;
      String roleText = spec.text("role", true);
      if (roleText != null) {
        switch (roleText) {
          case "management" -> role = ClusterSpec.Role.MANAGEMENT;
          case "workload" -> role = ClusterSpec.Role.WORKLOAD;
          default ->
              spec.error("role", "role must be 'management' or 'workload', not '" + roleText + "'");
        }
      }
      String env = spec.text("environment", true);
      if (env != null && !environments.containsKey(env)) {
        spec.error(
            "environment",
            "unknown environment '"
                + env
                + "'; create environments/"
                + env
                + ".yaml or use one of "
                + environments.keySet());
      }
      Connection connection = connection(spec, name);
      YamlObject infra = spec.object("infrastructure", false);
      errors.addAll(InfrastructureInputs.check(top.doc(), infra.pointer()));
      List<ClusterAddon> clusterAddons = new ArrayList<>();
      Map<String, Integer> seenAddons = new HashMap<>();
      for (YamlObject entry : spec.objectList("addons")) {
        entry.allow("name", "enabled", "values", "chartVersion");
        String addon = entry.text("name", true);
        if (addon == null) {
          continue;
        }
        if (!addons.containsKey(addon)) {
          entry.error("name", unknownAddon(addon, addons));
          continue;
        }
        if (seenAddons.put(addon, entry.location().line()) != null) {
          entry.error("name", "add-on '" + addon + "' is listed twice; merge the two entries");
          continue;
        }
        Boolean enabled = entry.bool("enabled");
        String chartVersion = entry.text("chartVersion", false);
        if (chartVersion != null) {
          chartVersion =
              versionOverride(
                  entry, "chartVersion", addons.get(addon), chartVersion, "chartVersion");
        }
        clusterAddons.add(
            new ClusterAddon(
                addon,
                enabled == null || enabled,
                valuesAt(entry, "values"),
                entry.location().line(),
                chartVersion));
      }
      Map<String, Values> valuesFiles = clusterValuesFiles(dirName, addons);
      List<PatchFile> patches = patchFiles(dirName);
      List<IgnoreRule> ignore = ignoreRules(spec);
      Remediation remediation = remediation(spec);
      String kubeVersion = spec.text("kubeVersion", false);
      if (name == null || role == null || env == null || !environments.containsKey(env)) {
        continue;
      }
      Map<String, String> allLabels = new TreeMap<>(environments.get(env).labels());
      if (labels != null) {
        allLabels.putAll(labels);
      }
      clusters.put(
          name,
          new ClusterSpec(
              name,
              file,
              role,
              env,
              allLabels,
              kubeVersion,
              connection,
              infra.present() ? top.doc().root().at(infra.pointer()) : null,
              clusterAddons,
              valuesFiles,
              patches,
              ignore,
              remediation));
    }
    long managers =
        clusters.values().stream().filter(c -> c.role() == ClusterSpec.Role.MANAGEMENT).count();
    if (managers > 1) {
      errors.add(
          new FleetError(
              "clusters",
              0,
              0,
              "more than one cluster has role 'management'; a fleet has exactly one"));
    }
    boolean secretConnections =
        clusters.values().stream()
            .anyMatch(c -> c.connection().type() == Connection.Type.KUBECONFIG_SECRET);
    if (secretConnections && managers == 0) {
      errors.add(
          new FleetError(
              "clusters",
              0,
              0,
              "clusters connect through kubeconfig secrets but no cluster has role 'management'"));
    }
    return clusters;
  }

  private Connection connection(YamlObject spec, String cluster) {
    YamlObject c = spec.object("connection", false).allow("type", "context", "secretRef");
    if (!c.present()) {
      return Connection.context(cluster);
    }
    String typeText = c.text("type", true);
    if (typeText == null) {
      return Connection.context(cluster);
    }
    Connection.Type type = Connection.Type.parse(typeText);
    if (type == null) {
      c.error(
          "type",
          "connection type must be kubeconfig-context, kubeconfig-secret or in-cluster, not '"
              + typeText
              + "'");
      return Connection.context(cluster);
    }
    String context = c.text("context", false);
    YamlObject ref = c.object("secretRef", type == Connection.Type.KUBECONFIG_SECRET);
    ref.allow("namespace", "name", "key");
    if (type == Connection.Type.KUBECONFIG_SECRET) {
      String ns = ref.present() ? ref.text("namespace", false) : null;
      String n = ref.present() ? ref.text("name", false) : null;
      String k = ref.present() ? ref.text("key", false) : null;
      return new Connection(
          type,
          null,
          ns == null ? "default" : ns,
          n == null ? cluster + "-kubeconfig" : n,
          k == null ? "value" : k);
    }
    return new Connection(type, context == null ? cluster : context, null, null, null);
  }

  private Map<String, Values> clusterValuesFiles(String dirName, Map<String, AddonSpec> addons) {
    Map<String, Values> out = new TreeMap<>();
    for (Path f : yamlFiles("clusters/" + dirName + "/values")) {
      String addon = f.getFileName().toString().replaceFirst("\\.ya?ml$", "");
      String file = "clusters/" + dirName + "/values/" + f.getFileName();
      LocatedYaml.Document doc = parse(file);
      if (doc == null) {
        continue;
      }
      if (!addons.containsKey(addon)) {
        errors.add(
            new FleetError(
                file,
                1,
                1,
                "values file for unknown "
                    + unknownAddon(addon, addons).substring("unknown ".length())
                    + "; name the file after an add-on"));
        continue;
      }
      if (!doc.root().isObject()) {
        errors.add(doc.error("", "a values file must be a mapping of Helm values"));
        continue;
      }
      out.put(addon, new Values(file, doc.root(), doc.locations()));
    }
    return out;
  }

  private List<PatchFile> patchFiles(String dirName) {
    List<PatchFile> out = new ArrayList<>();
    for (Path f : yamlFiles("clusters/" + dirName + "/patches")) {
      String file = "clusters/" + dirName + "/patches/" + f.getFileName();
      YamlObject top = open(file, "Patch");
      if (top == null) {
        continue;
      }
      top.object("metadata", true).allow("name").text("name", true);
      YamlObject spec = top.object("spec", true).allow("target", "patch", "set");
      YamlObject target = spec.object("target", true).allow("group", "kind", "namespace", "name");
      String kind = target.text("kind", true);
      String name = target.text("name", true);
      YamlObject patch = spec.object("patch", false);
      YamlObject set = spec.object("set", false);
      boolean setOk = set.present() && set.isObject() && fieldPaths(set);
      if (spec.present() && spec.isObject() && !patch.present() && !set.present()) {
        spec.error(
            null,
            "a patch needs spec.patch (a JSON merge patch) or spec.set (field paths and their"
                + " values), or both");
      }
      boolean patchOk = patch.present() && patch.isObject();
      if (kind != null && name != null && (patchOk || setOk)) {
        out.add(
            new PatchFile(
                file,
                target.text("group", false),
                kind,
                target.text("namespace", false),
                name,
                patchOk ? top.doc().root().at(patch.pointer()) : null,
                (patchOk ? patch : set).location().line(),
                setOk ? top.doc().root().at(set.pointer()) : null));
      }
    }
    return out;
  }

  /**
   * Checks the keys of a patch's {@code set}: each a field path below the object's root in the
   * drift path syntax ({@code /spec/template/spec/containers/name=web/image}).
   */
  private boolean fieldPaths(YamlObject set) {
    boolean ok = true;
    for (var it = set.doc().root().at(set.pointer()).fieldNames(); it.hasNext(); ) {
      String path = it.next();
      if (!path.startsWith("/") || path.length() < 2 || path.contains("//")) {
        set.error(
            path,
            "'"
                + path
                + "' is not a field path; write it as a JSON pointer from the object's root,"
                + " naming list items by key: /spec/template/spec/containers/name=web/image");
        ok = false;
      }
    }
    return ok;
  }

  // ---------------------------------------------------------------- cross checks

  private void checkSelectors(
      Map<String, AddonSpec> addons,
      Map<String, ClusterSpec> clusters,
      Map<String, EnvironmentSpec> environments) {
    for (AddonSpec addon : addons.values()) {
      Map<String, String> selector = addon.clusterSelector();
      if (selector == null || selector.isEmpty() || clusters.isEmpty()) {
        continue;
      }
      boolean any =
          clusters.values().stream().anyMatch(c -> Fleet.matches(selector, c.selectorLabels()));
      if (!any) {
        LocatedYaml.Document doc = parse(addon.file());
        FleetError e =
            doc == null
                ? new FleetError(addon.file(), 0, 0, "")
                : doc.error("/spec/clusterSelector", "");
        errors.add(
            new FleetError(
                e.file(),
                e.line(),
                e.column(),
                "clusterSelector "
                    + selector
                    + " matches no cluster; fix the labels or remove the selector"));
      }
    }
  }

  // ---------------------------------------------------------------- shared readers

  private Values valuesAt(YamlObject parent, String key) {
    YamlObject v = parent.object(key, false);
    if (!v.present() || !v.isObject()) {
      return new Values(
          parent.doc().file(),
          com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
          Map.of());
    }
    return Values.subtree(parent.doc(), v.pointer());
  }

  private List<IgnoreRule> ignoreRules(YamlObject spec) {
    YamlObject drift = spec.object("drift", false).allow("ignore");
    List<IgnoreRule> rules = new ArrayList<>();
    for (YamlObject r : drift.objectList("ignore")) {
      r.allow("group", "kind", "namespace", "name", "pointers", "managers");
      String group = r.text("group", false);
      if (group != null && group.contains("/")) {
        r.error(
            "group",
            "'"
                + group
                + "' is an apiVersion; 'group' takes the API group alone (apps, not apps/v1;"
                + " \"\" for the core group)");
      }
      List<String> pointers = r.stringList("pointers");
      List<String> managers = r.stringList("managers");
      if ((pointers == null || pointers.isEmpty()) && (managers == null || managers.isEmpty())) {
        r.error(
            null, "an ignore rule needs 'pointers' (JSON pointers) or 'managers' (field managers)");
        continue;
      }
      if (pointers != null) {
        for (String p : pointers) {
          if (!p.startsWith("/")) {
            r.error("pointers", "'" + p + "' is not a JSON pointer; it must start with '/'");
          }
        }
      }
      rules.add(
          new IgnoreRule(
              group,
              r.text("kind", false),
              r.text("namespace", false),
              r.text("name", false),
              pointers,
              managers));
    }
    return rules;
  }

  /** A route's least severity: pending, drifted, missing or critical. */
  private static Severity severity(YamlObject match) {
    String text = match.text("severity", false);
    if (text == null) {
      return null;
    }
    for (Severity s : Severity.values()) {
      if (s != Severity.IN_SYNC && s != Severity.UNKNOWN && s.label().equals(text)) {
        return s;
      }
    }
    match.error(
        "severity",
        "severity must be pending, drifted, missing or critical (this one or worse), not '"
            + text
            + "'");
    return null;
  }

  private Remediation remediation(YamlObject spec) {
    String text = spec.text("remediation", false);
    if (text == null) {
      return null;
    }
    return Remediation.parse(text)
        .orElseGet(
            () -> {
              spec.error(
                  "remediation",
                  text.equals("apply")
                      ? "remediation 'apply' is not supported: fleetwarden never writes to a"
                          + " cluster; use alert or pull-request"
                      : "remediation must be alert or pull-request, not '" + text + "'");
              return null;
            });
  }

  private String checkName(YamlObject top, String expected, String what) {
    YamlObject meta = top.object("metadata", true).allow("name", "labels");
    String name = meta.text("name", true);
    if (name != null && !name.equals(expected)) {
      meta.error(
          "name",
          "metadata.name '"
              + name
              + "' does not match the "
              + what
              + " '"
              + expected
              + "'; rename one of them");
      return null;
    }
    return name;
  }

  private static String unknownAddon(String addon, Map<String, AddonSpec> addons) {
    return "unknown add-on '"
        + addon
        + "'; create addons/"
        + addon
        + "/addon.yaml or use one of "
        + addons.keySet();
  }

  /** Parses a file and checks apiVersion and kind; null when it could not be read. */
  private YamlObject open(String file, String kind) {
    LocatedYaml.Document doc = parse(file);
    if (doc == null) {
      return null;
    }
    if (!doc.root().isObject()) {
      errors.add(doc.error("", "expected a mapping with apiVersion, kind, metadata and spec"));
      return null;
    }
    YamlObject top = new YamlObject(doc, "", errors).allow(TOP_KEYS);
    String apiVersion = top.text("apiVersion", true);
    if (apiVersion != null && !API_VERSION.equals(apiVersion)) {
      top.error("apiVersion", "apiVersion must be " + API_VERSION + ", not '" + apiVersion + "'");
    }
    String actual = top.text("kind", true);
    if (actual != null && !kind.equals(actual)) {
      top.error("kind", "this file must have kind: " + kind + ", not '" + actual + "'");
    }
    return top;
  }

  private LocatedYaml.Document parse(String file) {
    try {
      return LocatedYaml.parse(file, RepoFiles.read(root, file));
    } catch (FleetValidationException e) {
      errors.addAll(e.errors());
    }
    return null;
  }

  private boolean hasErrorsAt(YamlObject o) {
    int line = o.location().line();
    return errors.stream().anyMatch(e -> e.file().equals(o.doc().file()) && e.line() >= line);
  }

  private List<Path> subdirectories(String rel) {
    Path dir = root.resolve(rel);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
    } catch (IOException e) {
      errors.add(new FleetError(rel, 0, 0, "cannot list: " + e.getMessage()));
      return List.of();
    }
  }

  private List<Path> yamlFiles(String rel) {
    Path dir = root.resolve(rel);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml$"))
          .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .sorted()
          .toList();
    } catch (IOException e) {
      errors.add(new FleetError(rel, 0, 0, "cannot list: " + e.getMessage()));
      return List.of();
    }
  }

  private static List<FleetError> sorted(List<FleetError> errors) {
    List<FleetError> copy = new ArrayList<>(new java.util.LinkedHashSet<>(errors));
    copy.sort(
        java.util.Comparator.comparing(FleetError::file)
            .thenComparingInt(FleetError::line)
            .thenComparingInt(FleetError::column));
    return copy;
  }
}

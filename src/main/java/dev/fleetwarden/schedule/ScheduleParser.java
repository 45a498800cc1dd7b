package dev.fleetwarden.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.fleet.FleetError;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.LocatedYaml;
import dev.fleetwarden.fleet.RepoFiles;
import dev.fleetwarden.model.JsonPointers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.quartz.CronExpression;

/**
 * Reads {@code kind: Schedule} files (one or more YAML documents per file). Pure apart from {@link
 * #parseDirectory(Path)}: every problem is collected, with file and line, before failing.
 */
public final class ScheduleParser {
  public static final String API_VERSION = "fleetwarden.dev/v1alpha1";
  public static final String KIND = "Schedule";

  private static final Set<String> TOP_KEYS = Set.of("apiVersion", "kind", "metadata", "spec");
  private static final Set<String> METADATA_KEYS = Set.of("name", "labels", "annotations");
  private static final Set<String> SPEC_KEYS =
      Set.of("task", "cron", "timeZone", "clusters", "misfirePolicy");
  private static final Set<String> CLUSTERS_KEYS = Set.of("names", "selector");
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private ScheduleParser() {}

  /**
   * Parses every {@code *.yaml} / {@code *.yml} file of a directory (not recursive), in name order.
   * File names in errors are {@code <directory name>/<file>}.
   */
  public static List<ScheduleSpec> parseDirectory(Path dir) throws ScheduleValidationException {
    if (!Files.isDirectory(dir)) {
      throw new ScheduleValidationException(
          List.of(
              new FleetError(
                  dir.toString(),
                  0,
                  0,
                  "schedule directory not found; create it or fix the path")));
    }
    Map<String, String> files = new LinkedHashMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p :
          list.filter(Files::isRegularFile)
              .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .sorted()
              .toList()) {
        String name = (dir.getFileName() == null ? "" : dir.getFileName() + "/") + p.getFileName();
        files.put(name, RepoFiles.readOperatorFile(p));
      }
    } catch (FleetValidationException e) {
      throw new ScheduleValidationException(e.errors());
    } catch (IOException e) {
      throw new ScheduleValidationException(
          List.of(new FleetError(dir.toString(), 0, 0, "cannot read: " + e.getMessage())));
    }
    return parseFiles(files);
  }

  /** Parses several files (name → content) and checks that schedule names are unique. */
  public static List<ScheduleSpec> parseFiles(Map<String, String> files)
      throws ScheduleValidationException {
    List<FleetError> errors = new ArrayList<>();
    List<ScheduleSpec> specs = new ArrayList<>();
    Map<String, ScheduleSpec> byName = new HashMap<>();
    for (Map.Entry<String, String> f : files.entrySet()) {
      List<LocatedYaml.Document> docs;
      try {
        docs = LocatedYaml.parseAll(f.getKey(), f.getValue());
      } catch (FleetValidationException e) {
        errors.addAll(e.errors());
        continue;
      }
      for (LocatedYaml.Document doc : docs) {
        ScheduleSpec spec = parseDocument(doc, errors);
        if (spec == null) {
          continue;
        }
        ScheduleSpec first = byName.putIfAbsent(spec.name(), spec);
        if (first != null) {
          errors.add(
              doc.error(
                  "/metadata/name",
                  "duplicate schedule name '"
                      + spec.name()
                      + "', first defined at "
                      + first.file()
                      + ":"
                      + first.line()
                      + "; rename one of them"));
        } else {
          specs.add(spec);
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new ScheduleValidationException(errors);
    }
    return specs;
  }

  /** Parses one file. */
  public static List<ScheduleSpec> parse(String file, String content)
      throws ScheduleValidationException {
    return parseFiles(Map.of(file, content));
  }

  private static ScheduleSpec parseDocument(LocatedYaml.Document doc, List<FleetError> errors) {
    int before = errors.size();
    JsonNode root = doc.root();
    if (!root.isObject()) {
      errors.add(
          doc.error("", "a schedule must be a mapping with apiVersion, kind, metadata, spec"));
      return null;
    }
    unknownKeys(doc, root, "", TOP_KEYS, errors);
    String apiVersion = root.path("apiVersion").asText(null);
    if (!API_VERSION.equals(apiVersion)) {
      errors.add(
          doc.error(
              root.has("apiVersion") ? "/apiVersion" : "",
              "apiVersion must be "
                  + API_VERSION
                  + (apiVersion == null ? "" : ", not " + apiVersion)));
    }
    String kind = root.path("kind").asText(null);
    if (!KIND.equals(kind)) {
      errors.add(
          doc.error(
              root.has("kind") ? "/kind" : "",
              "kind must be " + KIND + (kind == null ? "" : ", not " + kind)));
    }
    JsonNode metadata = root.path("metadata");
    unknownKeys(doc, metadata, "/metadata", METADATA_KEYS, errors);
    String name = metadata.path("name").isTextual() ? metadata.path("name").asText() : null;
    if (name == null || !NAME.matcher(name).matches()) {
      errors.add(
          doc.error(
              metadata.has("name") ? "/metadata/name" : "/metadata",
              "metadata.name must be a lower-case DNS label (a-z, 0-9, '-'), e.g. kubernetes-drift-prod"));
    }
    JsonNode spec = root.path("spec");
    if (!spec.isObject()) {
      errors.add(doc.error(root.has("spec") ? "/spec" : "", "spec is missing; add task and cron"));
      return null;
    }
    unknownKeys(doc, spec, "/spec", SPEC_KEYS, errors);

    Task task = null;
    String taskText = spec.path("task").asText(null);
    if (taskText == null) {
      errors.add(doc.error("/spec", "spec.task is missing; use one of " + Task.labels()));
    } else {
      task = Task.fromLabel(taskText).orElse(null);
      if (task == null) {
        errors.add(
            doc.error(
                "/spec/task", "unknown task '" + taskText + "'; use one of " + Task.labels()));
      }
    }

    String cron = spec.path("cron").isTextual() ? spec.path("cron").asText().trim() : null;
    if (cron == null) {
      errors.add(
          doc.error(
              spec.has("cron") ? "/spec/cron" : "/spec",
              "spec.cron is missing; write a Quartz cron expression such as \"0 */5 * * * ?\""));
    } else {
      try {
        CronExpression.validateExpression(cron);
      } catch (java.text.ParseException | RuntimeException e) {
        errors.add(
            doc.error(
                "/spec/cron",
                "invalid Quartz cron expression '"
                    + cron
                    + "': "
                    + e.getMessage()
                    + "; Quartz wants seconds first and '?' in day-of-month or day-of-week, e.g."
                    + " \"0 */5 * * * ?\""));
      }
    }

    ZoneId zone = ZoneId.of("UTC");
    if (spec.has("timeZone")) {
      String tz = spec.path("timeZone").asText("");
      try {
        zone = ZoneId.of(tz);
      } catch (DateTimeException e) {
        errors.add(
            doc.error(
                "/spec/timeZone",
                "unknown time zone '" + tz + "'; use an IANA name such as Europe/Berlin or UTC"));
      }
    }

    MisfirePolicy misfire = MisfirePolicy.FIRE_ONCE_NOW;
    if (spec.has("misfirePolicy")) {
      String p = spec.path("misfirePolicy").asText("");
      misfire = MisfirePolicy.fromLabel(p).orElse(null);
      if (misfire == null) {
        errors.add(
            doc.error(
                "/spec/misfirePolicy",
                "unknown misfire policy '" + p + "'; use one of " + MisfirePolicy.labels()));
      }
    }

    ClusterTarget target = ClusterTarget.ALL;
    if (spec.has("clusters")) {
      target = clusters(doc, spec.path("clusters"), errors);
      if (task != null && !task.perCluster()) {
        errors.add(
            doc.error(
                "/spec/clusters",
                task.label() + " runs fleet-wide, not per cluster; remove spec.clusters"));
      }
    }
    if (errors.size() > before) {
      return null;
    }
    return new ScheduleSpec(
        name, task, cron, zone, target, misfire, doc.file(), doc.lineOf("/metadata/name"));
  }

  private static ClusterTarget clusters(
      LocatedYaml.Document doc, JsonNode node, List<FleetError> errors) {
    if (!node.isObject()) {
      errors.add(
          doc.error("/spec/clusters", "spec.clusters must be {names: [...]} or {selector: {...}}"));
      return ClusterTarget.ALL;
    }
    unknownKeys(doc, node, "/spec/clusters", CLUSTERS_KEYS, errors);
    if (node.has("names") && node.has("selector")) {
      errors.add(
          doc.error("/spec/clusters", "use either clusters.names or clusters.selector, not both"));
    }
    List<String> names = new ArrayList<>();
    if (node.has("names")) {
      JsonNode list = node.get("names");
      if (!list.isArray() || list.isEmpty()) {
        errors.add(
            doc.error(
                "/spec/clusters/names",
                "clusters.names must be a non-empty list; omit spec.clusters for all clusters"));
      } else {
        for (int i = 0; i < list.size(); i++) {
          if (!list.get(i).isTextual() || list.get(i).asText().isBlank()) {
            errors.add(doc.error("/spec/clusters/names/" + i, "a cluster name must be a string"));
          } else {
            names.add(list.get(i).asText());
          }
        }
      }
    }
    Map<String, String> selector = new LinkedHashMap<>();
    if (node.has("selector")) {
      JsonNode sel = node.get("selector");
      if (!sel.isObject() || sel.isEmpty()) {
        errors.add(
            doc.error(
                "/spec/clusters/selector",
                "clusters.selector must be a non-empty map of labels, e.g. {environment: prod}"));
      } else {
        Iterator<Map.Entry<String, JsonNode>> it = sel.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          if (!e.getValue().isValueNode() || e.getValue().isNull()) {
            errors.add(
                doc.error(
                    "/spec/clusters/selector/" + JsonPointers.escape(e.getKey()),
                    "a selector value must be a string"));
          } else {
            selector.put(e.getKey(), e.getValue().asText());
          }
        }
      }
    }
    return new ClusterTarget(names, selector);
  }

  private static void unknownKeys(
      LocatedYaml.Document doc,
      JsonNode node,
      String pointer,
      Set<String> allowed,
      List<FleetError> errors) {
    if (!node.isObject()) {
      return;
    }
    Iterator<String> it = node.fieldNames();
    while (it.hasNext()) {
      String key = it.next();
      if (!allowed.contains(key)) {
        errors.add(
            doc.error(
                pointer + "/" + JsonPointers.escape(key),
                "unknown key '"
                    + key
                    + "'"
                    + (pointer.isEmpty() ? "" : " in " + pointer.substring(1).replace('/', '.'))
                    + "; allowed: "
                    + String.join(", ", new java.util.TreeSet<>(allowed))));
      }
    }
  }
}

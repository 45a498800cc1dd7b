package dev.fleetwarden.fleet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code fleet.lock}: the digest of the archive of every remote chart the fleet renders (its
 * sources, their per-cluster and per-environment versions, and the dependencies of those charts),
 * written by {@code fleetwarden lock}. When the file exists, an archive whose digest differs from
 * its entry is refused: a chart re-tagged under the same version is caught. Pure.
 */
public record ChartLock(List<Entry> entries) {
  /** The file's name at the root of the fleet repo. */
  public static final String FILE = "fleet.lock";

  public static final String KIND = "ChartLock";

  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  /** One locked chart: where it comes from, its exact version and its archive's digest. */
  public record Entry(String repository, String chart, String version, String digest) {
    public ChartRef ref() {
      return new ChartRef(repository, chart, version);
    }
  }

  public ChartLock {
    entries =
        entries.stream()
            .sorted(
                Comparator.comparing(Entry::repository)
                    .thenComparing(Entry::chart)
                    .thenComparing(Entry::version))
            .toList();
  }

  /** Whether a digest is written as the lock writes them: {@code sha256:} and 64 hex digits. */
  public static boolean isDigest(String digest) {
    return digest != null && DIGEST.matcher(digest).matches();
  }

  /** The locked digest of a chart, if the lock has it. */
  public Optional<String> digestOf(ChartRef ref) {
    return entries.stream().filter(e -> e.ref().equals(ref)).map(Entry::digest).findFirst();
  }

  /** Reads {@code fleet.lock}; every problem is reported with its line. */
  public static ChartLock parse(String content) throws FleetValidationException {
    LocatedYaml.Document doc = LocatedYaml.parse(FILE, content);
    List<FleetError> errors = new ArrayList<>();
    if (!doc.root().isObject()) {
      throw new FleetValidationException(
          doc.error(
              "", "expected a mapping with apiVersion, kind and charts; run `fleetwarden lock`"));
    }
    YamlObject top = new YamlObject(doc, "", errors).allow("apiVersion", "kind", "charts");
    String apiVersion = top.text("apiVersion", true);
    if (apiVersion != null && !FleetLoader.API_VERSION.equals(apiVersion)) {
      top.error("apiVersion", "apiVersion must be " + FleetLoader.API_VERSION);
    }
    String kind = top.text("kind", true);
    if (kind != null && !KIND.equals(kind)) {
      top.error("kind", "this file must have kind: " + KIND + ", not '" + kind + "'");
    }
    List<Entry> entries = new ArrayList<>();
    Map<ChartRef, Integer> seen = new HashMap<>();
    for (YamlObject item : top.objectList("charts")) {
      item.allow("repository", "chart", "version", "digest");
      String repository = item.text("repository", true);
      String chart = item.text("chart", true);
      String version = item.text("version", true);
      String digest = item.text("digest", true);
      if (digest != null && !isDigest(digest)) {
        item.error("digest", "digest must be sha256: and 64 lowercase hex digits");
        continue;
      }
      if (repository == null || chart == null || version == null || digest == null) {
        continue;
      }
      Entry e = new Entry(repository, chart, version, digest);
      if (seen.put(e.ref(), item.location().line()) != null) {
        item.error(null, e.ref() + " is locked twice; keep one entry (run `fleetwarden lock`)");
        continue;
      }
      entries.add(e);
    }
    if (!errors.isEmpty()) {
      throw new FleetValidationException(errors);
    }
    return new ChartLock(entries);
  }

  /** The file's text: deterministic, one entry per chart sorted by repository, chart, version. */
  public String format() {
    StringBuilder sb =
        new StringBuilder()
            .append("# Written by `fleetwarden lock`: the sha256 digest of the archive of every\n")
            .append("# remote chart this fleet renders. An archive whose digest differs from its\n")
            .append("# entry (a chart re-tagged under the same version) is refused. Commit it.\n")
            .append("apiVersion: ")
            .append(FleetLoader.API_VERSION)
            .append('\n')
            .append("kind: ")
            .append(KIND)
            .append('\n');
    if (entries.isEmpty()) {
      return sb.append("charts: []\n").toString();
    }
    sb.append("charts:\n");
    for (Entry e : entries) {
      sb.append("  - repository: ").append(quoted(e.repository())).append('\n');
      sb.append("    chart: ").append(quoted(e.chart())).append('\n');
      sb.append("    version: ").append(quoted(e.version())).append('\n');
      sb.append("    digest: ").append(e.digest()).append('\n');
    }
    return sb.toString();
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}

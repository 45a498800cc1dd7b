package dev.fleetwarden.charts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.fleet.ChartRef;
import dev.fleetwarden.fleet.ChartVersion;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.LocatedYaml;
import dev.fleetwarden.fleet.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The dependencies of an unpacked chart ({@code dependencies:} of {@code Chart.yaml}, or {@code
 * requirements.yaml} of an apiVersion v1 chart) that its archive does not already hold in {@code
 * charts/}: each must name its repository by URL (https://, http:// or oci://) and resolve to one
 * exact version, its own or the one {@code Chart.lock} pins. Conditions and tags are Helm's to
 * apply at render time: every dependency is fetched.
 */
final class ChartDependencies {
  /** A dependency to fetch into {@code charts/<name>/}. */
  record Needed(String name, ChartRef chart) {}

  private ChartDependencies() {}

  static List<Needed> needed(ChartRef parent, Path chartDir) throws ChartFetchException {
    JsonNode declared = declared(parent, chartDir);
    List<Needed> out = new ArrayList<>();
    for (JsonNode d : declared) {
      String name = d.path("name").asText("");
      if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}") || name.contains("..")) {
        throw new ChartFetchException(
            parent, parent.archiveName() + " declares a dependency without a valid name");
      }
      if (packaged(chartDir, name)) {
        continue;
      }
      String repository = d.path("repository").asText("").strip();
      String lower = repository.toLowerCase(Locale.ROOT);
      String what = parent.archiveName() + " depends on " + name;
      if (repository.isEmpty()) {
        throw new ChartFetchException(
            parent, what + ", which names no repository and is not in its charts/ folder");
      }
      if (repository.startsWith("@") || lower.startsWith("alias:")) {
        throw new ChartFetchException(
            parent,
            what
                + " from repository alias '"
                + repository
                + "'; fleetwarden has no `helm repo add` aliases: the chart must name the URL");
      }
      if (lower.startsWith("file://")) {
        throw new ChartFetchException(
            parent,
            what + " from a local path (" + repository + ") its archive does not hold in charts/");
      }
      if (!lower.startsWith("https://")
          && !lower.startsWith("http://")
          && !lower.startsWith("oci://")) {
        throw new ChartFetchException(
            parent, what + " from '" + repository + "', which is not a repository URL");
      }
      String version = version(parent, chartDir, name, repository, d.path("version").asText(""));
      out.add(new Needed(name, new ChartRef(repository, name, version)));
    }
    return out;
  }

  /** The declared dependencies: Chart.yaml's, else requirements.yaml's. */
  private static JsonNode declared(ChartRef parent, Path chartDir) throws ChartFetchException {
    JsonNode chart = yaml(parent, chartDir, "Chart.yaml");
    JsonNode deps = chart.path("dependencies");
    if ((!deps.isArray() || deps.isEmpty()) && exists(chartDir, "requirements.yaml")) {
      deps = yaml(parent, chartDir, "requirements.yaml").path("dependencies");
    }
    return deps.isArray() ? deps : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  private static String version(
      ChartRef parent, Path chartDir, String name, String repository, String declared)
      throws ChartFetchException {
    if (ChartVersion.isExact(declared)) {
      return declared;
    }
    for (String lock : List.of("Chart.lock", "requirements.lock")) {
      if (!exists(chartDir, lock)) {
        continue;
      }
      for (JsonNode d : yaml(parent, chartDir, lock).path("dependencies")) {
        if (name.equals(d.path("name").asText())
            && trim(repository).equals(trim(d.path("repository").asText("")))
            && ChartVersion.isExact(d.path("version").asText(""))) {
          return d.path("version").asText();
        }
      }
    }
    throw new ChartFetchException(
        parent,
        parent.archiveName()
            + " depends on "
            + name
            + " "
            + (declared.isEmpty() ? "without a version" : "'" + declared + "'")
            + " and no Chart.lock in the archive pins one version; fleetwarden renders exact"
            + " versions only");
  }

  /** Whether the archive already holds the dependency: charts/<name>/ or charts/<name>-*.tgz. */
  private static boolean packaged(Path chartDir, String name) throws ChartFetchException {
    Path charts = chartDir.resolve("charts");
    if (Files.isRegularFile(
        charts.resolve(name).resolve("Chart.yaml"), LinkOption.NOFOLLOW_LINKS)) {
      return true;
    }
    if (!Files.isDirectory(charts, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (Stream<Path> list = Files.list(charts)) {
      return list.map(p -> p.getFileName().toString())
          .anyMatch(f -> f.startsWith(name + "-") && f.endsWith(".tgz"));
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean exists(Path chartDir, String file) {
    return Files.isRegularFile(chartDir.resolve(file), LinkOption.NOFOLLOW_LINKS);
  }

  private static JsonNode yaml(ChartRef parent, Path chartDir, String file)
      throws ChartFetchException {
    try {
      return LocatedYaml.parse(file, RepoFiles.read(chartDir, file)).root();
    } catch (FleetValidationException e) {
      throw new ChartFetchException(
          parent,
          file + " of " + parent.archiveName() + " cannot be read: " + e.errors().get(0).message());
    }
  }

  private static String trim(String url) {
    String t = url.strip();
    while (t.endsWith("/")) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }
}

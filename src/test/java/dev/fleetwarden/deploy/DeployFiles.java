package dev.fleetwarden.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The files under {@code deploy/} and the chart rendered with helm-java, parsed into Jackson trees.
 * Tests run from the project root (Maven's basedir).
 */
final class DeployFiles {
  static final String RELEASE = "fleetwarden";
  static final String NAMESPACE = "fleetwarden";
  static final String KUBE_VERSION = "1.30.0";
  static final ObjectMapper YAML = new YAMLMapper();
  static final ObjectMapper JSON = new ObjectMapper();

  private static final Map<String, List<ObjectNode>> CACHE = new LinkedHashMap<>();

  private DeployFiles() {}

  /** The project's {@code deploy/} directory. */
  static Path deployDir() {
    Path dir = Path.of("deploy").toAbsolutePath();
    if (!Files.isDirectory(dir.resolve("chart"))) {
      throw new IllegalStateException(
          "deploy/chart not found under "
              + dir.getParent()
              + ": run the tests from the project root");
    }
    return dir;
  }

  static Path chartDir() {
    return deployDir().resolve("chart");
  }

  static Path clusteredValues() {
    return deployDir().resolve("values-clustered.yaml");
  }

  /** The two supported value sets: the chart's own defaults (one node) and the clustered one. */
  enum ValueSet {
    SINGLE_NODE,
    CLUSTERED;

    List<Path> files() {
      return this == SINGLE_NODE ? List.of() : List.of(clusteredValues());
    }
  }

  /** Renders a value set (cached: rendering loads the Helm native library). */
  static synchronized List<ObjectNode> render(ValueSet set) {
    return CACHE.computeIfAbsent(set.name(), k -> render(set.files(), Map.of()));
  }

  /** Renders the chart with extra values files (applied in order) and --set overrides. */
  static List<ObjectNode> render(List<Path> valuesFiles, Map<String, Object> sets) {
    return parseManifests(template(valuesFiles, sets));
  }

  static String template(List<Path> valuesFiles, Map<String, Object> sets) {
    TemplateCommand cmd =
        new Helm(chartDir())
            .template()
            .withName(RELEASE)
            .withNamespace(NAMESPACE)
            .withKubeVersion(KUBE_VERSION);
    for (Path f : valuesFiles) {
      cmd = cmd.withValuesFile(f);
    }
    for (Map.Entry<String, Object> e : sets.entrySet()) {
      cmd = cmd.set(e.getKey(), e.getValue());
    }
    return cmd.call();
  }

  /** Parses a multi-document YAML stream, dropping empty documents. */
  static List<ObjectNode> parseManifests(String yaml) {
    List<ObjectNode> out = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(yaml)) {
      var it = YAML.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && doc.isObject() && doc.size() > 0) {
          out.add((ObjectNode) doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("rendered chart is not valid YAML", e);
    }
    return out;
  }

  static List<ObjectNode> readYamlFile(Path file) {
    try {
      return parseManifests(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<ObjectNode> ofKind(List<ObjectNode> objects, String kind) {
    return objects.stream()
        .filter(o -> kind.equals(o.path("kind").asText()))
        .collect(Collectors.toList());
  }

  static ObjectNode single(List<ObjectNode> objects, String kind) {
    List<ObjectNode> found = ofKind(objects, kind);
    if (found.size() != 1) {
      throw new AssertionError(
          "expected exactly one " + kind + " in the rendered chart, found " + found.size());
    }
    return found.get(0);
  }

  static Optional<ObjectNode> optional(List<ObjectNode> objects, String kind) {
    List<ObjectNode> found = ofKind(objects, kind);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  static String id(JsonNode o) {
    return o.path("kind").asText()
        + "/"
        + o.path("metadata").path("namespace").asText("")
        + "/"
        + o.path("metadata").path("name").asText();
  }
}

package dev.fleetwarden.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.YamlStrings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes rendered objects as YAML (one object per document, {@code ---} before each, keys in
 * rendered order, no provenance; every string a YAML 1.1 reader would take for another type is
 * quoted, see {@link YamlStrings}, so {@code kubectl apply -f} reads back the same types) or JSON
 * (an array of objects), and as a directory tree: {@code
 * <out>/<cluster>/<Kind>-<namespace>-<name>.yaml}, one object per file, with {@code _} as the
 * namespace of cluster-scoped objects. A tree write removes stale {@code .yaml} files of the
 * clusters it writes; a failed cluster keeps its previous files and gets {@value #ERROR_FILE}.
 */
public final class RenderWriter {
  /** Written into a cluster's directory when its render failed. */
  public static final String ERROR_FILE = "RENDER-ERROR.txt";

  private static final YAMLMapper YAML =
      new YAMLMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              .stringQuotingChecker(YamlStrings.QUOTING)
              .build());
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RenderWriter() {}

  /** The objects as a YAML stream: {@code ---} then the object, for each object. */
  public static String toYaml(List<DesiredObject> objects) {
    StringBuilder sb = new StringBuilder();
    for (DesiredObject o : objects) {
      sb.append("---\n").append(toYaml(o.manifest()));
    }
    return sb.toString();
  }

  /** One object as YAML, without a document marker. */
  public static String toYaml(ObjectNode manifest) {
    try {
      return YAML.writeValueAsString(manifest);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an object cannot be written as YAML", e);
    }
  }

  /** The objects as a pretty-printed JSON array, with a final newline. */
  public static String toJson(List<DesiredObject> objects) {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    objects.forEach(o -> array.add(o.manifest()));
    try {
      return JSON.writeValueAsString(array) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("objects cannot be written as JSON", e);
    }
  }

  /**
   * File name of an object in a tree: {@code <Kind.group>-<namespace>-<name>.yaml} (the kind alone
   * for the core group), so that same-named kinds of two groups do not share a file.
   */
  public static String fileName(ResourceId id) {
    return safe(id.groupKind()) + "-" + safe(id.namespace()) + "-" + safe(id.name()) + ".yaml";
  }

  /**
   * Writes each cluster's objects under {@code outDir/<cluster>/}, one object per file, and removes
   * that directory's stale {@code .yaml} files. Unchanged files are not rewritten.
   */
  public static void writeTree(Path outDir, Map<String, ClusterRender> renders) throws IOException {
    for (Map.Entry<String, ClusterRender> e : renders.entrySet()) {
      Path dir = outDir.resolve(safe(e.getKey()));
      Files.createDirectories(dir);
      ClusterRender render = e.getValue();
      Path errorFile = dir.resolve(ERROR_FILE);
      if (render.failed()) {
        writeIfChanged(errorFile, render.error() + "\n");
        continue;
      }
      Files.deleteIfExists(errorFile);
      Set<String> written = new HashSet<>();
      for (DesiredObject o : render.objects()) {
        String name = fileName(o.id());
        written.add(name);
        writeIfChanged(dir.resolve(name), toYaml(o.manifest()));
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          String n = f.getFileName().toString();
          if (Files.isRegularFile(f) && n.endsWith(".yaml") && !written.contains(n)) {
            Files.delete(f);
          }
        }
      }
    }
  }

  private static void writeIfChanged(Path file, String content) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), bytes)) {
      return;
    }
    Files.write(file, bytes);
  }

  private static String safe(String segment) {
    return segment.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}

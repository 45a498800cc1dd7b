package dev.fleetwarden.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.fleetwarden.model.CompactNodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Live objects read from a directory of {@code kubectl get -o yaml} dumps instead of a cluster:
 * {@code DIR/<cluster>/*.yaml}, each file multi-document YAML or a {@code kind: List} (as kubectl
 * writes them). For offline analysis of real cluster output.
 */
public final class LiveDump {
  /** Dumps of whole clusters are large; fleet files keep their own, tighter limit. */
  private static final int MAX_FILE_CHARS = 512 * 1024 * 1024;

  private static final ObjectMapper YAML = newMapper();

  private final Path dir;

  public LiveDump(Path dir) {
    this.dir = dir;
  }

  /** Thrown when a cluster's dump cannot be read; the cluster's state is then unknown. */
  public static final class DumpException extends Exception {
    public DumpException(String message) {
      super(message);
    }
  }

  /** The live objects of one cluster, in file order. */
  public List<ObjectNode> read(String cluster) throws DumpException {
    Path clusterDir = dir.resolve(cluster);
    if (!Files.isDirectory(clusterDir)) {
      throw new DumpException(
          "no dump for this cluster: expected a directory " + clusterDir + " with *.yaml files");
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(clusterDir)) {
      files =
          s.filter(p -> p.getFileName().toString().matches(".*\\.(ya?ml|json)$")).sorted().toList();
    } catch (IOException e) {
      throw new DumpException("cannot list " + clusterDir + ": " + e.getMessage());
    }
    List<ObjectNode> objects = new ArrayList<>();
    for (Path f : files) {
      try (MappingIterator<JsonNode> docs =
          YAML.readerFor(JsonNode.class)
              .readValues(Files.newBufferedReader(f, StandardCharsets.UTF_8))) {
        while (docs.hasNextValue()) {
          collect(docs.nextValue(), objects);
        }
      } catch (IOException | RuntimeException e) {
        throw new DumpException("cannot read " + f + ": " + firstLine(e.getMessage()));
      }
    }
    return objects;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static ObjectMapper newMapper() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_FILE_CHARS);
    options.setMaxAliasesForCollections(50);
    return new ObjectMapper(YAMLFactory.builder().loaderOptions(options).build())
        .setNodeFactory(CompactNodes.DEFAULT);
  }

  private static void collect(JsonNode node, List<ObjectNode> out) {
    if (!node.isObject()) {
      return;
    }
    String kind = node.path("kind").asText();
    if (kind.endsWith("List") && node.path("items").isArray()) {
      String itemKind = kind.substring(0, kind.length() - "List".length());
      for (JsonNode item : node.path("items")) {
        if (item.isObject()) {
          ObjectNode o = (ObjectNode) item;
          // `kubectl get deploy -o yaml` on a typed list may omit kind/apiVersion on items; the
          // list's apiVersion is the items' (their group is part of their id).
          if (!itemKind.isEmpty()) {
            if (!o.has("kind")) {
              o.put("kind", itemKind);
            }
            if (!o.has("apiVersion") && node.hasNonNull("apiVersion")) {
              o.put("apiVersion", node.path("apiVersion").asText());
            }
          }
          collect(o, out);
        }
      }
    } else if (node.has("kind") && node.has("metadata")) {
      out.add((ObjectNode) node);
    }
  }
}

package dev.fleetwarden.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.terraform.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every object of one embedded cluster, as its server held them, saved to {@code
 * <dir>/<cluster>.json} so that a restart brings the cluster back as it was (live edits included).
 * The file is fleetwarden's own, in its private work directory: written whole to a temporary file
 * beside it, then moved over the old one, so a crash leaves the old or the new one, never half.
 *
 * @param cluster the cluster's name
 * @param port the port its server listened on (reused on restore when free)
 * @param objects the objects, namespaces and CRDs first
 */
record ClusterSnapshot(String cluster, int port, List<ObjectNode> objects) {
  static final String KIND = "EmbeddedClusterState";
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  ClusterSnapshot {
    objects = sorted(objects);
  }

  /** The file a cluster's snapshot lives in. */
  static Path file(Path dir, String cluster) {
    if (!SAFE_NAME.matcher(cluster).matches() || cluster.contains("..")) {
      throw new IllegalArgumentException(
          "cannot save embedded cluster " + cluster + ": its name is not a safe file name");
    }
    return dir.resolve(cluster + ".json");
  }

  /** The saved snapshot of a cluster, if there is one. */
  static Optional<ClusterSnapshot> read(Path dir, String cluster) {
    Path file = file(dir, cluster);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode doc = JSON.readTree(file.toFile());
      if (!KIND.equals(doc.path("kind").asText()) || !doc.path("objects").isArray()) {
        throw new IllegalStateException(
            file + " is not a saved embedded cluster; delete it to start that cluster afresh");
      }
      List<ObjectNode> objects = new ArrayList<>();
      for (JsonNode o : doc.get("objects")) {
        if (o instanceof ObjectNode object) {
          objects.add(object);
        }
      }
      return Optional.of(new ClusterSnapshot(cluster, doc.path("port").asInt(0), objects));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the saved embedded cluster "
              + file
              + "; delete it to start that cluster from the desired state",
          e);
    }
  }

  /** Writes the snapshot atomically (temporary file, then a move over the old one). */
  void write(Path dir) {
    Path file = file(dir, cluster);
    ObjectNode doc = JsonNodeFactory.instance.objectNode();
    doc.put("kind", KIND);
    doc.put("cluster", cluster);
    doc.put("port", port);
    ArrayNode list = doc.putArray("objects");
    objects.forEach(list::add);
    Path tmp = null;
    try {
      PrivateFiles.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + cluster + "-", ".tmp");
      PrivateFiles.restrict(tmp);
      JSON.writeValue(tmp.toFile(), doc);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save embedded cluster " + cluster + " to " + file, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          // Already moved, or unreachable: nothing more to do.
        }
      }
    }
  }

  /** Namespaces, then CRDs, then the rest, each by apiVersion, kind, namespace and name. */
  private static List<ObjectNode> sorted(List<ObjectNode> objects) {
    List<ObjectNode> out = new ArrayList<>(objects);
    out.sort(
        Comparator.comparingInt(ClusterSnapshot::rank)
            .thenComparing(o -> o.path("apiVersion").asText())
            .thenComparing(o -> o.path("kind").asText())
            .thenComparing(o -> o.path("metadata").path("namespace").asText())
            .thenComparing(o -> o.path("metadata").path("name").asText()));
    return List.copyOf(out);
  }

  private static int rank(ObjectNode o) {
    String kind = o.path("kind").asText();
    if (kind.equals("Namespace") && o.path("apiVersion").asText().equals("v1")) {
      return 0;
    }
    return kind.equals("CustomResourceDefinition") ? 1 : 2;
  }
}

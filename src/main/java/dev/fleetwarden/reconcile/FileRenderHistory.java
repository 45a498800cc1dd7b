package dev.fleetwarden.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.model.ResourceId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * Previous renders kept as one JSON file per cluster ({@code <dir>/<cluster>.json}), for the CLI.
 * Writes go through a temp file and an atomic move so a crash never leaves half a file.
 */
public final class FileRenderHistory implements RenderHistory {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;

  public FileRenderHistory(Path dir) {
    this.dir = dir;
  }

  @Override
  public Set<ResourceId> previous(String cluster) {
    Path file = dir.resolve(cluster + ".json");
    Set<ResourceId> ids = new TreeSet<>();
    if (!Files.isRegularFile(file)) {
      return ids;
    }
    try {
      JsonNode root = JSON.readTree(file.toFile());
      for (JsonNode id : root.path("objects")) {
        // Files written before ids carried the API group name built-in kinds without it.
        ids.add(ResourceId.parseLegacy(id.asText()));
      }
      return ids;
    } catch (IOException | IllegalArgumentException e) {
      // A damaged history only costs orphan detection for one scan; it must not stop the diff.
      return ids;
    }
  }

  @Override
  public void save(String cluster, String revision, Collection<ResourceId> ids) {
    ObjectNode root = JSON.createObjectNode();
    root.put("cluster", cluster);
    root.put("revision", revision);
    ArrayNode objects = root.putArray("objects");
    new TreeSet<>(ids).forEach(id -> objects.add(id.toString()));
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, cluster, ".tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
      Files.move(
          tmp,
          dir.resolve(cluster + ".json"),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save render history in " + dir, e);
    }
  }
}

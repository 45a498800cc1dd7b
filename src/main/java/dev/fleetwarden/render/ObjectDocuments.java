package dev.fleetwarden.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Turns parsed YAML documents into objects: {@code kind: List} is expanded, non-objects rejected.
 */
final class ObjectDocuments {
  private ObjectDocuments() {}

  static void add(JsonNode root, String source, String addon, int line, List<RenderedDocument> out)
      throws RenderException {
    if (!root.isObject()) {
      throw new RenderException(
          addon,
          source,
          line,
          "a document is not a Kubernetes object (a mapping with apiVersion, kind and metadata)");
    }
    if ("List".equals(root.path("kind").asText()) && root.path("items").isArray()) {
      for (JsonNode item : root.path("items")) {
        add(item, source, addon, line, out);
      }
      return;
    }
    if (root.path("kind").asText().isEmpty()
        || root.path("metadata").path("name").asText().isEmpty()) {
      throw new RenderException(
          addon,
          source,
          line,
          "an object without kind or metadata.name; every rendered object needs both");
    }
    out.add(new RenderedDocument((ObjectNode) root, source, line));
  }
}

package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Removes {@value #ANNOTATION} from an object before it is compared. The annotation is a copy of
 * the whole object as last applied by {@code kubectl apply} (a Secret's plaintext {@code
 * stringData} included), never meaningful as desired state; removed rather than skipped, it cannot
 * be reported as part of a larger value (say when desired {@code metadata.annotations} is not a
 * map).
 */
final class LastApplied {
  static final String ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";

  private LastApplied() {}

  /**
   * Whether comparing with {@code desired} would look at a live object's annotation: only when Git
   * sets {@code metadata.annotations} to something other than a map (the comparison walks the
   * fields Git sets, and Git's own copy of the annotation is stripped). Otherwise the live object
   * need not be copied without it.
   */
  static boolean visited(JsonNode desired) {
    JsonNode annotations = desired.path("metadata").get("annotations");
    return annotations != null && !annotations.isObject();
  }

  /**
   * The object without the annotation: the object itself when it has none, else a copy that shares
   * every subtree except the three nodes on the path to the annotation (the input is not changed).
   */
  static JsonNode strip(JsonNode object) {
    JsonNode metadata = object == null ? null : object.get("metadata");
    JsonNode annotations = metadata == null ? null : metadata.get("annotations");
    if (!(annotations instanceof ObjectNode a) || !a.has(ANNOTATION)) {
      return object;
    }
    ObjectNode strippedAnnotations = a.objectNode();
    a.fields()
        .forEachRemaining(
            e -> {
              if (!e.getKey().equals(ANNOTATION)) {
                strippedAnnotations.set(e.getKey(), e.getValue());
              }
            });
    ObjectNode strippedMetadata = copyShallow((ObjectNode) metadata);
    strippedMetadata.set("annotations", strippedAnnotations);
    ObjectNode stripped = copyShallow((ObjectNode) object);
    stripped.set("metadata", strippedMetadata);
    return stripped;
  }

  /** A new node with the same fields in the same order, the values shared. */
  private static ObjectNode copyShallow(ObjectNode node) {
    ObjectNode copy = node.objectNode();
    node.fields().forEachRemaining(e -> copy.set(e.getKey(), e.getValue()));
    return copy;
  }
}

package dev.fleetwarden.fleet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A per-cluster patch ({@code clusters/<name>/patches/*.yaml}) applied after rendering to the one
 * object named by {@code target} (kind, namespace, name, and the API group when the kind alone is
 * ambiguous; null matches any group, {@code ""} is the core group), in two forms that may be
 * combined:
 *
 * <ul>
 *   <li>{@code patch}: a JSON merge patch (RFC 7386); lists in it replace the rendered list whole;
 *   <li>{@code set}: field paths in the drift path syntax, each mapped to the value it gets ({@code
 *       /spec/template/spec/containers/name=web/image: web:1.2}); list items are named by their key
 *       (or index in lists without one), so nothing else of the item is copied; null removes the
 *       field. Applied after {@code patch}.
 * </ul>
 *
 * @param patch the merge patch, or null
 * @param line the line of {@code spec.patch} (of {@code spec.set} when there is no merge patch)
 * @param set the {@code set} mapping as written (path to value), or null
 */
public record PatchFile(
    String file,
    String group,
    String kind,
    String namespace,
    String name,
    JsonNode patch,
    int line,
    JsonNode set) {}

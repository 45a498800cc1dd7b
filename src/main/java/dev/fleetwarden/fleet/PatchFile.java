package dev.fleetwarden.fleet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A per-cluster patch ({@code clusters/<name>/patches/*.yaml}) applied after rendering: a JSON
 * merge patch (RFC 7386) for the one object named by {@code target} (kind, namespace, name, and the
 * API group when the kind alone is ambiguous; null matches any group, {@code ""} is the core
 * group).
 */
public record PatchFile(
    String file,
    String group,
    String kind,
    String namespace,
    String name,
    JsonNode patch,
    int line) {}

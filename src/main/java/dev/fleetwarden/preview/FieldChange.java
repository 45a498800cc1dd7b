package dev.fleetwarden.preview;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One field whose desired value a change modifies: its path in the object (JSON pointer; items of
 * lists keyed by name as {@code name=web}), the value before and after (null when absent; keyed
 * hashes for Secret data).
 */
public record FieldChange(String path, JsonNode before, JsonNode after) {}

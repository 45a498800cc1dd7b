package dev.fleetwarden.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where a rendered object came from: its add-on, the repo-relative source file (template, manifest
 * or kustomization), and for fields whose value was set by a values file, the file and line that
 * set it, keyed by the JSON pointer of the field in the rendered object.
 */
public record Provenance(String addon, String sourceFile, Map<String, ValueOrigin> fieldOrigins) {
  public Provenance {
    fieldOrigins = java.util.Collections.unmodifiableMap(new TreeMap<>(fieldOrigins));
  }

  public Provenance(String addon, String sourceFile) {
    this(addon, sourceFile, Map.of());
  }

  /** The origin of a rendered field, or null when no values file set it. */
  public ValueOrigin originOf(String pointer) {
    return fieldOrigins.get(pointer);
  }
}

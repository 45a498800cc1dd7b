package dev.fleetwarden.render;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One object produced by an add-on source, before post-processing: the manifest (owned by the
 * caller, may be mutated), the repo-relative file it came from and the 1-based line its document
 * starts at (0 when unknown).
 */
public record RenderedDocument(ObjectNode manifest, String sourceFile, int line) {
  public RenderedDocument(ObjectNode manifest, String sourceFile) {
    this(manifest, sourceFile, 0);
  }
}

package dev.fleetwarden.render;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One object produced by an add-on source, before post-processing: the manifest (owned by the
 * caller, may be mutated) and the repo-relative file it came from.
 */
public record RenderedDocument(ObjectNode manifest, String sourceFile) {}

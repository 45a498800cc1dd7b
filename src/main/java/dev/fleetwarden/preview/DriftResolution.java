package dev.fleetwarden.preview;

import dev.fleetwarden.model.ResourceId;

/**
 * Drift open today that the change adopts: the head's desired state equals the live value of the
 * field ({@code path}), or for a whole object ({@code path} {@code ""}) the head no longer wants an
 * object that is gone live, or now wants one that is live as it is.
 */
public record DriftResolution(ResourceId resource, String path) {}

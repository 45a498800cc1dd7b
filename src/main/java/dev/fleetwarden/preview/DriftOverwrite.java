package dev.fleetwarden.preview;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.model.ResourceId;
import java.time.Instant;

/**
 * A live field that differs from the desired state today and that merging the change would set
 * again: the object is applied anew with {@code desired}, reverting {@code live}, which {@code
 * manager} wrote at {@code time} (both null when the cluster does not say).
 */
public record DriftOverwrite(
    ResourceId resource,
    String path,
    JsonNode desired,
    JsonNode live,
    String manager,
    Instant time) {}

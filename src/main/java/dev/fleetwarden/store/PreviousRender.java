package dev.fleetwarden.store;

import dev.fleetwarden.model.ResourceId;
import java.time.Instant;
import java.util.Set;

/** The resources a cluster's last successful render produced, and the revision it rendered. */
public record PreviousRender(
    String cluster, String revision, Set<ResourceId> resources, Instant savedAt) {
  public PreviousRender {
    resources = Set.copyOf(resources);
  }
}

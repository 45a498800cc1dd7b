package dev.fleetwarden.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One Kubernetes object of a cluster's desired state, as rendered from the fleet repo. The manifest
 * is owned by this record: callers must not mutate it.
 */
public record DesiredObject(ResourceId id, ObjectNode manifest, Provenance provenance) {
  public String apiVersion() {
    return manifest.path("apiVersion").asText();
  }

  public String addon() {
    return provenance.addon();
  }
}

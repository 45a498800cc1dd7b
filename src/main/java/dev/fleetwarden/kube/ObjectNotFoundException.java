package dev.fleetwarden.kube;

import dev.fleetwarden.model.ResourceId;

/** An object expected in a cluster is not there. */
public class ObjectNotFoundException extends RuntimeException {
  private final ResourceId resource;

  public ObjectNotFoundException(ResourceId resource, String hint) {
    super(resource + " does not exist" + (hint == null ? "" : "; " + hint));
    this.resource = resource;
  }

  public ResourceId resource() {
    return resource;
  }
}

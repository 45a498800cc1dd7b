package dev.fleetwarden.preview;

import dev.fleetwarden.model.ResourceId;
import java.util.List;

/**
 * One object (or Terraform resource, {@code cluster/terraform/address}) whose desired state a
 * change adds, removes or modifies; the fields only for modified ones.
 */
public record ObjectChange(ResourceId resource, Change change, List<FieldChange> fields) {
  public ObjectChange {
    fields = fields == null ? List.of() : List.copyOf(fields);
  }
}

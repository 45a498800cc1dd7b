package dev.fleetwarden.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The difference found for one object or Terraform resource. {@code file} is the repo-relative
 * fleet file that produced the desired object (null for orphans and unknown origins).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObjectDrift(
    ResourceId resource,
    String addon,
    DriftSource source,
    DriftType type,
    String file,
    List<FieldDrift> fields) {

  public ObjectDrift {
    fields = fields == null ? List.of() : List.copyOf(fields);
  }

  public Severity severity() {
    return type.severity();
  }
}

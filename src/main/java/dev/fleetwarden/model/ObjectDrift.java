package dev.fleetwarden.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The difference found for one object or Terraform resource. {@code file} is the repo-relative
 * fleet file that produced the desired object (null for orphans and unknown origins). {@code risk}
 * lists the risk rules the drift matched (empty for most drift): any makes it {@link
 * Severity#CRITICAL}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObjectDrift(
    ResourceId resource,
    String addon,
    DriftSource source,
    DriftType type,
    String file,
    List<FieldDrift> fields,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Risk> risk) {

  public ObjectDrift {
    fields = fields == null ? List.of() : List.copyOf(fields);
    risk = risk == null ? List.of() : List.copyOf(risk);
  }

  /** A drift no risk rule has looked at yet. */
  public ObjectDrift(
      ResourceId resource,
      String addon,
      DriftSource source,
      DriftType type,
      String file,
      List<FieldDrift> fields) {
    this(resource, addon, source, type, file, fields, List.of());
  }

  /** The same drift with the risks found in it (replacing any found before). */
  public ObjectDrift withRisk(List<Risk> found) {
    return new ObjectDrift(resource, addon, source, type, file, fields, found);
  }

  /** Critical when a risk rule matched, else what the type says. */
  @JsonProperty(value = "severity", access = JsonProperty.Access.READ_ONLY)
  public Severity severity() {
    return risk.isEmpty() ? type.severity() : Severity.CRITICAL;
  }
}

package dev.fleetwarden.remediate;

import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.IgnoreRule;
import dev.fleetwarden.model.ResourceId;
import java.util.List;

/**
 * The drift engine's ignore matching, asked about a recorded drifted field: whether {@code rules}
 * (an add-on's {@code drift.ignore}) would keep that field of that object out of the report. The
 * remediation stage proposes ignore rules and checks them with the very matching the next scan will
 * use; the wiring supplies it (the stages do not import each other). Pure: no I/O.
 */
@FunctionalInterface
public interface IgnoreCheck {
  /**
   * @param rules the ignore rules in force for the object's add-on
   * @param id the drifted object
   * @param field one recorded drifted field (its drift path and field manager)
   * @return true when one of the rules ignores the field
   */
  boolean ignores(List<IgnoreRule> rules, ResourceId id, FieldDrift field);
}

package dev.fleetwarden.drift;

import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.IgnoreRule;
import dev.fleetwarden.model.ResourceId;
import java.util.List;

/**
 * Ignore rules asked about one drifted field as recorded (its drift path and field manager), with
 * the matching the diff uses. Without the desired object a rule's list segment selects an element
 * by the path's own key or index only ({@code name=web}, {@code *}), which is how a rule written
 * from a drift path reads it. Pure.
 */
public final class IgnoreRules {
  private IgnoreRules() {}

  /** Whether one of {@code rules} ignores {@code field} of object {@code id}. */
  public static boolean ignores(List<IgnoreRule> rules, ResourceId id, FieldDrift field) {
    return IgnoreMatcher.forObject(id, rules).ignores(field.path(), field.manager(), null);
  }
}

package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One rule that declares a desired value and a live value the same although they are written
 * differently (a quantity in other units, a number written as a string, a server default the live
 * object leaves out). Normalizers only ever remove false positives: they are consulted when the
 * values are not plainly equal.
 */
interface Normalizer {
  /**
   * Whether {@code desired} and {@code live} mean the same at {@code path}.
   *
   * @param path the field being compared
   * @param desired the desired value (never null)
   * @param live the live value, or null when the live object lacks the field
   * @param desiredParent the desired object holding the field, for defaults that depend on a
   *     sibling (may be null)
   */
  boolean same(FieldPath path, JsonNode desired, JsonNode live, JsonNode desiredParent);
}

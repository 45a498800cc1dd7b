package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Desired {@code {}}, {@code []}, {@code null} or {@code ""}, or a zero value ({@code 0}, {@code
 * false}), against a field the live object lacks is not drift: the API server drops empty and zero
 * values of fields marked {@code omitempty} (Go's zero values), so Git writing one is in sync with
 * the server storing nothing. A change away from the zero value still shows: the live object then
 * holds the field.
 */
final class EmptyValueNormalizer implements Normalizer {
  @Override
  public boolean same(FieldPath path, JsonNode desired, JsonNode live, JsonNode desiredParent) {
    return (live == null || live.isNull()) && (isEmpty(desired) || isZero(desired));
  }

  /** {@code 0} (any numeric spelling) or {@code false}. */
  static boolean isZero(JsonNode value) {
    return value != null
        && ((value.isNumber() && value.decimalValue().signum() == 0)
            || (value.isBoolean() && !value.booleanValue()));
  }

  static boolean isEmpty(JsonNode value) {
    return value == null
        || value.isNull()
        || value.isMissingNode()
        || (value.isContainerNode() && value.isEmpty())
        || (value.isTextual() && value.textValue().isEmpty());
  }
}

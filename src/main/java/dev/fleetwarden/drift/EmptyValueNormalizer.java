package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Desired {@code {}}, {@code []}, {@code null} or {@code ""} against a field the live object lacks
 * is not drift: the API server drops empty values (Go's {@code omitempty}).
 */
final class EmptyValueNormalizer implements Normalizer {
  @Override
  public boolean same(FieldPath path, JsonNode desired, JsonNode live, JsonNode desiredParent) {
    return (live == null || live.isNull()) && isEmpty(desired);
  }

  static boolean isEmpty(JsonNode value) {
    return value == null
        || value.isNull()
        || value.isMissingNode()
        || (value.isContainerNode() && value.isEmpty())
        || (value.isTextual() && value.textValue().isEmpty());
  }
}

package dev.fleetwarden.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.model.Reflected;

/** How values print in text and markdown reports: capped, still to be escaped for the sink. */
final class Values {
  private Values() {}

  static String show(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "(absent)";
    }
    String s = value.isTextual() ? value.asText() : value.toString();
    return Reflected.cap(s, Reflected.VALUE);
  }
}

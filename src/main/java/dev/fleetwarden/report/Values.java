package dev.fleetwarden.report;

import com.fasterxml.jackson.databind.JsonNode;

/** How values print in text and markdown reports. */
final class Values {
  private static final int MAX = 120;

  private Values() {}

  static String show(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "(absent)";
    }
    String s = value.isTextual() ? value.asText() : value.toString();
    return s.length() > MAX ? s.substring(0, MAX - 1) + "…" : s;
  }
}

package dev.fleetwarden.terraform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetwarden.terraform.TerraformRunner.PlannedChange;

/**
 * One line of Terraform's machine-readable output ({@code -json}): the text a person should read in
 * the log, whether it is a warning or an error, and the planned change it announces, if any. A line
 * that is not JSON (Terraform prints some errors before switching to JSON) is kept as it is.
 */
record UiLine(String text, boolean warning, PlannedChange planned) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static UiLine parse(String line) {
    String trimmed = line.trim();
    if (!trimmed.startsWith("{")) {
      return new UiLine(line, false, null);
    }
    JsonNode msg;
    try {
      msg = JSON.readTree(trimmed);
    } catch (JsonProcessingException e) {
      return new UiLine(line, false, null);
    }
    String level = msg.path("@level").asText("info");
    boolean warning = level.equals("error") || level.equals("warn");
    String text = msg.path("@message").asText(line);
    JsonNode diagnostic = msg.path("diagnostic");
    if (diagnostic.isObject()) {
      StringBuilder b = new StringBuilder(text);
      String detail = diagnostic.path("detail").asText("");
      if (!detail.isBlank()) {
        b.append(": ").append(detail.strip().replace('\n', ' '));
      }
      JsonNode range = diagnostic.path("range");
      if (range.has("filename")) {
        b.append(" (")
            .append(range.path("filename").asText())
            .append(" line ")
            .append(range.path("start").path("line").asInt())
            .append(')');
      }
      text = b.toString();
    }
    PlannedChange planned = null;
    if ("planned_change".equals(msg.path("type").asText())) {
      JsonNode change = msg.path("change");
      String address = change.path("resource").path("addr").asText("");
      if (!address.isEmpty()) {
        planned = new PlannedChange(address, change.path("action").asText(""));
      }
    }
    return new UiLine(text, warning, planned);
  }
}

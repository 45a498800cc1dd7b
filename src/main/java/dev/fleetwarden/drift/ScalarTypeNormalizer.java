package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/**
 * Numbers and booleans written as strings, where Kubernetes accepts both: {@code targetPort: 8080}
 * is {@code "8080"}, {@code 1} is {@code 1.0}, {@code true} is {@code "true"}.
 */
final class ScalarTypeNormalizer implements Normalizer {
  @Override
  public boolean same(FieldPath path, JsonNode desired, JsonNode live, JsonNode desiredParent) {
    return live != null && equivalent(desired, live);
  }

  static boolean equivalent(JsonNode a, JsonNode b) {
    if (a.equals(b)) {
      return true;
    }
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.isTextual() != b.isTextual()) {
      JsonNode text = a.isTextual() ? a : b;
      JsonNode other = a.isTextual() ? b : a;
      if (other.isBoolean()) {
        return text.textValue().equals(other.asText());
      }
      if (other.isNumber()) {
        BigDecimal parsed = parseNumber(text.textValue());
        return parsed != null && parsed.compareTo(other.decimalValue()) == 0;
      }
    }
    return false;
  }

  private static BigDecimal parseNumber(String text) {
    if (text.isEmpty() || text.length() > 40) {
      return null;
    }
    char first = text.charAt(0);
    if (!(Character.isDigit(first) || first == '-' || first == '+' || first == '.')) {
      return null;
    }
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}

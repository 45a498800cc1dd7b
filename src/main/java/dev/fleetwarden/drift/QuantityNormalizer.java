package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kubernetes quantities in resource fields compare by exact value: {@code 1000m} is {@code 1},
 * {@code 0.5} is {@code 500m}, {@code 1Gi} is {@code 1024Mi}, {@code 1e3} is {@code 1k}, and {@code
 * cpu: 1} is {@code "1"}. Only fields that hold quantities are normalized, so that {@code "1"} and
 * {@code "1.0"} in a ConfigMap stay different.
 */
final class QuantityNormalizer implements Normalizer {
  private static final Map<String, BigDecimal> SUFFIXES =
      Map.ofEntries(
          Map.entry("", BigDecimal.ONE),
          Map.entry("n", new BigDecimal("1e-9")),
          Map.entry("u", new BigDecimal("1e-6")),
          Map.entry("m", new BigDecimal("1e-3")),
          Map.entry("k", new BigDecimal("1e3")),
          Map.entry("M", new BigDecimal("1e6")),
          Map.entry("G", new BigDecimal("1e9")),
          Map.entry("T", new BigDecimal("1e12")),
          Map.entry("P", new BigDecimal("1e15")),
          Map.entry("E", new BigDecimal("1e18")),
          Map.entry("Ki", BigDecimal.valueOf(2).pow(10)),
          Map.entry("Mi", BigDecimal.valueOf(2).pow(20)),
          Map.entry("Gi", BigDecimal.valueOf(2).pow(30)),
          Map.entry("Ti", BigDecimal.valueOf(2).pow(40)),
          Map.entry("Pi", BigDecimal.valueOf(2).pow(50)),
          Map.entry("Ei", BigDecimal.valueOf(2).pow(60)));

  private static final Set<String> LIMIT_RANGE_MAPS =
      Set.of("max", "min", "default", "defaultRequest", "maxLimitRequestRatio");

  @Override
  public boolean same(FieldPath path, JsonNode desired, JsonNode live, JsonNode desiredParent) {
    if (live == null || !holdsQuantity(path)) {
      return false;
    }
    BigDecimal a = value(desired);
    BigDecimal b = value(live);
    return a != null && b != null && a.compareTo(b) == 0;
  }

  /** Whether the field at {@code path} is a resource quantity. */
  static boolean holdsQuantity(FieldPath path) {
    String parent = path.fromEnd(1);
    if (parent == null) {
      return false;
    }
    String grandParent = path.fromEnd(2);
    String kind = path.kind();
    return ((parent.equals("requests") || parent.equals("limits"))
            && "resources".equals(grandParent))
        || (parent.equals("hard") && kind.endsWith("ResourceQuota"))
        || (kind.equals("LimitRange") && LIMIT_RANGE_MAPS.contains(parent))
        || (parent.equals("capacity") && kind.equals("PersistentVolume"))
        || parent.equals("overhead")
        || "sizeLimit".equals(path.fromEnd(0));
  }

  /** The exact value of a quantity node (number or string), or null when it is not one. */
  static BigDecimal value(JsonNode node) {
    if (node.isNumber()) {
      return node.decimalValue();
    }
    return node.isTextual() ? cached(node.textValue()) : null;
  }

  /**
   * Parsed quantities: a fleet writes the same few ({@code 250m}, {@code 1Gi}) on every container
   * of every cluster. Bounded, since the texts come from Git and from the clusters.
   */
  private static final Map<String, Optional<BigDecimal>> PARSED = new ConcurrentHashMap<>();

  private static final int MAX_PARSED = 4096;

  private static BigDecimal cached(String text) {
    Optional<BigDecimal> known = PARSED.get(text);
    if (known != null) {
      return known.orElse(null);
    }
    BigDecimal parsed = parse(text);
    if (PARSED.size() < MAX_PARSED && text.length() <= 64) {
      PARSED.putIfAbsent(text, Optional.ofNullable(parsed));
    }
    return parsed;
  }

  /** Parses {@code <signed number><suffix>}; null when the text is not a quantity. */
  static BigDecimal parse(String text) {
    int end = 0;
    int n = text.length();
    if (end < n && (text.charAt(end) == '+' || text.charAt(end) == '-')) {
      end++;
    }
    int digits = 0;
    while (end < n && (Character.isDigit(text.charAt(end)) || text.charAt(end) == '.')) {
      if (text.charAt(end) != '.') {
        digits++;
      }
      end++;
    }
    if (digits == 0) {
      return null;
    }
    BigDecimal number;
    try {
      number = new BigDecimal(text.substring(0, end));
    } catch (NumberFormatException e) {
      return null;
    }
    String suffix = text.substring(end);
    BigDecimal multiplier = SUFFIXES.get(suffix);
    if (multiplier != null) {
      return number.multiply(multiplier);
    }
    if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
      try {
        return number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}

package dev.fleetwarden.render;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.model.JsonPointers;
import dev.fleetwarden.model.ValueOrigin;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maps fields of a rendered object to the values leaf that produced them, by value matching. Helm
 * does not say which value a template used, so this is a heuristic:
 *
 * <ol>
 *   <li>a rendered scalar equal to exactly one candidate leaf is attributed to it;
 *   <li>with several, the leaf whose key equals the field name wins ({@code replicas} ↔ {@code
 *       controller.replicas}), then the leaf of the most specific layer; a remaining tie is left
 *       unattributed;
 *   <li>a string that contains leaf values of at least {@value #MIN_TOKEN} characters as delimited
 *       tokens (image {@code repo:tag} contains {@code tag}) is attributed to the one such leaf of
 *       the most specific layer, when only one leaf has that layer.
 * </ol>
 *
 * Trivial values (booleans, 0, 1, empty strings) are never attributed. Pure.
 */
final class FieldAttribution {
  static final int MIN_TOKEN = 3;

  private final Map<String, List<ValuesLayers.Leaf>> byText = new HashMap<>();
  private final List<ValuesLayers.Leaf> tokens = new ArrayList<>();

  FieldAttribution(ValuesLayers.Merged merged) {
    for (ValuesLayers.Leaf leaf : merged.leaves().values()) {
      if (leaf.origin().file() == null || trivial(leaf.value())) {
        continue;
      }
      String text = text(leaf.value());
      byText.computeIfAbsent(text, k -> new ArrayList<>()).add(leaf);
      if (text.length() >= MIN_TOKEN) {
        tokens.add(leaf);
      }
    }
  }

  boolean isEmpty() {
    return byText.isEmpty();
  }

  /** Origins of the rendered object's fields, keyed by JSON pointer. */
  Map<String, ValueOrigin> attribute(JsonNode object) {
    Map<String, ValueOrigin> out = new TreeMap<>();
    if (byText.isEmpty() || !object.isObject()) {
      return out;
    }
    object
        .fields()
        .forEachRemaining(
            f -> {
              if (!f.getKey().equals("apiVersion") && !f.getKey().equals("kind")) {
                walk(f.getValue(), "/" + JsonPointers.escape(f.getKey()), f.getKey(), out);
              }
            });
    return out;
  }

  private void walk(JsonNode node, String pointer, String fieldName, Map<String, ValueOrigin> out) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              f ->
                  walk(
                      f.getValue(),
                      pointer + "/" + JsonPointers.escape(f.getKey()),
                      f.getKey(),
                      out));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), pointer + "/" + i, fieldName, out);
      }
    } else if (!trivial(node)) {
      ValuesLayers.Leaf leaf = match(node, fieldName);
      if (leaf != null) {
        out.put(pointer, leaf.origin());
      }
    }
  }

  private ValuesLayers.Leaf match(JsonNode rendered, String fieldName) {
    String text = text(rendered);
    List<ValuesLayers.Leaf> exact = byText.get(text);
    if (exact != null) {
      return pick(exact, fieldName);
    }
    if (!rendered.isTextual() || text.length() <= MIN_TOKEN) {
      return null;
    }
    List<ValuesLayers.Leaf> contained = new ArrayList<>();
    for (ValuesLayers.Leaf leaf : tokens) {
      if (containsToken(text, text(leaf.value()))) {
        contained.add(leaf);
      }
    }
    return contained.isEmpty() ? null : mostSpecific(contained);
  }

  private static ValuesLayers.Leaf pick(List<ValuesLayers.Leaf> candidates, String fieldName) {
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    List<ValuesLayers.Leaf> named = new ArrayList<>();
    for (ValuesLayers.Leaf l : candidates) {
      if (fieldName.equals(lastKey(l.pointer()))) {
        named.add(l);
      }
    }
    if (named.size() == 1) {
      return named.get(0);
    }
    return mostSpecific(named.isEmpty() ? candidates : named);
  }

  private static ValuesLayers.Leaf mostSpecific(List<ValuesLayers.Leaf> candidates) {
    int best = candidates.stream().mapToInt(ValuesLayers.Leaf::layer).max().orElse(-1);
    List<ValuesLayers.Leaf> top = candidates.stream().filter(l -> l.layer() == best).toList();
    return top.size() == 1 ? top.get(0) : null;
  }

  /** Whether {@code token} occurs in {@code text} bounded by start/end or a delimiter. */
  static boolean containsToken(String text, String token) {
    int from = 0;
    while (true) {
      int i = text.indexOf(token, from);
      if (i < 0) {
        return false;
      }
      int end = i + token.length();
      boolean startOk = i == 0 || delimiter(text.charAt(i - 1));
      boolean endOk = end == text.length() || delimiter(text.charAt(end));
      if (startOk && endOk) {
        return true;
      }
      from = i + 1;
    }
  }

  private static boolean delimiter(char c) {
    return !(Character.isLetterOrDigit(c) || c == '.');
  }

  private static String lastKey(String pointer) {
    String[] parts = pointer.split("/");
    for (int i = parts.length - 1; i > 0; i--) {
      if (!parts[i].chars().allMatch(Character::isDigit)) {
        return JsonPointers.unescape(parts[i]);
      }
    }
    return "";
  }

  static boolean trivial(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode() || v.isBoolean() || v.isContainerNode()) {
      return true;
    }
    if (v.isNumber()) {
      BigDecimal d = v.decimalValue();
      return d.compareTo(BigDecimal.ZERO) == 0 || d.compareTo(BigDecimal.ONE) == 0;
    }
    String s = v.asText().trim();
    return s.isEmpty() || s.equals("0") || s.equals("1") || s.equals("true") || s.equals("false");
  }

  static String text(JsonNode v) {
    if (v.isNumber()) {
      return v.decimalValue().stripTrailingZeros().toPlainString();
    }
    return v.asText();
  }
}

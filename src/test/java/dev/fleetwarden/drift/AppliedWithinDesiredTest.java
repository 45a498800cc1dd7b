package dev.fleetwarden.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class AppliedWithinDesiredTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String DESIRED =
      """
      {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
       "spec":{"replicas":2,"template":{"spec":{"containers":[
         {"name":"web","image":"web:1.2","ports":[{"containerPort":8080}]},
         {"name":"sidecar","image":"proxy:3","resources":{"limits":{"cpu":"0.5"}}}]}}}}
      """;

  private static boolean holds(String applied) throws Exception {
    JsonNode desired = JSON.readTree(DESIRED);
    return AppliedWithinDesired.holds(applied, desired);
  }

  @Test
  void whatGitSetsItselfIsWithin() throws Exception {
    assertThat(holds(DESIRED)).isTrue();
    assertThat(holds("{\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"}}")).isTrue();
  }

  @Test
  void aNullIsUnsetAndAShorterListIsWithin() throws Exception {
    assertThat(
            holds(
                "{\"metadata\":{\"name\":\"web\",\"creationTimestamp\":null},"
                    + "\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\"}]}}}}"))
        .isTrue();
  }

  @Test
  void aFieldGitLacksIsNotWithin() throws Exception {
    assertThat(holds("{\"spec\":{\"paused\":true}}")).isFalse();
    assertThat(holds("{\"metadata\":{\"labels\":{\"app\":\"web\",\"debug\":\"on\"}}}")).isFalse();
  }

  @Test
  void aDifferentValueOrTypeIsNotWithin() throws Exception {
    assertThat(holds("{\"spec\":{\"replicas\":3}}")).isFalse();
    assertThat(holds("{\"spec\":{\"replicas\":\"2\"}}")).isFalse();
    assertThat(holds("{\"spec\":{\"replicas\":2.5}}")).isFalse();
  }

  @Test
  void anAddedOrReorderedListItemIsNotWithin() throws Exception {
    String reordered =
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":["
            + "{\"name\":\"sidecar\"},{\"name\":\"web\"}]}}}}";
    String added =
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":["
            + "{\"name\":\"web\"},{\"name\":\"sidecar\"},{\"name\":\"debug\"}]}}}}";
    assertThat(holds(reordered)).isFalse();
    assertThat(holds(added)).isFalse();
  }

  @Test
  void escapesWhitespaceAndNumberSpellingsAreReadAsJson() throws Exception {
    JsonNode desired =
        JSON.readTree(
            "{\"a\":\"x\\\"y\\n\u00e9\",\"b\":1.5,\"c\":100,\"d\":true,\"e\":[1,null],"
                + "\"big\":123456789012345678901234567890}");
    assertThat(
            AppliedWithinDesired.holds(
                " { \"a\" : \"x\\\"y\\n\\u00e9\" ,\n\"b\":1.50, \"c\":1e2, \"d\":true,"
                    + " \"e\":[1,null], \"\\u0062ig\":123456789012345678901234567890 } ",
                desired))
        .isTrue();
    assertThat(AppliedWithinDesired.holds("{\"a\":\"x\\\"y\\nE\"}", desired)).isFalse();
    assertThat(AppliedWithinDesired.holds("{\"c\":0100}", desired)).isFalse();
    assertThat(AppliedWithinDesired.holds("{\"c\":100.0}", desired)).isTrue();
    assertThat(AppliedWithinDesired.holds("{\"e\":[1,2]}", desired)).isFalse();
    assertThat(AppliedWithinDesired.holds("{\"a\":\"x\\q\"}", desired)).isFalse();
  }

  /**
   * The one-pass reader answers as a JSON parser would, on documents made from random objects by
   * dropping, changing, adding and respelling fields.
   */
  @Test
  void answersAsAParsedComparisonDoesOnRandomDocuments() throws Exception {
    java.util.Random random = new java.util.Random(11);
    int within = 0;
    for (int round = 0; round < 3000; round++) {
      com.fasterxml.jackson.databind.node.ObjectNode desired = randomObject(random, 0);
      JsonNode applied = mutate(random, desired.deepCopy());
      String text = JSON.writeValueAsString(applied);
      if (random.nextBoolean()) {
        text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(applied);
      }
      boolean expected = Reference.holds(text, desired);
      assertThat(AppliedWithinDesired.holds(text, desired)).as(text).isEqualTo(expected);
      within += expected ? 1 : 0;
    }
    // both answers occur, so the comparison tested something
    assertThat(within).isBetween(300, 2700);
  }

  private static final String[] NAMES = {"a", "b", "name", "é", "q\"uote", "back\\slash", "n\nl"};
  private static final String[] TEXTS = {"", "x", "web", "ü\u2028", "a\"b", "tab\t", "1"};

  private static com.fasterxml.jackson.databind.node.ObjectNode randomObject(
      java.util.Random random, int depth) {
    com.fasterxml.jackson.databind.node.ObjectNode node = JSON.createObjectNode();
    int n = 1 + random.nextInt(4);
    for (int i = 0; i < n; i++) {
      node.set(NAMES[random.nextInt(NAMES.length)], randomValue(random, depth + 1));
    }
    return node;
  }

  private static JsonNode randomValue(java.util.Random random, int depth) {
    int pick = random.nextInt(depth > 3 ? 5 : 7);
    return switch (pick) {
      case 0 -> JSON.getNodeFactory().textNode(TEXTS[random.nextInt(TEXTS.length)]);
      case 1 -> JSON.getNodeFactory().numberNode(random.nextInt(2000) - 1000);
      case 2 -> JSON.getNodeFactory().numberNode(new java.math.BigDecimal("1.25"));
      case 3 -> JSON.getNodeFactory().booleanNode(random.nextBoolean());
      case 4 -> JSON.getNodeFactory().numberNode(Long.MAX_VALUE - random.nextInt(3));
      case 5 -> randomObject(random, depth);
      default -> {
        com.fasterxml.jackson.databind.node.ArrayNode list = JSON.createArrayNode();
        for (int i = random.nextInt(3); i >= 0; i--) {
          list.add(randomValue(random, depth + 1));
        }
        yield list;
      }
    };
  }

  /** Drops, changes, nulls or adds fields and list items here and there. */
  private static JsonNode mutate(java.util.Random random, JsonNode node) {
    if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
      java.util.List<String> names = new java.util.ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        switch (random.nextInt(12)) {
          case 0 -> object.remove(name);
          case 1 -> object.putNull(name);
          case 2 -> object.set(name, randomValue(random, 3));
          default -> object.set(name, mutate(random, object.get(name)));
        }
      }
      if (random.nextInt(10) == 0) {
        object.put("added", "x");
      }
    } else if (node instanceof com.fasterxml.jackson.databind.node.ArrayNode list) {
      for (int i = 0; i < list.size(); i++) {
        list.set(i, random.nextInt(10) == 0 ? randomValue(random, 3) : mutate(random, list.get(i)));
      }
      if (random.nextInt(8) == 0) {
        list.add(1);
      }
    } else if (node.isIntegralNumber() && random.nextInt(6) == 0) {
      return JSON.getNodeFactory().numberNode(node.decimalValue().setScale(1));
    }
    return node;
  }

  /** The comparison as a JSON parser makes it: the reader's specification. */
  private static final class Reference {
    private static final com.fasterxml.jackson.core.JsonFactory FACTORY =
        new com.fasterxml.jackson.core.JsonFactory();

    static boolean holds(String applied, JsonNode desired) {
      try (com.fasterxml.jackson.core.JsonParser parser = FACTORY.createParser(applied)) {
        com.fasterxml.jackson.core.JsonToken first = parser.nextToken();
        return first == com.fasterxml.jackson.core.JsonToken.START_OBJECT
            && within(parser, first, desired)
            && parser.nextToken() == null;
      } catch (java.io.IOException e) {
        return false;
      }
    }

    private static boolean within(
        com.fasterxml.jackson.core.JsonParser parser,
        com.fasterxml.jackson.core.JsonToken token,
        JsonNode desired)
        throws java.io.IOException {
      return switch (token) {
        case START_OBJECT -> {
          if (!desired.isObject()) {
            yield false;
          }
          for (com.fasterxml.jackson.core.JsonToken t = parser.nextToken();
              t == com.fasterxml.jackson.core.JsonToken.FIELD_NAME;
              t = parser.nextToken()) {
            String name = parser.currentName();
            com.fasterxml.jackson.core.JsonToken value = parser.nextToken();
            if (value == com.fasterxml.jackson.core.JsonToken.VALUE_NULL) {
              continue;
            }
            JsonNode child = desired.get(name);
            if (EmptyValueNormalizer.isEmpty(child) || !within(parser, value, child)) {
              yield false;
            }
          }
          yield true;
        }
        case START_ARRAY -> {
          if (!desired.isArray()) {
            yield false;
          }
          int i = 0;
          for (com.fasterxml.jackson.core.JsonToken t = parser.nextToken();
              t != com.fasterxml.jackson.core.JsonToken.END_ARRAY;
              t = parser.nextToken()) {
            if (t == null || i >= desired.size()) {
              yield false;
            }
            JsonNode item = desired.get(i++);
            if (t == com.fasterxml.jackson.core.JsonToken.VALUE_NULL
                ? !item.isNull()
                : !within(parser, t, item)) {
              yield false;
            }
          }
          yield true;
        }
        case VALUE_STRING -> desired.isTextual() && desired.textValue().equals(parser.getText());
        case VALUE_NUMBER_INT ->
            desired.isIntegralNumber()
                && desired.bigIntegerValue().equals(parser.getBigIntegerValue());
        case VALUE_NUMBER_FLOAT ->
            desired.isNumber() && desired.decimalValue().compareTo(parser.getDecimalValue()) == 0;
        case VALUE_TRUE -> desired.isBoolean() && desired.booleanValue();
        case VALUE_FALSE -> desired.isBoolean() && !desired.booleanValue();
        default -> false;
      };
    }
  }

  /** Live content is untrusted: nesting beyond the reader's bound is not judged (nor a crash). */
  @Test
  void deepNestingIsNotJudged() throws Exception {
    String deep = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
    assertThat(AppliedWithinDesired.holds(deep, JSON.readTree("{\"a\":{\"a\":1}}"))).isFalse();
    String nested = "{\"a\":".repeat(100) + "1" + "}".repeat(100);
    assertThat(AppliedWithinDesired.holds(nested, JSON.readTree(nested))).isFalse();
    String shallow = "{\"a\":".repeat(20) + "1" + "}".repeat(20);
    assertThat(AppliedWithinDesired.holds(shallow, JSON.readTree(shallow))).isTrue();
  }

  @Test
  void whatIsNotAnObjectOrNotJsonIsNotWithin() throws Exception {
    assertThat(holds("[]")).isFalse();
    assertThat(holds("{\"spec\":")).isFalse();
    assertThat(holds("{} {}")).isFalse();
  }
}

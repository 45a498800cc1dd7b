package dev.fleetwarden.drift;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * Whether everything a {@code kubectl apply} configuration sets (the object's {@code
 * last-applied-configuration}), Git sets too, to the same value. When it does, client-side apply
 * cannot have added anything Git lacks ({@link HumanEdits} credits it only with what it applied),
 * and the walk of its field set is skipped: that walk is what makes objects applied with kubectl
 * slow to diff, since kubectl's manager is credited with every field of the object.
 *
 * <p>Read as a stream, without building the configuration's tree. Lists compare by position; a list
 * in another order, or anything else that does not match, answers {@code false} and the caller
 * walks the field set as always. A {@code null} in the configuration means "unset" and is never an
 * addition. Pure.
 */
final class AppliedWithinDesired {
  private static final JsonFactory JSON = new JsonFactory();

  private AppliedWithinDesired() {}

  /**
   * @param applied the annotation's text
   * @param desired Git's object, as the walk compares it
   */
  static boolean holds(String applied, JsonNode desired) {
    try (JsonParser parser = JSON.createParser(applied)) {
      JsonToken first = parser.nextToken();
      return first == JsonToken.START_OBJECT
          && within(parser, first, desired)
          && parser.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean within(JsonParser parser, JsonToken token, JsonNode desired)
      throws IOException {
    return switch (token) {
      case START_OBJECT -> objectWithin(parser, desired);
      case START_ARRAY -> arrayWithin(parser, desired);
      case VALUE_STRING -> desired.isTextual() && sameText(desired.textValue(), parser);
      case VALUE_NUMBER_INT -> desired.isIntegralNumber() && sameInteger(desired, parser);
      case VALUE_NUMBER_FLOAT ->
          desired.isNumber() && desired.decimalValue().compareTo(parser.getDecimalValue()) == 0;
      case VALUE_TRUE -> desired.isBoolean() && desired.booleanValue();
      case VALUE_FALSE -> desired.isBoolean() && !desired.booleanValue();
      default -> false;
    };
  }

  /** The string value equals the parser's current text, compared in place (no string built). */
  private static boolean sameText(String desired, JsonParser parser) throws IOException {
    int length = parser.getTextLength();
    if (desired.length() != length) {
      return false;
    }
    char[] chars = parser.getTextCharacters();
    int offset = parser.getTextOffset();
    for (int i = 0; i < length; i++) {
      if (desired.charAt(i) != chars[offset + i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameInteger(JsonNode desired, JsonParser parser) throws IOException {
    JsonParser.NumberType type = parser.getNumberType();
    if ((type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG)
        && desired.canConvertToLong()) {
      return desired.longValue() == parser.getLongValue();
    }
    return desired.bigIntegerValue().equals(parser.getBigIntegerValue());
  }

  private static boolean objectWithin(JsonParser parser, JsonNode desired) throws IOException {
    if (!desired.isObject()) {
      return false;
    }
    for (JsonToken t = parser.nextToken(); t == JsonToken.FIELD_NAME; t = parser.nextToken()) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if (value == JsonToken.VALUE_NULL) {
        continue;
      }
      JsonNode child = desired.get(name);
      if (EmptyValueNormalizer.isEmpty(child) || !within(parser, value, child)) {
        return false;
      }
    }
    return true;
  }

  private static boolean arrayWithin(JsonParser parser, JsonNode desired) throws IOException {
    if (!desired.isArray()) {
      return false;
    }
    int i = 0;
    for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
      if (t == null || i >= desired.size()) {
        return false;
      }
      JsonNode item = desired.get(i++);
      if (t == JsonToken.VALUE_NULL ? !item.isNull() : !within(parser, t, item)) {
        return false;
      }
    }
    return true;
  }
}

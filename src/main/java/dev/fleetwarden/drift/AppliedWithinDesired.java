package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.model.CompactNodes;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Whether everything a {@code kubectl apply} configuration sets (the object's {@code
 * last-applied-configuration}), Git sets too, to the same value. When it does, client-side apply
 * cannot have added anything Git lacks ({@link HumanEdits} credits it only with what it applied),
 * and the walk of its field set is skipped: that walk is what makes objects applied with kubectl
 * slow to diff, since kubectl's manager is credited with every field of the object.
 *
 * <p>Read in one pass over the annotation's text, comparing as it goes, without building a tree or
 * a token stream: this runs on every object kubectl applied, and a general JSON parser spent more
 * time setting itself up and copying strings than comparing. Lists compare by position; a list in
 * another order, text that is not plain JSON, or anything else that does not match answers {@code
 * false}, and the caller walks the field set as always (so a doubt costs time, never a finding). A
 * {@code null} in the configuration means "unset" and is never an addition. Pure.
 */
final class AppliedWithinDesired {
  /** Deeper configurations are not judged here (the caller walks the field set instead). */
  private static final int MAX_DEPTH = 64;

  private final String text;
  private int at;

  private AppliedWithinDesired(String text) {
    this.text = text;
  }

  /**
   * @param applied the annotation's text
   * @param desired Git's object, as the walk compares it
   */
  static boolean holds(String applied, JsonNode desired) {
    AppliedWithinDesired reader = new AppliedWithinDesired(applied);
    try {
      reader.space();
      if (!reader.next('{') || !reader.objectWithin(desired, 0)) {
        return false;
      }
      reader.space();
      return reader.at == applied.length();
    } catch (NotPlain e) {
      return false;
    }
  }

  /** The text is not JSON this reader judges; the answer is "not within". */
  private static final class NotPlain extends Exception {
    private static final long serialVersionUID = 1L;
    static final NotPlain INSTANCE = new NotPlain();

    private NotPlain() {
      super(null, null, false, false);
    }
  }

  /** After the opening brace. */
  private boolean objectWithin(JsonNode desired, int depth) throws NotPlain {
    if (!desired.isObject() || depth > MAX_DEPTH) {
      return false;
    }
    space();
    if (next('}')) {
      return true;
    }
    do {
      space();
      JsonNode child = field(desired);
      space();
      expect(':');
      space();
      if (peekNull()) {
        at += 4;
      } else if (EmptyValueNormalizer.isEmpty(child) || !valueWithin(child, depth + 1)) {
        return false;
      }
      space();
    } while (next(','));
    expect('}');
    return true;
  }

  /** After the opening bracket. */
  private boolean arrayWithin(JsonNode desired, int depth) throws NotPlain {
    if (!desired.isArray() || depth > MAX_DEPTH) {
      return false;
    }
    space();
    if (next(']')) {
      return true;
    }
    int i = 0;
    do {
      space();
      if (i >= desired.size()) {
        return false;
      }
      JsonNode item = desired.get(i++);
      if (peekNull()) {
        at += 4;
        if (!item.isNull()) {
          return false;
        }
      } else if (!valueWithin(item, depth + 1)) {
        return false;
      }
      space();
    } while (next(','));
    expect(']');
    return true;
  }

  private boolean valueWithin(JsonNode desired, int depth) throws NotPlain {
    char c = peek();
    switch (c) {
      case '{' -> {
        at++;
        return objectWithin(desired, depth);
      }
      case '[' -> {
        at++;
        return arrayWithin(desired, depth);
      }
      case '"' -> {
        return desired.isTextual() && sameString(desired.textValue());
      }
      case 't' -> {
        word("true");
        return desired.isBoolean() && desired.booleanValue();
      }
      case 'f' -> {
        word("false");
        return desired.isBoolean() && !desired.booleanValue();
      }
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          return sameNumber(desired);
        }
        throw NotPlain.INSTANCE;
      }
    }
  }

  /** Reads a field name and returns Git's value of that field, or null. */
  private JsonNode field(JsonNode desired) throws NotPlain {
    expect('"');
    int start = at;
    int end = text.indexOf('"', start);
    if (end < 0) {
      throw NotPlain.INSTANCE;
    }
    if (plain(start, end)) {
      at = end + 1;
      return CompactNodes.field(desired, text, start, end);
    }
    at = start - 1;
    return desired.get(string());
  }

  /** Whether the string at the cursor equals {@code expected}; moves past it. */
  private boolean sameString(String expected) throws NotPlain {
    int start = at + 1;
    int end = text.indexOf('"', start);
    if (end < 0) {
      throw NotPlain.INSTANCE;
    }
    if (plain(start, end)) {
      at = end + 1;
      int length = end - start;
      return expected.length() == length && text.regionMatches(start, expected, 0, length);
    }
    return expected.equals(string());
  }

  /** Whether the text between two quotes has no escape (so it is the string as written). */
  private boolean plain(int start, int end) {
    for (int i = start; i < end; i++) {
      if (text.charAt(i) == '\\') {
        return false;
      }
    }
    return true;
  }

  /** Reads a string with escapes, the cursor at its opening quote. */
  private String string() throws NotPlain {
    expect('"');
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = take();
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        throw NotPlain.INSTANCE;
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = take();
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> {
          if (at + 4 > text.length()) {
            throw NotPlain.INSTANCE;
          }
          int code = 0;
          for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(at++), 16);
            if (digit < 0) {
              throw NotPlain.INSTANCE;
            }
            code = code * 16 + digit;
          }
          sb.append((char) code);
        }
        default -> throw NotPlain.INSTANCE;
      }
    }
  }

  /** Whether the JSON number at the cursor equals Git's value (a number of the same kind). */
  private boolean sameNumber(JsonNode desired) throws NotPlain {
    int start = at;
    boolean integral = true;
    if (peek() == '-') {
      at++;
    }
    int digits = at;
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c >= '0' && c <= '9') {
        at++;
      } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
        integral = false;
        at++;
      } else {
        break;
      }
    }
    if (at == digits
        || (text.charAt(digits) == '0'
            && at > digits + 1
            && Character.isDigit(text.charAt(digits + 1)))) {
      throw NotPlain.INSTANCE;
    }
    if (integral) {
      if (!desired.isIntegralNumber()) {
        return false;
      }
      if (at - start <= 18 && desired.canConvertToLong()) {
        return desired.longValue() == Long.parseLong(text, start, at, 10);
      }
      return desired.bigIntegerValue().equals(new BigInteger(text.substring(start, at)));
    }
    if (!desired.isNumber()) {
      return false;
    }
    try {
      return desired.decimalValue().compareTo(new BigDecimal(text.substring(start, at))) == 0;
    } catch (NumberFormatException e) {
      throw NotPlain.INSTANCE;
    }
  }

  private boolean peekNull() {
    return text.startsWith("null", at);
  }

  private void word(String word) throws NotPlain {
    if (!text.startsWith(word, at)) {
      throw NotPlain.INSTANCE;
    }
    at += word.length();
  }

  private void space() {
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return;
      }
      at++;
    }
  }

  private char peek() throws NotPlain {
    if (at >= text.length()) {
      throw NotPlain.INSTANCE;
    }
    return text.charAt(at);
  }

  private char take() throws NotPlain {
    char c = peek();
    at++;
    return c;
  }

  private boolean next(char c) {
    if (at < text.length() && text.charAt(at) == c) {
      at++;
      return true;
    }
    return false;
  }

  private void expect(char c) throws NotPlain {
    if (!next(c)) {
      throw NotPlain.INSTANCE;
    }
  }
}

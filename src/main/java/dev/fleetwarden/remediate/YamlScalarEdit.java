package dev.fleetwarden.remediate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.LocatedYaml;
import dev.fleetwarden.fleet.Location;
import dev.fleetwarden.model.JsonPointers;
import dev.fleetwarden.model.YamlStrings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Replaces one scalar of a YAML file in place, keeping every other byte: comments, key order,
 * indentation and the style of the old value where the new value allows it (plain, single- or
 * double-quoted, a string kept a string when the new value is a number, a literal or folded block
 * scalar rewritten as a block at its indentation). The edit is checked by parsing the result:
 * exactly the one value changed, to the new value. Pure.
 */
public final class YamlScalarEdit {
  private YamlScalarEdit() {}

  /** Why a value cannot be edited in place (the caller falls back to a patch file). */
  public static final class NotEditableException extends Exception {
    public NotEditableException(String file, String pointer, String reason) {
      super(file + " " + (pointer.isEmpty() ? "/" : pointer) + ": " + reason);
    }
  }

  /**
   * The content of {@code file} with the scalar at {@code pointer} of its {@code docIndex}-th
   * document (0-based, empty documents not counted) replaced by {@code value}.
   */
  public static String replace(
      String file, String content, int docIndex, String pointer, JsonNode value)
      throws NotEditableException {
    if (value == null || value.isNull() || value.isMissingNode() || value.isContainerNode()) {
      throw new NotEditableException(
          file, pointer, "the new value is not a single value (absent, null, list or mapping)");
    }
    List<LocatedYaml.Document> docs = parse(file, content, pointer);
    if (docIndex < 0 || docIndex >= docs.size()) {
      throw new NotEditableException(file, pointer, "no document " + docIndex + " in the file");
    }
    LocatedYaml.Document doc = docs.get(docIndex);
    JsonNode old = doc.root().at(pointer);
    if (old.isMissingNode() || !old.isValueNode() || old.isNull()) {
      throw new NotEditableException(file, pointer, "the file holds no single value there");
    }
    Location loc = doc.locations().get(pointer);
    if (loc == null || loc.line() <= 0) {
      throw new NotEditableException(file, pointer, "the value's line is unknown");
    }
    String key = lastKey(doc.root(), pointer);
    List<String> lines = splitKeepingEnds(content);
    int lineIndex = loc.line() - 1;
    if (lineIndex >= lines.size()) {
      throw new NotEditableException(file, pointer, "line " + loc.line() + " is past the end");
    }
    String line = lines.get(lineIndex);
    int[] span = valueSpan(line, loc.column() - 1, key);
    int block = span == null ? blockIndicator(line, loc.column() - 1, key) : -1;
    if (block >= 0 && old.isTextual() && value.isTextual()) {
      String edited = replaceBlock(file, pointer, lines, lineIndex, block, value.asText());
      check(file, pointer, docs, docIndex, edited, value);
      return edited;
    }
    if (span == null) {
      throw new NotEditableException(
          file, pointer, "line " + loc.line() + " does not hold the value in a form edited safely");
    }
    String oldToken = line.substring(span[0], span[1]);
    boolean flow = inFlow(line, span[0]);
    JsonNode target = old.isTextual() && !value.isTextual() ? text(value) : value;
    String token = render(target, oldToken, flow);
    lines.set(lineIndex, line.substring(0, span[0]) + token + line.substring(span[1]));
    String edited = String.join("", lines);
    check(file, pointer, docs, docIndex, edited, target);
    return edited;
  }

  /**
   * The content of {@code file} with {@code value} set at {@code pointer} of its {@code
   * docIndex}-th document: the scalar replaced in place ({@link #replace}) when it is there, else
   * the missing keys of the path written as new block-style lines at the end of the deepest mapping
   * that exists, at its children's indentation, every other byte kept. An empty file (or one of
   * comments only) gets the path from the top. Refused when something on the path is not a block
   * mapping (a scalar, a list, a flow mapping {@code {...}}).
   */
  public static String set(
      String file, String content, int docIndex, String pointer, JsonNode value)
      throws NotEditableException {
    if (value == null || value.isNull() || value.isMissingNode() || value.isContainerNode()) {
      throw new NotEditableException(
          file, pointer, "the new value is not a single value (absent, null, list or mapping)");
    }
    List<String> segments = JsonPointers.split(pointer);
    if (segments.isEmpty()) {
      throw new NotEditableException(file, pointer, "no key to set");
    }
    List<LocatedYaml.Document> docs = parse(file, content, pointer);
    KeyLines lines =
        (from, indent, step) -> keyLines(file, pointer, segments, from, indent, step, value);
    if (docs.isEmpty() && docIndex == 0) {
      String edited = insertKeys(file, content, docIndex, pointer, lines);
      List<LocatedYaml.Document> after = parse(file, edited, pointer);
      if (after.size() != 1 || !JsonValues.same(after.get(0).root().at(pointer), value)) {
        throw new NotEditableException(file, pointer, "the new file does not hold the new value");
      }
      return edited;
    }
    if (docIndex < 0 || docIndex >= docs.size()) {
      throw new NotEditableException(file, pointer, "no document " + docIndex + " in the file");
    }
    int existing = existingDepth(file, pointer, docs.get(docIndex).root(), segments);
    if (existing == segments.size()) {
      return replace(file, content, docIndex, pointer, value);
    }
    String edited = insertKeys(file, content, docIndex, pointer, lines);
    checkInserted(file, pointer, docs, docIndex, edited, value, segments, existing);
    return edited;
  }

  /** Writes the block-style lines of the missing keys of a path, from its {@code from}-th key. */
  interface KeyLines {
    /**
     * @param from index of the first missing key in the path's segments
     * @param indent indentation of that key
     * @param step the file's indentation step for nested keys
     */
    String write(int from, int indent, int step) throws NotEditableException;
  }

  /** How many keys of the path exist in the document, from the top. */
  static int existingDepth(String file, String pointer, JsonNode root, List<String> segments)
      throws NotEditableException {
    JsonNode node = root;
    int existing = 0;
    for (; existing < segments.size(); existing++) {
      if (!node.isObject()) {
        throw new NotEditableException(
            file, pointer, "the path runs through a value that is not a mapping");
      }
      JsonNode child = node.get(segments.get(existing));
      if (child == null) {
        break;
      }
      node = child;
    }
    return existing;
  }

  /**
   * The content with the missing keys of {@code pointer} written by {@code writer} as new
   * block-style lines at the end of the deepest mapping of the path that exists, at its children's
   * indentation, every other byte kept; an empty file (or one of comments only) gets the path from
   * the top. The caller checks the result. Refused when the whole path exists or something on it is
   * not a block mapping.
   */
  static String insertKeys(
      String file, String content, int docIndex, String pointer, KeyLines writer)
      throws NotEditableException {
    List<String> segments = JsonPointers.split(pointer);
    List<LocatedYaml.Document> docs = parse(file, content, pointer);
    if (docs.isEmpty() && docIndex == 0) {
      String start = content.isEmpty() || content.endsWith("\n") ? content : content + "\n";
      return start + writer.write(0, 0, 2);
    }
    if (docIndex < 0 || docIndex >= docs.size()) {
      throw new NotEditableException(file, pointer, "no document " + docIndex + " in the file");
    }
    LocatedYaml.Document doc = docs.get(docIndex);
    int existing = existingDepth(file, pointer, doc.root(), segments);
    if (existing == segments.size()) {
      throw new NotEditableException(file, pointer, "the key is there already");
    }
    JsonNode node = doc.root();
    for (int i = 0; i < existing; i++) {
      node = node.get(segments.get(i));
    }
    String parentPointer = JsonPointers.join(segments.subList(0, existing));
    List<String> lines = splitKeepingEnds(content);
    int childIndent = -1;
    int last = -1;
    for (var names = node.fieldNames(); names.hasNext(); ) {
      Location l = doc.locations().get(parentPointer + "/" + JsonPointers.escape(names.next()));
      if (l == null || l.line() <= 0 || l.line() > lines.size()) {
        throw new NotEditableException(file, pointer, "the mapping's lines are unknown");
      }
      if (childIndent >= 0 && childIndent != l.column() - 1) {
        throw new NotEditableException(file, pointer, "the mapping is not in block style");
      }
      childIndent = l.column() - 1;
    }
    Location parentLoc = doc.locations().get(parentPointer);
    if (childIndent < 0 || parentLoc == null) {
      throw new NotEditableException(
          file, pointer, "the mapping to extend is empty or written in flow style");
    }
    for (Map.Entry<String, Location> e : doc.locations().entrySet()) {
      if (e.getKey().startsWith(parentPointer + "/")) {
        last = Math.max(last, e.getValue().line() - 1);
      }
    }
    if (!parentPointer.isEmpty()
        && parentLoc.line() - 1 == firstChildLine(doc, node, parentPointer)) {
      throw new NotEditableException(file, pointer, "the mapping is written in flow style");
    }
    String firstLine = lines.get(firstChildLine(doc, node, parentPointer));
    if (firstLine.length() <= childIndent || "{[".indexOf(firstLine.charAt(childIndent)) >= 0) {
      throw new NotEditableException(file, pointer, "the mapping is written in flow style");
    }
    // continuation lines of the last value (a block scalar, a nested list) belong to it
    for (int i = last + 1; i < lines.size(); i++) {
      String l = stripEnd(lines.get(i));
      if (l.isBlank()) {
        continue;
      }
      if (indentation(l) > childIndent && !l.startsWith("---") && !l.startsWith("...")) {
        last = i;
      } else {
        break;
      }
    }
    // nested keys follow the file's own indentation step
    int step = parentPointer.isEmpty() ? 2 : childIndent - (parentLoc.column() - 1);
    if (step < 1) {
      step = 2;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i <= last; i++) {
      out.append(lines.get(i));
    }
    if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
      out.append('\n');
    }
    out.append(writer.write(existing, childIndent, step));
    for (int i = last + 1; i < lines.size(); i++) {
      out.append(lines.get(i));
    }
    return out.toString();
  }

  private static int firstChildLine(LocatedYaml.Document doc, JsonNode node, String parentPointer) {
    int first = Integer.MAX_VALUE;
    for (var names = node.fieldNames(); names.hasNext(); ) {
      Location l = doc.locations().get(parentPointer + "/" + JsonPointers.escape(names.next()));
      first = Math.min(first, l.line() - 1);
    }
    return first;
  }

  /** The block-style lines of the keys {@code segments[from..]} holding {@code value}. */
  private static String keyLines(
      String file,
      String pointer,
      List<String> segments,
      int from,
      int indent,
      int step,
      JsonNode value)
      throws NotEditableException {
    StringBuilder sb = new StringBuilder();
    for (int j = from; j < segments.size(); j++) {
      String key = segments.get(j);
      if (key.isEmpty() || key.contains("\n")) {
        throw new NotEditableException(file, pointer, "a key cannot be written as it is");
      }
      sb.append(" ".repeat(indent + step * (j - from)))
          .append(plainSafe(key, false) ? key : doubleQuoted(key))
          .append(':');
      if (j == segments.size() - 1) {
        sb.append(' ').append(render(value, "", false));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /**
   * As {@link #check}, for keys inserted below the first {@code existing + 1} segments: without the
   * mapping the edit added there, the document is as before.
   */
  private static void checkInserted(
      String file,
      String pointer,
      List<LocatedYaml.Document> before,
      int docIndex,
      String edited,
      JsonNode value,
      List<String> segments,
      int existing)
      throws NotEditableException {
    String added = JsonPointers.join(segments.subList(0, existing + 1));
    check(file, pointer, before, docIndex, edited, value, (a, b) -> set(a, added, null));
  }

  /** Line and column (1-based) of the value at a pointer, for explanations. */
  public static int lineOf(List<LocatedYaml.Document> docs, int docIndex, String pointer) {
    Location l = docs.get(docIndex).locations().get(pointer);
    return l == null ? 0 : l.line();
  }

  /** Every document of a file, or the edit's error naming the file and the pointer. */
  static List<LocatedYaml.Document> parse(String file, String content, String pointer)
      throws NotEditableException {
    try {
      return LocatedYaml.parseAll(file, content);
    } catch (FleetValidationException e) {
      throw new NotEditableException(file, pointer, "not valid YAML: " + e.getMessage());
    }
  }

  private static void check(
      String file,
      String pointer,
      List<LocatedYaml.Document> before,
      int docIndex,
      String edited,
      JsonNode value)
      throws NotEditableException {
    check(file, pointer, before, docIndex, edited, value, (a, b) -> set(a, pointer, b.at(pointer)));
  }

  /**
   * The edited file parses, holds {@code value} at the pointer, and equals the file before once
   * {@code undo} took the edit back out of the edited document (given the document before).
   */
  private static void check(
      String file,
      String pointer,
      List<LocatedYaml.Document> before,
      int docIndex,
      String edited,
      JsonNode value,
      java.util.function.BiConsumer<JsonNode, JsonNode> undo)
      throws NotEditableException {
    List<LocatedYaml.Document> after = parse(file, edited, pointer);
    if (after.size() != before.size()) {
      throw new NotEditableException(file, pointer, "the edit changed the document structure");
    }
    for (int i = 0; i < after.size(); i++) {
      JsonNode b = before.get(i).root();
      JsonNode a = after.get(i).root();
      if (i != docIndex) {
        if (!a.equals(b)) {
          throw new NotEditableException(file, pointer, "the edit changed another document");
        }
        continue;
      }
      if (!JsonValues.same(a.at(pointer), value)) {
        throw new NotEditableException(
            file, pointer, "the edited file does not hold the new value");
      }
      JsonNode restored = a.deepCopy();
      undo.accept(restored, b);
      if (!restored.equals(b)) {
        throw new NotEditableException(file, pointer, "the edit changed more than the one value");
      }
    }
  }

  /**
   * Where the value starts on the line of its key (or of its list item), or -1 when the line does
   * not hold the key there.
   */
  private static int valueStart(String line, int column, String key) {
    int pos = Math.max(0, Math.min(column, line.length()));
    if (key != null) {
      int after = skipKey(line, pos, key);
      if (after < 0) {
        // tolerate an off-by-one column from the parser
        after = column > 0 ? skipKey(line, pos - 1, key) : -1;
      }
      if (after < 0) {
        return -1;
      }
      pos = skipSpaces(line, after);
      if (pos >= line.length() || line.charAt(pos) != ':') {
        return -1;
      }
      pos = skipSpaces(line, pos + 1);
    }
    return pos >= line.length() ? -1 : pos;
  }

  /**
   * Where the indicator of a block scalar ({@code |}, {@code >}, with an optional chomping
   * indicator) starts on its header line, or -1 when the value there is not a block scalar whose
   * lines can be rewritten (an explicit indentation indicator is left alone).
   */
  static int blockIndicator(String rawLine, int column, String key) {
    String line = stripEnd(rawLine);
    int pos = valueStart(line, column, key);
    if (pos < 0 || (line.charAt(pos) != '|' && line.charAt(pos) != '>')) {
      return -1;
    }
    int end = pos + 1;
    while (end < line.length() && !Character.isWhitespace(line.charAt(end))) {
      end++;
    }
    String indicator = line.substring(pos, end);
    return indicator.matches("[|>][-+]?") ? pos : -1;
  }

  /**
   * The content with the block scalar whose header is line {@code header} rewritten to hold {@code
   * text}, in the same indentation and the same style: a folded scalar ({@code >}) stays folded
   * when the text is one line, a literal one ({@code |}) stays literal; a folded scalar whose new
   * text has line breaks becomes literal, the only block style that keeps them as they are.
   */
  private static String replaceBlock(
      String file, String pointer, List<String> lines, int header, int indicatorAt, String text)
      throws NotEditableException {
    String headerLine = lines.get(header);
    int headerIndent = indentation(headerLine);
    int last = header;
    int contentIndent = -1;
    for (int i = header + 1; i < lines.size(); i++) {
      String l = stripEnd(lines.get(i));
      if (l.isBlank()) {
        continue;
      }
      int indent = indentation(l);
      if (indent <= headerIndent) {
        break;
      }
      if (contentIndent < 0) {
        contentIndent = indent;
      }
      last = i;
    }
    if (contentIndent < 0) {
      contentIndent = headerIndent + 2;
    }
    boolean oneTrailingBreak = text.endsWith("\n") && !text.endsWith("\n\n");
    String body = oneTrailingBreak ? text.substring(0, text.length() - 1) : text;
    if (body.isEmpty()
        || text.endsWith("\n\n")
        || body.startsWith(" ")
        || body.chars().anyMatch(c -> c == '\r' || (c < 0x20 && c != '\n' && c != '\t'))) {
      throw new NotEditableException(
          file, pointer, "the new text cannot be written as the block scalar that holds the value");
    }
    boolean folded = headerLine.charAt(indicatorAt) == '>' && !body.contains("\n");
    String indicator = (folded ? ">" : "|") + (oneTrailingBreak ? "" : "-");
    int indicatorEnd = indicatorAt + 1;
    while (indicatorEnd < headerLine.length()
        && !Character.isWhitespace(headerLine.charAt(indicatorEnd))) {
      indicatorEnd++;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < header; i++) {
      out.append(lines.get(i));
    }
    out.append(headerLine, 0, indicatorAt)
        .append(indicator)
        .append(headerLine.substring(indicatorEnd));
    if (!headerLine.endsWith("\n")) {
      out.append('\n');
    }
    String indent = " ".repeat(contentIndent);
    for (String l : body.split("\n", -1)) {
      out.append(l.isEmpty() ? "" : indent + l).append('\n');
    }
    for (int i = last + 1; i < lines.size(); i++) {
      out.append(lines.get(i));
    }
    return out.toString();
  }

  private static int indentation(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }

  /** Start and end of the value token on a line, or null when it is not a one-line scalar. */
  static int[] valueSpan(String rawLine, int column, String key) {
    String line = stripEnd(rawLine);
    int pos = valueStart(line, column, key);
    if (pos < 0) {
      return null;
    }
    char c = line.charAt(pos);
    if ("|>&*!{[#".indexOf(c) >= 0) {
      return null;
    }
    int end;
    if (c == '"') {
      end = closeDouble(line, pos);
    } else if (c == '\'') {
      end = closeSingle(line, pos);
    } else {
      end = plainEnd(line, pos, inFlow(line, pos));
    }
    return end <= pos ? null : new int[] {pos, end};
  }

  private static int skipKey(String line, int pos, String key) {
    if (pos < 0 || pos >= line.length()) {
      return -1;
    }
    char c = line.charAt(pos);
    if (c == '"' || c == '\'') {
      int end = c == '"' ? closeDouble(line, pos) : closeSingle(line, pos);
      return end < 0 ? -1 : end;
    }
    return line.startsWith(key, pos) ? pos + key.length() : -1;
  }

  private static int closeDouble(String line, int start) {
    for (int i = start + 1; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        return i + 1;
      }
    }
    return -1;
  }

  private static int closeSingle(String line, int start) {
    for (int i = start + 1; i < line.length(); i++) {
      if (line.charAt(i) == '\'') {
        if (i + 1 < line.length() && line.charAt(i + 1) == '\'') {
          i++;
        } else {
          return i + 1;
        }
      }
    }
    return -1;
  }

  private static int plainEnd(String line, int start, boolean flow) {
    int end = line.length();
    for (int i = start; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '#' && i > start && Character.isWhitespace(line.charAt(i - 1))) {
        end = i;
        break;
      }
      if (flow && (c == ',' || c == '}' || c == ']')) {
        end = i;
        break;
      }
    }
    while (end > start && Character.isWhitespace(line.charAt(end - 1))) {
      end--;
    }
    return end;
  }

  /** Whether a position on the line is inside a flow collection opened on that line. */
  static boolean inFlow(String line, int pos) {
    int depth = 0;
    char quote = 0;
    for (int i = 0; i < pos && i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
      } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        break;
      }
    }
    return depth > 0;
  }

  /** The new value as a YAML token, in the old token's quoting style where possible. */
  static String render(JsonNode value, String oldToken, boolean flow) throws NotEditableException {
    if (value.isNumber()) {
      return JsonValues.text(value);
    }
    if (value.isBoolean()) {
      return value.asText();
    }
    String s = value.asText();
    char style = oldToken.isEmpty() ? 0 : oldToken.charAt(0);
    if (style == '\'' && !s.contains("\n")) {
      return "'" + s.replace("'", "''") + "'";
    }
    if (style != '"' && plainSafe(s, flow)) {
      return s;
    }
    return doubleQuoted(s);
  }

  private static boolean plainSafe(String s, boolean flow) {
    // Helm and kubectl read YAML 1.1: "12:30", "0o17" or "y" written plain would change type.
    if (YamlStrings.readAsOtherType(s)
        || !s.equals(s.strip())
        || s.contains(": ")
        || s.contains(" #")
        || s.endsWith(":")
        || s.contains("\n")
        || "-?:,[]{}#&*!|>'\"%@`".indexOf(s.charAt(0)) >= 0
        || (flow && s.chars().anyMatch(c -> ",[]{}".indexOf(c) >= 0))) {
      return false;
    }
    try {
      JsonNode parsed = LocatedYaml.parse("check", "k: " + s + "\n").root().get("k");
      return parsed != null && parsed.isTextual() && parsed.asText().equals(s);
    } catch (FleetValidationException e) {
      return false;
    }
  }

  static String doubleQuoted(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\x%02x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  private static JsonNode text(JsonNode value) {
    return JsonNodeFactory.instance.textNode(JsonValues.text(value));
  }

  private static String lastKey(JsonNode root, String pointer) {
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = root.at(pointer.substring(0, slash));
    if (!parent.isObject()) {
      return null;
    }
    return JsonPointers.unescape(pointer.substring(slash + 1));
  }

  private static int skipSpaces(String line, int pos) {
    while (pos < line.length() && (line.charAt(pos) == ' ' || line.charAt(pos) == '\t')) {
      pos++;
    }
    return pos;
  }

  private static String stripEnd(String line) {
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
      end--;
    }
    return line.substring(0, end);
  }

  static List<String> splitKeepingEnds(String content) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < content.length(); i++) {
      if (content.charAt(i) == '\n') {
        lines.add(content.substring(start, i + 1));
        start = i + 1;
      }
    }
    if (start < content.length()) {
      lines.add(content.substring(start));
    }
    return lines;
  }

  /** Sets the value at a pointer of an existing parent (object field or list element). */
  static void set(JsonNode root, String pointer, JsonNode value) {
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = root.at(pointer.substring(0, slash));
    String last = JsonPointers.unescape(pointer.substring(slash + 1));
    if (parent instanceof ObjectNode o) {
      if (value == null || value.isMissingNode()) {
        o.remove(last);
      } else {
        o.set(last, value);
      }
    } else if (parent instanceof ArrayNode a) {
      a.set(Integer.parseInt(last), value);
    }
  }
}

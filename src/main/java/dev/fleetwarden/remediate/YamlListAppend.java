package dev.fleetwarden.remediate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.LocatedYaml;
import dev.fleetwarden.fleet.Location;
import dev.fleetwarden.model.JsonPointers;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Appends one item to a list of a YAML file, keeping every other byte: a block list gets a new
 * {@code - } line after its last item, at its items' indentation, in their style (a one-line flow
 * mapping {@code - {kind: Deployment, pointers: [/spec/replicas]}} after flow items and in a new
 * list, a block mapping after block items); a flow list {@code [...]} gets {@code , item} before
 * its closing bracket; missing keys of the path are created as block lines at the end of the
 * deepest mapping that exists ({@link YamlScalarEdit#insertKeys}). An optional comment line goes
 * above a block item. The result is checked by parsing: the list holds its old items and the new
 * one at its end, nothing else changed. Pure.
 *
 * <p>Items are mappings of scalars and lists of scalars, or scalars (what {@code drift.ignore}
 * rules are made of).
 */
public final class YamlListAppend {
  private YamlListAppend() {}

  /**
   * The content of {@code file} with {@code item} appended to the list at {@code pointer} of its
   * {@code docIndex}-th document.
   *
   * @param comment one line of text written as a {@code #} comment above a block item (null: none);
   *     line breaks are turned into spaces
   */
  public static String append(
      String file, String content, int docIndex, String pointer, JsonNode item, String comment)
      throws YamlScalarEdit.NotEditableException {
    checkItem(file, pointer, item);
    List<String> segments = JsonPointers.split(pointer);
    if (segments.isEmpty()) {
      throw new YamlScalarEdit.NotEditableException(file, pointer, "no key to append under");
    }
    List<LocatedYaml.Document> docs = YamlScalarEdit.parse(file, content, pointer);
    String note = comment == null ? null : comment.replaceAll("[\\r\\n]+", " ").strip();
    String edited;
    if (docIndex < docs.size()
        && YamlScalarEdit.existingDepth(file, pointer, docs.get(docIndex).root(), segments)
            == segments.size()) {
      edited = appendExisting(file, content, docs.get(docIndex), pointer, item, note);
    } else {
      edited =
          YamlScalarEdit.insertKeys(
              file,
              content,
              docIndex,
              pointer,
              (from, indent, step) -> {
                StringBuilder sb = new StringBuilder();
                for (int j = from; j < segments.size(); j++) {
                  sb.append(" ".repeat(indent + step * (j - from)))
                      .append(key(file, pointer, segments.get(j)))
                      .append(":\n");
                }
                String itemIndent = " ".repeat(indent + step * (segments.size() - from));
                if (note != null && !note.isEmpty()) {
                  sb.append(itemIndent).append("# ").append(note).append('\n');
                }
                return sb.append(itemIndent)
                    .append("- ")
                    .append(flow(file, pointer, item))
                    .append('\n')
                    .toString();
              });
    }
    check(file, pointer, docs, docIndex, edited, item);
    return edited;
  }

  private static String appendExisting(
      String file,
      String content,
      LocatedYaml.Document doc,
      String pointer,
      JsonNode item,
      String note)
      throws YamlScalarEdit.NotEditableException {
    JsonNode list = doc.root().at(pointer);
    if (!list.isArray()) {
      throw new YamlScalarEdit.NotEditableException(file, pointer, "the value there is no list");
    }
    List<String> lines = YamlScalarEdit.splitKeepingEnds(content);
    Location keyLoc = doc.locations().get(pointer);
    if (keyLoc == null || keyLoc.line() <= 0 || keyLoc.line() > lines.size()) {
      throw new YamlScalarEdit.NotEditableException(file, pointer, "the list's line is unknown");
    }
    int open = flowStart(lines.get(keyLoc.line() - 1), keyLoc.column() - 1);
    if (open >= 0) {
      return appendFlow(file, pointer, lines, keyLoc.line() - 1, open, list.isEmpty(), item);
    }
    if (list.isEmpty()) {
      throw new YamlScalarEdit.NotEditableException(
          file, pointer, "an empty list not written as [] cannot be appended to");
    }
    Location first = doc.locations().get(pointer + "/0");
    Location lastItem = doc.locations().get(pointer + "/" + (list.size() - 1));
    if (first == null || lastItem == null || first.line() <= 0 || lastItem.line() <= 0) {
      throw new YamlScalarEdit.NotEditableException(file, pointer, "the items' lines are unknown");
    }
    String firstLine = lines.get(first.line() - 1);
    int dash = dashBefore(firstLine, first.column() - 1);
    if (dash < 0) {
      throw new YamlScalarEdit.NotEditableException(
          file, pointer, "the list's items are not written as '- ' lines");
    }
    int last = lastItem.line() - 1;
    for (Map.Entry<String, Location> e : doc.locations().entrySet()) {
      if (e.getKey().startsWith(pointer + "/")) {
        last = Math.max(last, e.getValue().line() - 1);
      }
    }
    // continuation lines of the last item (a wrapped flow mapping, a block scalar)
    for (int i = last + 1; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      if (indentation(lines.get(i)) > dash) {
        last = i;
      } else {
        break;
      }
    }
    String pad = " ".repeat(dash);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i <= last; i++) {
      out.append(lines.get(i));
    }
    if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
      out.append('\n');
    }
    if (note != null && !note.isEmpty()) {
      out.append(pad).append("# ").append(note).append('\n');
    }
    JsonNode firstItem = list.get(0);
    boolean blockItems =
        firstItem.isObject()
            && firstLine.length() > first.column() - 1
            && "{[".indexOf(firstLine.charAt(first.column() - 1)) < 0;
    if (blockItems && item.isObject()) {
      int keyIndent = first.column() - 1;
      boolean firstKey = true;
      for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.append(firstKey ? pad + "-" + " ".repeat(keyIndent - dash - 1) : " ".repeat(keyIndent))
            .append(key(file, pointer, e.getKey()))
            .append(": ")
            .append(flow(file, pointer, e.getValue()))
            .append('\n');
        firstKey = false;
      }
    } else {
      out.append(pad).append("- ").append(flow(file, pointer, item)).append('\n');
    }
    for (int i = last + 1; i < lines.size(); i++) {
      out.append(lines.get(i));
    }
    return out.toString();
  }

  /** {@code [a, b]} → {@code [a, b, item]}: the item inserted before the closing bracket. */
  private static String appendFlow(
      String file,
      String pointer,
      List<String> lines,
      int line,
      int open,
      boolean empty,
      JsonNode item)
      throws YamlScalarEdit.NotEditableException {
    String text = String.join("", lines.subList(line, lines.size()));
    int close = closing(text, open);
    if (close < 0) {
      throw new YamlScalarEdit.NotEditableException(file, pointer, "the list is not closed");
    }
    int before = close;
    while (before > open + 1 && Character.isWhitespace(text.charAt(before - 1))) {
      before--;
    }
    String insert = (empty ? "" : ", ") + flow(file, pointer, item);
    String edited = text.substring(0, before) + insert + text.substring(before);
    return String.join("", lines.subList(0, line)) + edited;
  }

  /** Where a flow list {@code [} opens after the key at {@code column}, or -1. */
  private static int flowStart(String line, int column) {
    int colon = -1;
    char quote = 0;
    for (int i = Math.max(0, column); i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == ':') {
        colon = i;
        break;
      }
    }
    if (colon < 0) {
      return -1;
    }
    int i = colon + 1;
    while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
      i++;
    }
    return i < line.length() && line.charAt(i) == '[' ? i : -1;
  }

  /** The index of the bracket closing the one at {@code open}, quotes and comments skipped. */
  private static int closing(String text, int open) {
    int depth = 0;
    char quote = 0;
    for (int i = open; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == '\\' && quote == '"') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '#' && Character.isWhitespace(text.charAt(i - 1))) {
        while (i < text.length() && text.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '[' || c == '{') {
        depth++;
      } else if (c == ']' || c == '}') {
        depth--;
        if (depth == 0) {
          return i;
        }
      }
    }
    return -1;
  }

  /** The column of the {@code -} of the item starting at {@code column}, or -1. */
  private static int dashBefore(String line, int column) {
    int i = Math.min(column, line.length()) - 1;
    while (i >= 0 && line.charAt(i) == ' ') {
      i--;
    }
    return i >= 0 && line.charAt(i) == '-' && line.substring(0, i).isBlank() ? i : -1;
  }

  private static int indentation(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }

  /** A value in flow style: a scalar, {@code [a, b]}, or {@code {k: v, k2: [a]}}. */
  static String flow(String file, String pointer, JsonNode value)
      throws YamlScalarEdit.NotEditableException {
    if (value.isArray()) {
      List<String> parts = new ArrayList<>();
      for (JsonNode v : value) {
        parts.add(flow(file, pointer, v));
      }
      return "[" + String.join(", ", parts) + "]";
    }
    if (value.isObject()) {
      List<String> parts = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        parts.add(key(file, pointer, e.getKey()) + ": " + flow(file, pointer, e.getValue()));
      }
      return "{" + String.join(", ", parts) + "}";
    }
    if (value.isTextual() && value.asText().isEmpty()) {
      return "\"\"";
    }
    return YamlScalarEdit.render(value, "", true);
  }

  private static String key(String file, String pointer, String key)
      throws YamlScalarEdit.NotEditableException {
    if (key.isEmpty() || key.contains("\n")) {
      throw new YamlScalarEdit.NotEditableException(file, pointer, "a key cannot be written");
    }
    return YamlScalarEdit.render(JsonNodeFactory.instance.textNode(key), "", true);
  }

  private static void checkItem(String file, String pointer, JsonNode item)
      throws YamlScalarEdit.NotEditableException {
    if (item == null || item.isNull() || item.isMissingNode()) {
      throw new YamlScalarEdit.NotEditableException(file, pointer, "no item to append");
    }
    if (item.isContainerNode()) {
      for (JsonNode child : item) {
        if (child.isObject() || (child.isArray() && !item.isObject())) {
          throw new YamlScalarEdit.NotEditableException(
              file, pointer, "the item nests deeper than a mapping of lists of values");
        }
        if (child.isArray()) {
          for (JsonNode v : child) {
            if (v.isContainerNode() || v.isNull()) {
              throw new YamlScalarEdit.NotEditableException(
                  file, pointer, "the item nests deeper than a mapping of lists of values");
            }
          }
        }
      }
    }
  }

  private static List<LocatedYaml.Document> parse(String file, String content, String pointer)
      throws YamlScalarEdit.NotEditableException {
    try {
      return LocatedYaml.parseAll(file, content);
    } catch (FleetValidationException e) {
      throw new YamlScalarEdit.NotEditableException(
          file, pointer, "not valid YAML: " + e.getMessage());
    }
  }

  /** The edited document holds the old list plus the item, and nothing else changed. */
  private static void check(
      String file,
      String pointer,
      List<LocatedYaml.Document> before,
      int docIndex,
      String edited,
      JsonNode item)
      throws YamlScalarEdit.NotEditableException {
    List<LocatedYaml.Document> after = YamlScalarEdit.parse(file, edited, pointer);
    int expected = Math.max(before.size(), docIndex + 1);
    if (after.size() != expected) {
      throw new YamlScalarEdit.NotEditableException(
          file, pointer, "the edit changed the document structure");
    }
    for (int i = 0; i < after.size(); i++) {
      JsonNode a = after.get(i).root();
      if (i != docIndex) {
        if (!a.equals(before.get(i).root())) {
          throw new YamlScalarEdit.NotEditableException(
              file, pointer, "the edit changed another document");
        }
        continue;
      }
      JsonNode list = a.at(pointer);
      if (!list.isArray() || list.isEmpty() || !JsonValues.same(list.get(list.size() - 1), item)) {
        throw new YamlScalarEdit.NotEditableException(
            file, pointer, "the edited file does not end the list with the new item");
      }
      JsonNode restored = a.deepCopy();
      ((ArrayNode) restored.at(pointer)).remove(list.size() - 1);
      JsonNode b = i < before.size() ? before.get(i).root() : null;
      if (b != null && !restored.equals(withNewKeys(b, pointer))) {
        throw new YamlScalarEdit.NotEditableException(
            file, pointer, "the edit changed more than the list");
      }
    }
  }

  /**
   * What the document before the edit becomes once the path's missing keys exist as empty
   * containers: then it equals the edited document minus the new item.
   */
  private static JsonNode withNewKeys(JsonNode before, String pointer) {
    JsonNode copy = before.deepCopy();
    List<String> segments = JsonPointers.split(pointer);
    JsonNode node = copy;
    for (int j = 0; j < segments.size(); j++) {
      if (!(node instanceof com.fasterxml.jackson.databind.node.ObjectNode o)) {
        return copy;
      }
      JsonNode child = o.get(segments.get(j));
      if (child == null) {
        child =
            j == segments.size() - 1 ? o.putArray(segments.get(j)) : o.putObject(segments.get(j));
      }
      node = child;
    }
    return copy;
  }
}

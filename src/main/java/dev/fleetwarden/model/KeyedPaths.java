package dev.fleetwarden.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Drift paths: JSON pointers whose segments inside a keyed list name the element by its key ({@code
 * /webhooks/name=validate.example.com/failurePolicy}, {@code
 * /spec/template/spec/containers/name=web/ports/containerPort=8080,protocol=TCP/name}), the segment
 * escaped like any pointer segment ({@code /volumeMounts/mountPath=~1etc~1web/readOnly}), and by
 * index inside lists without keys. This is the one resolver from such a path to the node it names
 * in a manifest and to the plain index pointer of that node ({@code
 * /spec/template/spec/containers/1/image}), which values files, provenance and YAML edits use.
 * Pure.
 */
public final class KeyedPaths {
  private static final Pattern FIELD = Pattern.compile("[A-Za-z_$][A-Za-z0-9_.$-]*");
  private static final Pattern NEXT_KEY = Pattern.compile(",(?=[A-Za-z_$][A-Za-z0-9_.$-]*=)");

  private KeyedPaths() {}

  /** A node found by a drift path, and its index pointer in the same document. */
  public record Located(JsonNode node, String indexPointer) {}

  /**
   * The key fields and values one (unescaped) segment selects, in its order, or null when it is not
   * {@code field=value} or {@code f1=v1,f2=v2}.
   */
  public static Map<String, String> selector(String segment) {
    int eq = segment.indexOf('=');
    if (eq <= 0) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : NEXT_KEY.split(segment, -1)) {
      int e = part.indexOf('=');
      if (e <= 0 || !FIELD.matcher(part.substring(0, e)).matches()) {
        return null;
      }
      out.put(part.substring(0, e), part.substring(e + 1));
    }
    return out;
  }

  /**
   * Whether {@code element} is the list element {@code selector} names: each key field it holds
   * equals the selected value (compared as text). A selected field the element lacks (one the API
   * server defaults, such as a port's {@code protocol}) does not exclude it, but at least one field
   * must match.
   */
  public static boolean selects(Map<String, String> selector, JsonNode element) {
    if (element == null || !element.isObject()) {
      return false;
    }
    boolean any = false;
    for (Map.Entry<String, String> e : selector.entrySet()) {
      JsonNode v = element.get(e.getKey());
      if (v == null || v.isNull()) {
        continue;
      }
      if (!v.isValueNode() || !v.asText().equals(e.getValue())) {
        return false;
      }
      any = true;
    }
    return any;
  }

  /**
   * The node a drift path names in {@code root} and its index pointer, or null when the path names
   * nothing there. In a list, a digit segment is an index and a key segment the element whose key
   * fields all equal it; when no element holds every key field, the one element that matches the
   * fields it has (a defaulted key field left out of the manifest).
   */
  public static Located locate(JsonNode root, String path) {
    if (root == null) {
      return null;
    }
    List<String> segments = JsonPointers.split(path);
    StringBuilder pointer = new StringBuilder();
    JsonNode node = root;
    for (String segment : segments) {
      if (node.isArray()) {
        int index = indexIn(node, segment);
        if (index < 0) {
          return null;
        }
        node = node.get(index);
        pointer.append('/').append(index);
      } else if (node.isObject()) {
        node = node.get(segment);
        if (node == null) {
          return null;
        }
        pointer.append('/').append(JsonPointers.escape(segment));
      } else {
        return null;
      }
    }
    return new Located(node, pointer.toString());
  }

  /**
   * The index pointer of the place a drift path names in {@code root}, or null when an element it
   * names by key or index is not there. Object fields below the last node that exists are kept as
   * they are (a field live holds and the manifest does not), so a patch can add them.
   */
  public static String indexPointer(JsonNode root, String path) {
    if (root == null) {
      return null;
    }
    List<String> segments = JsonPointers.split(path);
    StringBuilder pointer = new StringBuilder();
    JsonNode node = root;
    for (String segment : segments) {
      if (node != null && node.isArray()) {
        int index = indexIn(node, segment);
        if (index < 0) {
          return null;
        }
        node = node.get(index);
        pointer.append('/').append(index);
      } else if (node == null || node.isObject()) {
        if (node == null && selector(segment) != null) {
          return null;
        }
        node = node == null ? null : node.get(segment);
        pointer.append('/').append(JsonPointers.escape(segment));
      } else {
        return null;
      }
    }
    return pointer.toString();
  }

  /** The node a drift path names, or a missing node (as {@link JsonNode#at} answers). */
  public static JsonNode at(JsonNode root, String path) {
    Located l = locate(root, path);
    return l == null ? MissingNode.getInstance() : l.node();
  }

  /** Whether one unescaped segment is an index ({@code 0}, {@code 12}). */
  public static boolean isIndex(String segment) {
    if (segment.isEmpty() || segment.length() > 9) {
      return false;
    }
    for (int i = 0; i < segment.length(); i++) {
      if (!Character.isDigit(segment.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** The index of the element a segment names in a list, or -1. */
  public static int indexIn(JsonNode list, String segment) {
    if (isIndex(segment)) {
      int index = Integer.parseInt(segment);
      return index < list.size() ? index : -1;
    }
    Map<String, String> selector = selector(segment);
    if (selector == null) {
      return -1;
    }
    int partial = -1;
    int partials = 0;
    for (int i = 0; i < list.size(); i++) {
      JsonNode element = list.get(i);
      if (!selects(selector, element)) {
        continue;
      }
      if (holdsAll(selector, element)) {
        return i;
      }
      partial = i;
      partials++;
    }
    return partials == 1 ? partial : -1;
  }

  private static boolean holdsAll(Map<String, String> selector, JsonNode element) {
    for (String field : selector.keySet()) {
      JsonNode v = element.get(field);
      if (v == null || v.isNull()) {
        return false;
      }
    }
    return true;
  }
}

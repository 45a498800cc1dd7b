package dev.fleetwarden.model;

import java.util.ArrayList;
import java.util.List;

/**
 * JSON pointer (RFC 6901) splitting and joining, with {@code ~0}/{@code ~1} escapes: the one place
 * that knows them.
 */
public final class JsonPointers {
  private JsonPointers() {}

  /** The unescaped segments of a pointer; {@code ""} and {@code "/"} are the whole document. */
  public static List<String> split(String pointer) {
    List<String> out = new ArrayList<>();
    if (pointer == null || pointer.isEmpty() || pointer.equals("/")) {
      return out;
    }
    String body = pointer.startsWith("/") ? pointer.substring(1) : pointer;
    for (String raw : body.split("/", -1)) {
      out.add(unescape(raw));
    }
    return out;
  }

  /** A pointer from unescaped segments. */
  public static String join(List<String> segments) {
    StringBuilder sb = new StringBuilder();
    for (String segment : segments) {
      sb.append('/').append(escape(segment));
    }
    return sb.toString();
  }

  /** A key as one pointer segment. */
  public static String escape(String segment) {
    if (segment.indexOf('~') < 0 && segment.indexOf('/') < 0) {
      return segment;
    }
    return segment.replace("~", "~0").replace("/", "~1");
  }

  /** The key one pointer segment stands for. */
  public static String unescape(String segment) {
    return segment.replace("~1", "/").replace("~0", "~");
  }
}

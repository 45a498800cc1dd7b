package dev.fleetwarden.drift;

import java.util.ArrayList;
import java.util.List;

/** JSON pointer (RFC 6901) splitting and joining, with {@code ~0}/{@code ~1} escapes. */
final class Pointers {
  private Pointers() {}

  /** The unescaped segments of a pointer; {@code ""} and {@code "/"} are the whole document. */
  static List<String> split(String pointer) {
    List<String> out = new ArrayList<>();
    if (pointer == null || pointer.isEmpty() || pointer.equals("/")) {
      return out;
    }
    String body = pointer.startsWith("/") ? pointer.substring(1) : pointer;
    for (String raw : body.split("/", -1)) {
      out.add(raw.replace("~1", "/").replace("~0", "~"));
    }
    return out;
  }

  static String join(List<String> segments) {
    StringBuilder sb = new StringBuilder();
    for (String segment : segments) {
      sb.append('/').append(escape(segment));
    }
    return sb.toString();
  }

  static String escape(String segment) {
    if (segment.indexOf('~') < 0 && segment.indexOf('/') < 0) {
      return segment;
    }
    return segment.replace("~", "~0").replace("/", "~1");
  }
}

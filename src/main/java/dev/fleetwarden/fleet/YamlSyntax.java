package dev.fleetwarden.fleet;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML syntax error in the words of the person who made it: the parser's "while parsing a block
 * mapping" becomes "this key is indented differently from the keys before it", at the line where
 * the mistake most likely is (where a bracket or quote was opened, for an unclosed one).
 *
 * @param line 1-based, 0 when the parser gave no position
 */
record YamlSyntax(int line, int column, String message) {

  static YamlSyntax explain(MarkedYAMLException e) {
    String context = e.getContext() == null ? "" : e.getContext();
    String problem = e.getProblem() == null ? "" : e.getProblem();
    Mark at = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    Mark opened = e.getContextMark() != null ? e.getContextMark() : at;
    if (problem.contains("'\\t'") || problem.contains("\\t(TAB)")) {
      return of(at, "a tab character: YAML indents with spaces only; replace the tab by spaces");
    }
    if (context.contains("quoted scalar")) {
      return of(opened, "a quoted string is not closed; add the closing quote");
    }
    if (context.contains("flow sequence")) {
      return of(opened, "a '[' is not closed; close it with ']' or quote the value");
    }
    if (context.contains("flow mapping")) {
      return of(opened, "a '{' is not closed; close it with '}' or quote the value");
    }
    if (problem.contains("mapping values are not allowed")) {
      return of(
          at,
          "unexpected ':': this line is indented deeper than the line above allows, or a value"
              + " containing ': ' needs quotes");
    }
    if (context.contains("block mapping")) {
      return of(
          at,
          "this line is indented differently from the keys above it; keys of one mapping start"
              + " in the same column (indent with spaces, the same number per level)");
    }
    if (context.contains("block collection")) {
      return of(
          at,
          "this list item is indented differently from the items above it; items of one list"
              + " start in the same column");
    }
    if (problem.contains("could not find expected ':'")) {
      return of(at, "a line without ':' inside a mapping; add 'key: value' or quote the text");
    }
    String words = problem.isEmpty() ? context : problem + (context.isEmpty() ? "" : " " + context);
    return of(at, "not valid YAML: " + words + "; fix the syntax at this position");
  }

  private static YamlSyntax of(Mark mark, String message) {
    return mark == null
        ? new YamlSyntax(0, 0, message)
        : new YamlSyntax(mark.getLine() + 1, mark.getColumn() + 1, message);
  }
}

package dev.fleetwarden.render;

import dev.fleetwarden.fleet.FleetError;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.LocatedYaml;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits Helm's rendered stream into objects, each with the repo-relative template it came from
 * (from the {@code # Source: <chart>/templates/x.yaml} comment Helm writes before each document).
 * Pure.
 */
final class HelmOutput {
  private static final String SOURCE = "# Source: ";

  private HelmOutput() {}

  static List<RenderedDocument> parse(String output, String chartRel, String addon)
      throws RenderException {
    List<RenderedDocument> docs = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    String source = chartRel;
    for (String line : output.split("\n", -1)) {
      if (line.equals("---") || line.startsWith("--- ")) {
        flush(current, source, addon, docs);
        current.setLength(0);
        source = chartRel;
        continue;
      }
      if (line.startsWith(SOURCE)) {
        String ref = line.substring(SOURCE.length()).trim();
        int slash = ref.indexOf('/');
        source = slash < 0 ? chartRel : chartRel + "/" + ref.substring(slash + 1);
      }
      current.append(line).append('\n');
    }
    flush(current, source, addon, docs);
    return docs;
  }

  private static void flush(
      StringBuilder text, String source, String addon, List<RenderedDocument> out)
      throws RenderException {
    if (text.toString().isBlank()) {
      return;
    }
    List<LocatedYaml.Document> parsed;
    try {
      parsed = LocatedYaml.parseAll(source, text.toString());
    } catch (FleetValidationException e) {
      FleetError err = e.errors().get(0);
      throw new RenderException(
          addon,
          source,
          0,
          "the template renders invalid YAML ("
              + err.message()
              + " at line "
              + err.line()
              + " of its output); fix the template's indentation or quoting");
    }
    for (LocatedYaml.Document d : parsed) {
      ObjectDocuments.add(d.root(), source, addon, d.lineOf(""), out);
    }
  }
}

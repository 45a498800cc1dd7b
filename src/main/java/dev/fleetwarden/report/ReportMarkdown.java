package dev.fleetwarden.report;

import dev.fleetwarden.model.ClusterReport;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.FleetReport;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.Reflected;

/**
 * The report as Markdown, for PR descriptions and comments. Every name, value, field manager and
 * reason goes through {@link MarkdownText}: nothing in them can add HTML, a link, an image or a
 * mention, or break the tables.
 */
public final class ReportMarkdown {
  private ReportMarkdown() {}

  public static String format(FleetReport report) {
    StringBuilder sb = new StringBuilder("## fleetwarden drift report\n\n");
    sb.append("| cluster | status | objects | reason |\n|---|---|---|---|\n");
    for (ClusterReport c : report.clusters()) {
      sb.append("| ")
          .append(name(c.name()))
          .append(" | ")
          .append(c.status().label())
          .append(" | ")
          .append(c.drifts().size())
          .append(" | ")
          .append(c.reason() == null ? "" : MarkdownText.text(c.reason()))
          .append(" |\n");
    }
    for (ClusterReport c : report.clusters()) {
      if (c.drifts().isEmpty()) {
        continue;
      }
      sb.append("\n### ").append(name(c.name())).append("\n\n");
      for (ObjectDrift d : c.drifts()) {
        sb.append(object(d));
      }
    }
    return sb.toString();
  }

  /** One drifted object: its id, type, add-on, file and a table of fields. */
  public static String object(ObjectDrift d) {
    StringBuilder sb = new StringBuilder();
    sb.append("#### ")
        .append(MarkdownText.code(Reflected.id(d.resource()).toString()))
        .append(" — ")
        .append(d.type().label())
        .append('\n');
    if (d.addon() != null || d.file() != null) {
      sb.append('\n');
      if (d.addon() != null) {
        sb.append("add-on ").append(MarkdownText.code(Reflected.cap(d.addon(), Reflected.NAME)));
      }
      if (d.file() != null) {
        sb.append(d.addon() != null ? ", " : "")
            .append("from ")
            .append(MarkdownText.code(Reflected.cap(d.file(), Reflected.NAME)));
      }
      sb.append('\n');
    }
    if (!d.fields().isEmpty()) {
      sb.append("\n| field | desired | live | changed by | set in |\n|---|---|---|---|---|\n");
      for (FieldDrift f : d.fields()) {
        sb.append("| ")
            .append(MarkdownText.codeCell(Reflected.cap(f.path(), Reflected.NAME)))
            .append(" | ")
            .append(MarkdownText.codeCell(Values.show(f.desired())))
            .append(" | ")
            .append(MarkdownText.codeCell(Values.show(f.live())))
            .append(" | ")
            .append(
                f.manager() == null
                    ? ""
                    : name(f.manager()) + (f.time() == null ? "" : " at " + f.time()))
            .append(" | ")
            .append(
                f.origin() == null
                    ? ""
                    : MarkdownText.codeCell(Reflected.cap(f.origin().toString(), Reflected.NAME)))
            .append(" |\n");
      }
    }
    sb.append('\n');
    return sb.toString();
  }

  private static String name(String s) {
    return MarkdownText.text(Reflected.cap(s, Reflected.NAME));
  }
}

package dev.fleetwarden.report;

import dev.fleetwarden.model.ClusterReport;
import dev.fleetwarden.model.DriftMarkdown;
import dev.fleetwarden.model.FleetReport;
import dev.fleetwarden.model.MarkdownText;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.Reflected;
import dev.fleetwarden.model.Severity;

/**
 * The report as Markdown, for PR descriptions and comments. Every name, value, field manager and
 * reason goes through {@link MarkdownText}: nothing in them can add HTML, a link, an image or a
 * mention, or break the tables. Each drifted object is the {@link DriftMarkdown} block.
 */
public final class ReportMarkdown {
  private ReportMarkdown() {}

  public static String format(FleetReport report) {
    StringBuilder sb = new StringBuilder("## fleetwarden drift report\n\n");
    sb.append("| cluster | status | severity | objects | reason |\n|---|---|---|---|---|\n");
    for (ClusterReport c : report.clusters()) {
      sb.append("| ")
          .append(name(c.name()))
          .append(" | ")
          .append(c.status().label())
          .append(" | ")
          .append(c.severity() == Severity.CRITICAL ? "**critical**" : c.severity().label())
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
        sb.append(DriftMarkdown.object(d));
      }
    }
    return sb.toString();
  }

  private static String name(String s) {
    return MarkdownText.text(Reflected.cap(s, Reflected.NAME));
  }
}

package dev.fleetwarden.report;

import dev.fleetwarden.model.ClusterReport;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.FleetReport;
import dev.fleetwarden.model.ObjectDrift;

/** The report as Markdown, for PR descriptions and comments. */
public final class ReportMarkdown {
  private ReportMarkdown() {}

  public static String format(FleetReport report) {
    StringBuilder sb = new StringBuilder("## fleetwarden drift report\n\n");
    sb.append("| cluster | status | objects | reason |\n|---|---|---|---|\n");
    for (ClusterReport c : report.clusters()) {
      sb.append("| ")
          .append(c.name())
          .append(" | ")
          .append(c.status().label())
          .append(" | ")
          .append(c.drifts().size())
          .append(" | ")
          .append(c.reason() == null ? "" : escape(c.reason()))
          .append(" |\n");
    }
    for (ClusterReport c : report.clusters()) {
      if (c.drifts().isEmpty()) {
        continue;
      }
      sb.append("\n### ").append(c.name()).append("\n\n");
      for (ObjectDrift d : c.drifts()) {
        sb.append(object(d));
      }
    }
    return sb.toString();
  }

  /** One drifted object: its id, type, add-on, file and a table of fields. */
  public static String object(ObjectDrift d) {
    StringBuilder sb = new StringBuilder();
    sb.append("#### `").append(d.resource()).append("` — ").append(d.type().label()).append('\n');
    if (d.addon() != null || d.file() != null) {
      sb.append('\n');
      if (d.addon() != null) {
        sb.append("add-on `").append(d.addon()).append('`');
      }
      if (d.file() != null) {
        sb.append(d.addon() != null ? ", " : "").append("from `").append(d.file()).append('`');
      }
      sb.append('\n');
    }
    if (!d.fields().isEmpty()) {
      sb.append("\n| field | desired | live | changed by | set in |\n|---|---|---|---|---|\n");
      for (FieldDrift f : d.fields()) {
        sb.append("| `")
            .append(f.path())
            .append("` | `")
            .append(escape(Values.show(f.desired())))
            .append("` | `")
            .append(escape(Values.show(f.live())))
            .append("` | ")
            .append(
                f.manager() == null
                    ? ""
                    : f.manager() + (f.time() == null ? "" : " at " + f.time()))
            .append(" | ")
            .append(f.origin() == null ? "" : "`" + f.origin() + "`")
            .append(" |\n");
      }
    }
    sb.append('\n');
    return sb.toString();
  }

  private static String escape(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }
}

package dev.fleetwarden.app;

import dev.fleetwarden.model.FleetReport;
import dev.fleetwarden.preview.Preview;
import dev.fleetwarden.preview.PreviewJson;
import dev.fleetwarden.preview.PreviewMarkdown;
import dev.fleetwarden.preview.PreviewText;
import dev.fleetwarden.report.ReportJson;
import dev.fleetwarden.report.ReportMarkdown;
import dev.fleetwarden.report.ReportText;

/** How a drift report or a preview is printed. */
public enum OutputFormat {
  text,
  json,
  markdown;

  public String format(FleetReport report) {
    return switch (this) {
      case text -> ReportText.forTerminal().format(report);
      case json -> ReportJson.format(report);
      case markdown -> ReportMarkdown.format(report);
    };
  }

  public String format(Preview preview) {
    return switch (this) {
      case text -> PreviewText.format(preview);
      case json -> PreviewJson.format(preview);
      case markdown -> PreviewMarkdown.format(preview);
    };
  }
}

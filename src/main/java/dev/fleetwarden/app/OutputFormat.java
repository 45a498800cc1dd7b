package dev.fleetwarden.app;

import dev.fleetwarden.model.FleetReport;
import dev.fleetwarden.report.ReportJson;
import dev.fleetwarden.report.ReportMarkdown;
import dev.fleetwarden.report.ReportText;

/** How a drift report is printed. */
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
}

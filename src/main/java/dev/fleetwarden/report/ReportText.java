package dev.fleetwarden.report;

import dev.fleetwarden.model.ClusterReport;
import dev.fleetwarden.model.ClusterStatus;
import dev.fleetwarden.model.DriftType;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.FleetReport;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.PartStatus;
import dev.fleetwarden.model.Reflected;
import dev.fleetwarden.model.Risk;
import java.util.EnumMap;
import java.util.Map;

/**
 * The report for people: grouped by cluster, optional ANSI colors, a summary line. A critical
 * object (one a risk rule matched) is marked {@code CRITICAL} and followed by one {@code !} line
 * per reason, with the path and the rule's id. Every name, value, field manager and reason goes
 * through {@link TerminalText}: the only escape sequences in the output are the colors added here,
 * and each line is one line of the report.
 */
public final class ReportText {
  private final boolean color;

  public ReportText(boolean color) {
    this.color = color;
  }

  /** Colors when stdout is a terminal and {@code NO_COLOR} is unset. */
  public static ReportText forTerminal() {
    return new ReportText(System.console() != null && System.getenv("NO_COLOR") == null);
  }

  public String format(FleetReport report) {
    StringBuilder sb = new StringBuilder();
    Map<ClusterStatus, Integer> byStatus = new EnumMap<>(ClusterStatus.class);
    Map<DriftType, Integer> byType = new EnumMap<>(DriftType.class);
    int critical = 0;
    for (ClusterReport c : report.clusters()) {
      byStatus.merge(c.status(), 1, Integer::sum);
      sb.append(paint(bold(name(c.name())), null))
          .append("  ")
          .append(paint(c.status().label(), statusColor(c.status())));
      if (c.reason() != null) {
        sb.append(": ").append(TerminalText.of(c.reason()));
      }
      sb.append('\n');
      part(sb, "kubernetes", c.kubernetes());
      part(sb, "terraform", c.terraform());
      for (ObjectDrift d : c.drifts()) {
        byType.merge(d.type(), 1, Integer::sum);
        sb.append("  ")
            .append(paint(symbol(d.type()), typeColor(d.type())))
            .append(' ')
            .append(TerminalText.of(Reflected.id(d.resource()).withinCluster()))
            .append("  ")
            .append(paint(d.type().label(), typeColor(d.type())));
        if (d.addon() != null) {
          sb.append("  [").append(name(d.addon())).append(']');
        }
        if (d.file() != null) {
          sb.append("  ").append(name(d.file()));
        }
        if (!d.risk().isEmpty()) {
          critical++;
          sb.append("  ").append(paint("CRITICAL", "1;31"));
        }
        sb.append('\n');
        for (Risk r : d.risk()) {
          sb.append("      ")
              .append(paint("!", "1;31"))
              .append(' ')
              .append(TerminalText.of(Reflected.cap(r.reason(), Reflected.NAME)));
          if (!r.path().isEmpty()) {
            sb.append(" at ").append(name(r.path()));
          }
          sb.append("  [").append(name(r.rule())).append("]\n");
        }
        for (FieldDrift f : d.fields()) {
          sb.append("      ");
          if (f.isWholeObject()) {
            sb.append("(the object itself)");
          } else {
            sb.append(name(f.path()))
                .append(": ")
                .append(TerminalText.of(Reflected.show(f.desired())))
                .append(" → ")
                .append(TerminalText.of(Reflected.show(f.live())));
          }
          if (f.manager() != null) {
            sb.append("   (changed by ").append(name(f.manager()));
            if (f.time() != null) {
              sb.append(" at ").append(f.time());
            }
            sb.append(')');
          }
          if (f.origin() != null) {
            sb.append("   set in ").append(name(f.origin().toString()));
          }
          sb.append('\n');
        }
      }
    }
    sb.append(summary(report, byStatus, byType));
    if (critical > 0) {
      sb.append("; ").append(critical).append(" critical");
    }
    sb.append('\n');
    return sb.toString();
  }

  private void part(StringBuilder sb, String name, PartStatus part) {
    if (part != null
        && part.status() != null
        && part.status() != ClusterStatus.IN_SYNC
        && part.reason() != null) {
      sb.append("  ")
          .append(name)
          .append(": ")
          .append(paint(part.status().label(), statusColor(part.status())))
          .append(" (")
          .append(TerminalText.of(part.reason()))
          .append(")\n");
    }
  }

  private static String summary(
      FleetReport report, Map<ClusterStatus, Integer> byStatus, Map<DriftType, Integer> byType) {
    StringBuilder sb =
        new StringBuilder("Summary: ").append(report.clusters().size()).append(" clusters");
    String sep = ": ";
    for (ClusterStatus s : ClusterStatus.values()) {
      if (byStatus.containsKey(s)) {
        sb.append(sep).append(byStatus.get(s)).append(' ').append(s.label());
        sep = ", ";
      }
    }
    int objects = byType.values().stream().mapToInt(Integer::intValue).sum();
    sb.append("; ")
        .append(objects)
        .append(" object")
        .append(objects == 1 ? " differs" : "s differ");
    sep = " (";
    for (DriftType t : DriftType.values()) {
      if (byType.containsKey(t)) {
        sb.append(sep).append(byType.get(t)).append(' ').append(t.label());
        sep = ", ";
      }
    }
    if (!byType.isEmpty()) {
      sb.append(')');
    }
    return sb.toString();
  }

  private static String name(String s) {
    return TerminalText.of(Reflected.cap(s, Reflected.NAME));
  }

  private static String symbol(DriftType t) {
    return switch (t) {
      case MODIFIED -> "~";
      case MISSING -> "-";
      case ORPHAN -> "+";
      case ADDED -> "*";
      case PENDING -> ">";
    };
  }

  private static String statusColor(ClusterStatus s) {
    return switch (s) {
      case IN_SYNC -> "32";
      case DRIFTED -> "33";
      case UNKNOWN -> "35";
      case RENDER_ERROR -> "31";
    };
  }

  private static String typeColor(DriftType t) {
    return switch (t) {
      case MODIFIED, ORPHAN, ADDED -> "33";
      case MISSING -> "31";
      case PENDING -> "36";
    };
  }

  private String bold(String s) {
    return color ? "\u001b[1m" + s + "\u001b[0m" : s;
  }

  private String paint(String s, String code) {
    return color && code != null ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
  }
}

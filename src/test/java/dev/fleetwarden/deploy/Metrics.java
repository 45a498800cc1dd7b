package dev.fleetwarden.deploy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metrics fleetwarden exposes (Micrometer's Prometheus naming), and a small PromQL reader that
 * lists the metric names an expression selects.
 */
final class Metrics {
  /** Every metric fleetwarden exposes, by its Prometheus name. */
  static final List<String> EXPOSED =
      List.of(
          "fleetwarden_scan_duration_seconds",
          "fleetwarden_drifted_objects",
          "fleetwarden_critical_objects",
          "fleetwarden_cluster_reachable",
          "fleetwarden_git_last_success_timestamp_seconds",
          "fleetwarden_render_errors_total",
          "fleetwarden_terraform_plan_duration_seconds",
          "fleetwarden_outbox_pending",
          "fleetwarden_scan_failures_total");

  /** Timers: Micrometer exposes them as _count, _sum and _max series (and _bucket with SLOs). */
  static final List<String> TIMERS =
      List.of("fleetwarden_scan_duration_seconds", "fleetwarden_terraform_plan_duration_seconds");

  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "offset", "bool", "inf", "nan");
  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
  private static final Pattern GROUPING =
      Pattern.compile(
          "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern IDENT =
      Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
  private static final Pattern LABEL_VALUES =
      Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,");

  private Metrics() {}

  /** The series names a query may select: each exposed metric, and each timer's series. */
  static Set<String> allowedSeries() {
    Set<String> out = new LinkedHashSet<>(EXPOSED);
    for (String t : TIMERS) {
      for (String suffix : List.of("_count", "_sum", "_max", "_bucket")) {
        out.add(t + suffix);
      }
    }
    return out;
  }

  /** The exposed metric a series belongs to ({@code x_seconds_count} -> {@code x_seconds}). */
  static String baseOf(String series) {
    for (String t : TIMERS) {
      if (series.startsWith(t + "_")) {
        return t;
      }
    }
    return series;
  }

  /** Metric names selected by a PromQL expression (functions, keywords and labels removed). */
  static Set<String> metricNames(String promql) {
    Set<String> out = new LinkedHashSet<>();
    Matcher lv = LABEL_VALUES.matcher(promql);
    while (lv.find()) {
      out.add(lv.group(1));
    }
    String s = STRING.matcher(promql).replaceAll(" ");
    s = MATCHERS.matcher(s).replaceAll(" ");
    s = RANGES.matcher(s).replaceAll(" ");
    s = GROUPING.matcher(s).replaceAll(" ");
    s = s.replaceAll("\\blabel_values\\([^)]*\\)", " ");
    Matcher m = IDENT.matcher(s);
    while (m.find()) {
      String name = m.group(1);
      boolean function = m.group(2) != null;
      if (!function && !KEYWORDS.contains(name.toLowerCase())) {
        out.add(name);
      }
    }
    return out;
  }
}

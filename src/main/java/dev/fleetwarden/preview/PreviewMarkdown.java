package dev.fleetwarden.preview;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.fleet.FleetError;
import dev.fleetwarden.model.MarkdownText;
import dev.fleetwarden.model.Reflected;
import dev.fleetwarden.model.ResourceId;
import java.util.ArrayList;
import java.util.List;

/**
 * A preview as GitHub Markdown: the pull request comment and {@code preview -o markdown}. The
 * summary comes first (the headline, the head's problems, one table row per cluster with its
 * counts), then each cluster's details folded in a {@code <details>} block: the live changes
 * merging would revert, the drift it would adopt, and the objects and Terraform resources with
 * their fields. Every name, path, value, field manager and message from the fleet repo or a cluster
 * goes through {@link MarkdownText}: nothing in them can add HTML (so no hidden marker), a link, an
 * image or a mention, or break a table.
 *
 * <p>Within a size limit (GitHub refuses comments over {@value #GITHUB_LIMIT} characters) the
 * summary table is kept whole where it fits, then the details of as many clusters as fit; what is
 * left out is named in a closing note.
 */
public final class PreviewMarkdown {
  /** Opens every comment fleetwarden writes on a pull request, so it finds it again. */
  public static final String MARKER = "<!-- fleetwarden:preview -->";

  /** The longest comment body GitHub accepts. */
  public static final int GITHUB_LIMIT = 65_536;

  /** Room kept for the closing note and the footer. */
  private static final int RESERVE = 1_500;

  private PreviewMarkdown() {}

  /** The whole preview without a size limit ({@code preview -o markdown}). */
  public static String format(Preview p) {
    return build(p, Integer.MAX_VALUE, null, null);
  }

  /**
   * The pull request comment: the marker first, within {@code limit} characters, with {@code
   * footer} (fleetwarden's own Markdown) at the end.
   *
   * @param limit at least a few thousand characters; {@link #GITHUB_LIMIT} on GitHub
   */
  public static String comment(Preview p, int limit, String footer) {
    return build(p, limit, MARKER, footer);
  }

  /** The preview within {@code limit} characters, without the marker (a check run's summary). */
  public static String summary(Preview p, int limit) {
    return build(p, limit, null, null);
  }

  private static String build(Preview p, int limit, String marker, String footer) {
    Budget out = new Budget(limit - RESERVE - (footer == null ? 0 : footer.length()));
    if (marker != null) {
      out.force(marker + "\n");
    }
    out.force("### fleetwarden preview\n\n");
    out.force(
        MarkdownText.code(Phrases.shortRev(p.base()))
            + ".."
            + MarkdownText.code(Phrases.shortRev(p.head()))
            + ": "
            + MarkdownText.text(Phrases.headline(p))
            + "\n\n");
    int omittedErrors = 0;
    if (!p.errors().isEmpty()) {
      out.force("| file | line | problem |\n|---|---:|---|\n");
      for (FleetError e : p.errors()) {
        if (!out.add(errorRow(e))) {
          omittedErrors++;
        }
      }
      out.force("\n");
    }
    if (p.overwrites() > 0) {
      out.force(
          "> **Merging this overwrites live changes:** "
              + Phrases.plural(p.overwrites(), "field")
              + " changed outside Git would be set back (details below).\n\n");
    }
    int omittedRows = 0;
    if (!p.clusters().isEmpty()) {
      out.force(
          "| cluster | added | removed | modified | terraform | overwrites live drift | adopts"
              + " live drift |\n|---|---:|---:|---:|---:|---:|---:|\n");
      for (ClusterPreview c : p.clusters()) {
        if (!out.add(summaryRow(c))) {
          omittedRows++;
        }
      }
      out.force("\n");
    }
    int omittedDetails = 0;
    for (ClusterPreview c : p.clusters()) {
      if (omittedDetails > 0 || !details(out, c)) {
        omittedDetails++;
      }
    }
    String note = omissions(omittedErrors, omittedRows, omittedDetails);
    if (note != null) {
      out.force("\n" + note + "\n");
    }
    if (footer != null) {
      out.force("\n" + footer + "\n");
    }
    return out.toString();
  }

  private static String errorRow(FleetError e) {
    return "| "
        + MarkdownText.codeCell(Reflected.cap(e.file() == null ? "-" : e.file(), Reflected.NAME))
        + " | "
        + (e.line() > 0 ? e.line() + (e.column() > 0 ? ":" + e.column() : "") : "")
        + " | "
        + MarkdownText.text(e.message())
        + " |\n";
  }

  private static String summaryRow(ClusterPreview c) {
    return "| "
        + MarkdownText.codeCell(Reflected.cap(c.name(), Reflected.NAME))
        + " | "
        + c.count(Change.ADDED)
        + " | "
        + c.count(Change.REMOVED)
        + " | "
        + c.count(Change.MODIFIED)
        + " | "
        + c.terraform().size()
        + " | "
        + (c.overwritesDrift().isEmpty() ? "0" : "**" + c.overwritesDrift().size() + "**")
        + " | "
        + c.resolvesDrift().size()
        + (c.live() == null ? "" : " (live state " + MarkdownText.text(c.live()) + ")")
        + " |\n";
  }

  /** One cluster's folded block; false when not even its opening fits. */
  private static boolean details(Budget out, ClusterPreview c) {
    StringBuilder summary =
        new StringBuilder(MarkdownText.text(Reflected.cap(c.name(), Reflected.NAME))).append(": ");
    List<String> parts = new ArrayList<>();
    for (Change ch : Change.values()) {
      if (c.count(ch) > 0) {
        parts.add(c.count(ch) + " " + ch.label());
      }
    }
    if (!c.terraform().isEmpty()) {
      parts.add(Phrases.plural(c.terraform().size(), "Terraform resource"));
    }
    if (!c.overwritesDrift().isEmpty()) {
      parts.add("overwrites " + Phrases.plural(c.overwritesDrift().size(), "live change"));
    }
    if (!c.resolvesDrift().isEmpty()) {
      parts.add("adopts " + Phrases.plural(c.resolvesDrift().size(), "live drift"));
    }
    summary.append(parts.isEmpty() ? "no change" : String.join(", ", parts));
    String open = "<details><summary>" + summary + "</summary>\n\n";
    if (c.note() != null) {
      open += "Note: " + MarkdownText.text(c.note()) + "\n\n";
    }
    if (!out.add(open)) {
      return false;
    }
    int omitted = 0;
    omitted += section(out, overwriteRows(c), "**Overwrites live drift**", OVERWRITE_HEAD);
    omitted += section(out, resolveRows(c), "**Adopts live drift**", RESOLVE_HEAD);
    omitted += section(out, changeRows(c.objects()), "**Objects**", CHANGE_HEAD);
    omitted += section(out, changeRows(c.terraform()), "**Terraform**", CHANGE_HEAD);
    if (omitted > 0) {
      out.force("… " + Phrases.plural(omitted, "more row") + " not shown (size limit)\n\n");
    }
    out.force("</details>\n");
    return true;
  }

  private static final String OVERWRITE_HEAD =
      "| object | field | live | head sets | |\n|---|---|---|---|---|\n";
  private static final String RESOLVE_HEAD = "| object | field |\n|---|---|\n";
  private static final String CHANGE_HEAD =
      "| | object | field | before | after |\n|---|---|---|---|---|\n";

  /** Adds a titled table row by row; returns how many rows did not fit. */
  private static int section(Budget out, List<String> rows, String title, String head) {
    if (rows.isEmpty()) {
      return 0;
    }
    if (!out.add(title + "\n\n" + head)) {
      return rows.size();
    }
    int omitted = 0;
    for (String row : rows) {
      if (omitted > 0 || !out.add(row)) {
        omitted++;
      }
    }
    out.force("\n");
    return omitted;
  }

  private static List<String> overwriteRows(ClusterPreview c) {
    List<String> rows = new ArrayList<>();
    for (DriftOverwrite o : c.overwritesDrift()) {
      rows.add(
          "| "
              + id(o.resource())
              + " | "
              + path(o.path())
              + " | "
              + value(o.live())
              + " | "
              + value(o.desired())
              + " | "
              + MarkdownText.text(
                  Phrases.reverts(
                      o.manager() == null ? null : Reflected.cap(o.manager(), Reflected.NAME),
                      o.time()))
              + " |\n");
    }
    return rows;
  }

  private static List<String> resolveRows(ClusterPreview c) {
    List<String> rows = new ArrayList<>();
    for (DriftResolution r : c.resolvesDrift()) {
      rows.add(
          "| "
              + id(r.resource())
              + " | "
              + (r.path().isEmpty() ? "(whole object)" : path(r.path()))
              + " |\n");
    }
    return rows;
  }

  private static List<String> changeRows(List<ObjectChange> changes) {
    List<String> rows = new ArrayList<>();
    for (ObjectChange o : changes) {
      if (o.fields().isEmpty()) {
        rows.add("| " + o.change().label() + " | " + id(o.resource()) + " | | | |\n");
      }
      for (FieldChange f : o.fields()) {
        rows.add(
            "| "
                + o.change().label()
                + " | "
                + id(o.resource())
                + " | "
                + path(f.path())
                + " | "
                + value(f.before())
                + " | "
                + value(f.after())
                + " |\n");
      }
    }
    return rows;
  }

  private static String omissions(int errors, int rows, int details) {
    List<String> parts = new ArrayList<>();
    if (errors > 0) {
      parts.add(Phrases.plural(errors, "more problem"));
    }
    if (rows > 0) {
      parts.add(Phrases.plural(rows, "more cluster") + " in the table");
    }
    if (details > 0) {
      parts.add("the details of " + Phrases.plural(details, "cluster"));
    }
    if (parts.isEmpty()) {
      return null;
    }
    return "**Truncated:** "
        + String.join(", ", parts)
        + " did not fit in one comment; `fleetwarden preview` with the same base and head shows"
        + " everything.";
  }

  private static String id(ResourceId id) {
    return MarkdownText.codeCell(Reflected.id(id).withinCluster());
  }

  private static String path(String p) {
    return MarkdownText.codeCell(Reflected.cap(p, Reflected.NAME));
  }

  private static String value(JsonNode v) {
    return v == null ? "(absent)" : MarkdownText.codeCell(Reflected.show(v));
  }

  /** Text that stops growing at a limit: optional parts only while they fit. */
  private static final class Budget {
    private final StringBuilder sb = new StringBuilder();
    private final int limit;

    Budget(int limit) {
      this.limit = limit;
    }

    /** Appends {@code s} when it fits; false (nothing appended) when it does not. */
    boolean add(String s) {
      if (sb.length() + s.length() > limit) {
        return false;
      }
      sb.append(s);
      return true;
    }

    /** Appends {@code s} whatever the limit (short fixed text; the reserve pays for it). */
    void force(String s) {
      sb.append(s);
    }

    @Override
    public String toString() {
      return sb.toString();
    }
  }
}

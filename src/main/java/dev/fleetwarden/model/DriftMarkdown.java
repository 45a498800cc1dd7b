package dev.fleetwarden.model;

/**
 * One drifted object as GitHub Markdown: the block the {@code diff -o markdown} report shows per
 * object and a remediation pull request quotes, so both read the same. Every name, value, field
 * manager and origin goes through {@link MarkdownText}: nothing in them can add HTML, a link, an
 * image or a mention, or break the table. Pure.
 */
public final class DriftMarkdown {
  private DriftMarkdown() {}

  /**
   * One drifted object: its id, type (and "critical" with a list of reasons when a risk rule
   * matched), add-on, file and a table of fields.
   */
  public static String object(ObjectDrift d) {
    StringBuilder sb = new StringBuilder();
    sb.append("#### ")
        .append(MarkdownText.code(Reflected.id(d.resource()).toString()))
        .append(" — ")
        .append(d.type().label())
        .append(d.risk().isEmpty() ? "" : " — **critical**")
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
    if (!d.risk().isEmpty()) {
      sb.append('\n');
      for (Risk r : d.risk()) {
        sb.append("- ").append(name(r.reason()));
        if (!r.path().isEmpty()) {
          sb.append(" at ").append(MarkdownText.code(Reflected.cap(r.path(), Reflected.NAME)));
        }
        sb.append(" (rule ")
            .append(MarkdownText.code(Reflected.cap(r.rule(), Reflected.NAME)))
            .append(")\n");
      }
    }
    if (!d.fields().isEmpty()) {
      sb.append("\n| field | desired | live | changed by | set in |\n|---|---|---|---|---|\n");
      for (FieldDrift f : d.fields()) {
        sb.append("| ")
            .append(
                f.isWholeObject()
                    ? "the object itself"
                    : MarkdownText.codeCell(Reflected.cap(f.path(), Reflected.NAME)))
            .append(" | ")
            .append(MarkdownText.codeCell(Reflected.show(f.desired())))
            .append(" | ")
            .append(MarkdownText.codeCell(Reflected.show(f.live())))
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

  /** A name (cluster, field manager) as inert text. */
  private static String name(String s) {
    return MarkdownText.text(Reflected.cap(s, Reflected.NAME));
  }
}

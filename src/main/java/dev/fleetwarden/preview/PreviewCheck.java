package dev.fleetwarden.preview;

import dev.fleetwarden.fleet.FleetError;
import dev.fleetwarden.model.CheckRun;
import dev.fleetwarden.model.Reflected;
import java.util.ArrayList;
import java.util.List;

/**
 * The check a pull request gets from its preview: failure when the head is invalid (each problem
 * annotated at its file and line), neutral when merging would overwrite live drift, success
 * otherwise. Pure.
 */
public final class PreviewCheck {
  /** The check's name on the pull request. */
  public static final String NAME = "fleetwarden/preview";

  /** Annotations GitHub takes in one request; the rest are named in the summary. */
  public static final int MAX_ANNOTATIONS = 50;

  /** GitHub's limit for a check run's summary. */
  static final int SUMMARY_LIMIT = 65_535;

  private PreviewCheck() {}

  public static CheckRun of(Preview p) {
    String summary = PreviewMarkdown.summary(p, SUMMARY_LIMIT - 2_000);
    if (!p.valid()) {
      List<CheckRun.Annotation> annotations = new ArrayList<>();
      for (FleetError e : p.errors()) {
        if (annotations.size() == MAX_ANNOTATIONS) {
          break;
        }
        if (e.file() != null) {
          annotations.add(
              new CheckRun.Annotation(
                  Reflected.visible(Reflected.cap(e.file(), Reflected.NAME)),
                  Math.max(1, e.line()),
                  e.column(),
                  Reflected.visible(Reflected.cap(e.message(), Reflected.MESSAGE)),
                  true));
        }
      }
      int left = p.errors().size() - annotations.size();
      if (left > 0) {
        summary +=
            "\n"
                + Phrases.plural(left, "problem")
                + " not annotated (no file, or over GitHub's "
                + MAX_ANNOTATIONS
                + " annotations); the table above lists them.\n";
      }
      return new CheckRun(
          NAME,
          CheckRun.Conclusion.FAILURE,
          "Invalid fleet: " + Phrases.plural(p.errors().size(), "problem"),
          summary,
          annotations);
    }
    if (p.overwrites() > 0) {
      long clusters = p.clusters().stream().filter(c -> !c.overwritesDrift().isEmpty()).count();
      return new CheckRun(
          NAME,
          CheckRun.Conclusion.NEUTRAL,
          "Overwrites "
              + Phrases.plural(p.overwrites(), "live change")
              + " in "
              + Phrases.plural(clusters, "cluster"),
          summary,
          List.of());
    }
    String title = Phrases.headline(p);
    return new CheckRun(
        NAME,
        CheckRun.Conclusion.SUCCESS,
        Character.toUpperCase(title.charAt(0)) + title.substring(1),
        summary,
        List.of());
  }
}

package dev.fleetwarden.model;

import java.util.List;

/**
 * A commit check as a code host shows it next to a pull request (GitHub's check runs): a
 * conclusion, a title, a Markdown summary and annotations pointing at lines of the repo. Decided by
 * the pure code that judges a change, sent by the code host's adapter.
 *
 * @param name what the check is called on the pull request, e.g. {@code fleetwarden/preview}
 */
public record CheckRun(
    String name,
    Conclusion conclusion,
    String title,
    String summary,
    List<Annotation> annotations) {

  public CheckRun {
    annotations = annotations == null ? List.of() : List.copyOf(annotations);
  }

  /** How the check ends. */
  public enum Conclusion {
    /** Nothing to object to. */
    SUCCESS,
    /** Worth a look, not a blocker (GitHub shows it grey). */
    NEUTRAL,
    /** The change is broken. */
    FAILURE
  }

  /**
   * A problem at a line of a repo-relative file (line and column 1-based, 0 when unknown).
   *
   * @param failure whether it is an error (else a warning)
   */
  public record Annotation(String file, int line, int column, String message, boolean failure) {}
}

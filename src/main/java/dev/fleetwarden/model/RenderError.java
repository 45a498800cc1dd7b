package dev.fleetwarden.model;

/**
 * Why a cluster's desired state could not be rendered: the add-on (null when the cluster itself is
 * broken), the repo-relative file and line (0 when unknown), and a message that says what to do.
 */
public record RenderError(String cluster, String addon, String file, int line, String message) {
  @Override
  public String toString() {
    String where = file == null ? "" : (line > 0 ? file + ":" + line + ": " : file + ": ");
    return where + (addon == null ? "" : "add-on " + addon + ": ") + message;
  }
}

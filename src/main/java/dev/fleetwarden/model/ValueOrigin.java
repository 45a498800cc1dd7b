package dev.fleetwarden.model;

/**
 * Where a value came from in the fleet repo: the repo-relative file, the 1-based line, and the JSON
 * pointer of the value inside that file's values tree (for example {@code /controller/replicas}).
 */
public record ValueOrigin(String file, int line, String valuePath) {
  @Override
  public String toString() {
    return file + ":" + line;
  }
}

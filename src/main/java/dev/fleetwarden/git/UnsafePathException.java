package dev.fleetwarden.git;

/** A file path handed to a Git write is not a plain path inside the repo (absolute, {@code ..}). */
public class UnsafePathException extends IllegalArgumentException {
  private final String path;

  public UnsafePathException(String path, String why) {
    super(
        "refusing path '"
            + path
            + "': "
            + why
            + "; pass a repo-relative path such as clusters/<cluster>/cluster.yaml");
    this.path = path;
  }

  public String path() {
    return path;
  }
}

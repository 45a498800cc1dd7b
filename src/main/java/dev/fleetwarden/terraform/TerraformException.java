package dev.fleetwarden.terraform;

import java.nio.file.Path;

/** A Terraform step that failed, timed out or could not start, in one stack directory. */
public class TerraformException extends Exception {
  private final Path directory;
  private final String step;

  public TerraformException(Path directory, String step, String message) {
    super("terraform " + step + " in " + directory + ": " + message);
    this.directory = directory;
    this.step = step;
  }

  public TerraformException(Path directory, String step, String message, Throwable cause) {
    super("terraform " + step + " in " + directory + ": " + message, cause);
    this.directory = directory;
    this.step = step;
  }

  public Path directory() {
    return directory;
  }

  public String step() {
    return step;
  }
}

package dev.fleetwarden.fleet;

/**
 * One problem found in the fleet repo: the repo-relative file, 1-based line and column (0 when
 * unknown), and a message that says what is wrong and what to do.
 */
public record FleetError(String file, int line, int column, String message) {
  public static FleetError at(String file, Location location, String message) {
    return new FleetError(file, location.line(), location.column(), message);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(file == null ? "<fleet>" : file);
    if (line > 0) {
      sb.append(':').append(line);
      if (column > 0) {
        sb.append(':').append(column);
      }
    }
    return sb.append(": ").append(message).toString();
  }
}

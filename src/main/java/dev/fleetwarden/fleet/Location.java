package dev.fleetwarden.fleet;

/** A 1-based line and column in a file. */
public record Location(int line, int column) {
  public static final Location UNKNOWN = new Location(0, 0);
}

package dev.fleetwarden.preview;

/** What a change does to one object or Terraform resource. */
public enum Change {
  ADDED("added", "+"),
  REMOVED("removed", "-"),
  MODIFIED("modified", "~");

  private final String label;
  private final String symbol;

  Change(String label, String symbol) {
    this.label = label;
    this.symbol = symbol;
  }

  /** As JSON and people read it: {@code added}, {@code removed}, {@code modified}. */
  public String label() {
    return label;
  }

  /** One character for the text form: {@code +}, {@code -}, {@code ~}. */
  public String symbol() {
    return symbol;
  }
}

package dev.fleetwarden.terraform;

/** A cluster stack that could not be synthesized. */
public class SynthesisException extends Exception {
  private final String cluster;

  public SynthesisException(String cluster, String message, Throwable cause) {
    super("cannot synthesize the stack of cluster " + cluster + ": " + message, cause);
    this.cluster = cluster;
  }

  public String cluster() {
    return cluster;
  }
}

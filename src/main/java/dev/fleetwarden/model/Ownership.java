package dev.fleetwarden.model;

/**
 * The label fleetwarden puts on every object it renders, valued with the add-on's name: how a live
 * object no longer rendered is known as an orphan.
 */
public final class Ownership {
  /** The ownership label's key. */
  public static final String LABEL = "fleetwarden.dev/addon";

  private Ownership() {}
}

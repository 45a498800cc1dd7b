package dev.fleetwarden.store;

/**
 * A database operation failed. The message names the operation and the cluster or key involved, and
 * never a password or payload.
 */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}

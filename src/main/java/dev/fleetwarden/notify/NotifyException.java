package dev.fleetwarden.notify;

/**
 * A message could not be delivered. Retryable unless said otherwise; the outbox keeps the message.
 * The text never contains message content (it may contain drift values).
 */
public class NotifyException extends RuntimeException {
  public NotifyException(String message) {
    super(message);
  }

  public NotifyException(String message, Throwable cause) {
    super(message, cause);
  }
}

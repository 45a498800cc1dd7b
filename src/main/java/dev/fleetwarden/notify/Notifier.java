package dev.fleetwarden.notify;

import dev.fleetwarden.ledger.MessageRef;

/**
 * Sends chat messages. Implementations: {@link SlackNotifier} (Slack Web API) and {@link
 * ConsoleNotifier} (readable console output and JSON lines, for the embedded defaults and demos).
 *
 * <p>Every failure is a {@link NotifyException}: {@link RateLimitedException} when the service asks
 * to slow down, {@link SlackErrorException} when it refused the call with an error code, a plain
 * {@code NotifyException} for transport and server errors. Messages of these exceptions never
 * contain the message content.
 */
public interface Notifier {

  /**
   * Posts a message.
   *
   * @param channel channel id or {@code #name}
   * @param text plain-text fallback (notifications, clients without Block Kit)
   * @param blocks Block Kit blocks as a JSON array text
   * @param threadTs ts of the message to reply to, or null for a top-level message
   * @return the posted message, with the channel id the service resolved
   */
  MessageRef post(String channel, String text, String blocks, String threadTs);

  /** Replaces the text and blocks of a posted message. */
  void update(MessageRef message, String text, String blocks);
}

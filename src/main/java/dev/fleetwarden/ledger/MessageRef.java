package dev.fleetwarden.ledger;

import java.util.Objects;

/**
 * A message as Slack knows it: the channel id returned by Slack (not the {@code #name} it was sent
 * to) and the message timestamp, which is the message's id within the channel.
 */
public record MessageRef(String channel, String ts) {
  public MessageRef {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(ts, "ts");
  }
}

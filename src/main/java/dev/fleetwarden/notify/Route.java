package dev.fleetwarden.notify;

import java.util.Objects;

/** Where an alert goes: a channel and an optional mention put at the start of the message. */
public record Route(String channel, String mention) {
  public Route {
    Objects.requireNonNull(channel, "channel");
    mention = mention == null || mention.isBlank() ? null : mention.trim();
  }
}

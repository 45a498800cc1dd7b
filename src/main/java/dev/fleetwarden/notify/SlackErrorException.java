package dev.fleetwarden.notify;

/**
 * Slack answered {@code ok: false}: it refused the call with an error code such as {@code
 * channel_not_found}, {@code not_in_channel} or {@code invalid_auth}.
 */
public class SlackErrorException extends NotifyException {
  private final String method;
  private final String errorCode;
  private final String channel;

  public SlackErrorException(String method, String errorCode, String channel) {
    super(
        "Slack "
            + method
            + " to "
            + channel
            + " failed with '"
            + errorCode
            + "': "
            + advice(errorCode));
    this.method = method;
    this.errorCode = errorCode;
    this.channel = channel;
  }

  /** The Slack API method, e.g. {@code chat.postMessage}. */
  public String method() {
    return method;
  }

  /** Slack's error code, e.g. {@code channel_not_found}. */
  public String errorCode() {
    return errorCode;
  }

  public String channel() {
    return channel;
  }

  private static String advice(String code) {
    return switch (code == null ? "" : code) {
      case "channel_not_found" ->
          "check the channel in fleet.yaml notifications.routes and that the bot can see it";
      case "not_in_channel" -> "invite the fleetwarden bot to the channel";
      case "invalid_auth", "not_authed", "token_revoked", "account_inactive" ->
          "check the Slack bot token (xoxb-...) fleetwarden is configured with";
      case "missing_scope" -> "give the Slack app the chat:write scope and reinstall it";
      case "message_not_found", "cant_update_message" ->
          "the alert message was deleted or is not the bot's; the update is retried";
      default -> "see https://api.slack.com/methods for the meaning of the code";
    };
  }
}

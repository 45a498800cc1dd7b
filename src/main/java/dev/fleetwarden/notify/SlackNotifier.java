package dev.fleetwarden.notify;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.chat.ChatUpdateResponse;
import dev.fleetwarden.ledger.MessageRef;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * Sends messages through the Slack Web API ({@code chat.postMessage}, {@code chat.update}) with a
 * bot token. Slack answers a refused call with HTTP 200 and {@code ok: false}: that becomes a
 * {@link SlackErrorException}; HTTP 429 becomes a {@link RateLimitedException} carrying {@code
 * Retry-After}; other HTTP errors and I/O failures a {@link NotifyException}. No retry here: the
 * {@link OutboxDispatcher} retries.
 *
 * <p>Every call sends {@code link_names=false} and {@code parse=none}: Slack turns nothing in the
 * text into a mention or a link by itself; the messages carry only the mentions and links {@link
 * SlackText} built.
 */
public final class SlackNotifier implements Notifier, AutoCloseable {
  /** The public Slack API. */
  public static final String DEFAULT_BASE_URL = "https://slack.com";

  private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(30);

  private final Slack slack;
  private final MethodsClient methods;

  /**
   * @param botToken the bot token ({@code xoxb-...}); never logged
   * @param baseUrl the API host without {@code /api/}, e.g. {@value #DEFAULT_BASE_URL}; null for
   *     the default
   */
  public SlackNotifier(String botToken, String baseUrl) {
    Objects.requireNonNull(botToken, "Slack bot token");
    SlackConfig config = new SlackConfig();
    String base = baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : baseUrl;
    config.setMethodsEndpointUrlPrefix(stripSlash(base) + "/api/");
    config.setStatsEnabled(false);
    config.setPrettyResponseLoggingEnabled(false);
    config.setHttpClientCallTimeoutMillis(30_000);
    this.slack = Slack.getInstance(config);
    this.methods = slack.methods(botToken);
  }

  @Override
  public MessageRef post(String channel, String text, String blocks, String threadTs) {
    ChatPostMessageResponse response;
    try {
      response =
          methods.chatPostMessage(
              r ->
                  r.channel(channel)
                      .text(text)
                      .blocksAsString(blocks)
                      .threadTs(threadTs)
                      .unfurlLinks(false)
                      .unfurlMedia(false)
                      // Mentions are only those SlackText lets through (<!here>, <!subteam^..>):
                      // no @word in a live value may become one, no URL a link.
                      .linkNames(false)
                      .parse("none"));
    } catch (SlackApiException e) {
      throw httpError("chat.postMessage", channel, e);
    } catch (IOException e) {
      throw ioError("chat.postMessage", channel, e);
    }
    check("chat.postMessage", channel, response);
    if (response.getTs() == null) {
      throw new NotifyException(
          "Slack chat.postMessage to " + channel + " answered ok without a message ts");
    }
    return new MessageRef(
        response.getChannel() == null ? channel : response.getChannel(), response.getTs());
  }

  @Override
  public void update(MessageRef message, String text, String blocks) {
    ChatUpdateResponse response;
    try {
      response =
          methods.chatUpdate(
              r ->
                  r.channel(message.channel())
                      .ts(message.ts())
                      .text(text)
                      .blocksAsString(blocks)
                      .linkNames(false)
                      .parse("none"));
    } catch (SlackApiException e) {
      throw httpError("chat.update", message.channel(), e);
    } catch (IOException e) {
      throw ioError("chat.update", message.channel(), e);
    }
    check("chat.update", message.channel(), response);
  }

  /** Releases the HTTP client. */
  @Override
  public void close() throws Exception {
    slack.close();
  }

  private static void check(String method, String channel, SlackApiTextResponse response) {
    if (!response.isOk()) {
      if ("ratelimited".equals(response.getError())) {
        throw new RateLimitedException(method, DEFAULT_RETRY_AFTER);
      }
      throw new SlackErrorException(method, response.getError(), channel);
    }
  }

  private static NotifyException httpError(String method, String channel, SlackApiException e) {
    int code = e.getResponse() == null ? -1 : e.getResponse().code();
    if (code == 429) {
      return new RateLimitedException(method, retryAfter(e.getResponse().header("Retry-After")));
    }
    // The response body is left out on purpose: error pages may echo the request.
    return new NotifyException(
        "Slack " + method + " to " + channel + " failed with HTTP " + code + "; retried later");
  }

  private static NotifyException ioError(String method, String channel, IOException e) {
    return new NotifyException(
        "Slack "
            + method
            + " to "
            + channel
            + " could not be sent ("
            + e.getClass().getSimpleName()
            + "); check the network path to the Slack API, the message is retried",
        e);
  }

  static Duration retryAfter(String header) {
    if (header == null) {
      return DEFAULT_RETRY_AFTER;
    }
    try {
      long seconds = Long.parseLong(header.trim());
      return Duration.ofSeconds(Math.max(1, seconds));
    } catch (NumberFormatException e) {
      return DEFAULT_RETRY_AFTER;
    }
  }

  private static String stripSlash(String url) {
    String u = url;
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    if (u.endsWith("/api")) {
      u = u.substring(0, u.length() - 4);
    }
    return u;
  }
}

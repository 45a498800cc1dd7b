package dev.fleetwarden.server;

import java.time.Duration;

/**
 * Settings of the HTTP server: bind address and port (0 picks a free port), the GitHub webhook
 * secret (null or blank disables the webhook endpoint: unsigned pushes are never accepted), the
 * largest request body accepted, the bearer token of the status API and {@code /metrics} (null or
 * blank: no token needed), and how long a client may take to send its request headers and its body
 * (slower clients are disconnected). {@link #toString()} never shows the secret or the token.
 */
public record ServerSettings(
    String bindAddress,
    int port,
    String webhookSecret,
    int maxWebhookBytes,
    String apiToken,
    Duration headerTimeout,
    Duration bodyTimeout) {
  public static final int DEFAULT_MAX_WEBHOOK_BYTES = 1024 * 1024;
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(30);

  public ServerSettings {
    if (bindAddress == null || bindAddress.isBlank()) {
      bindAddress = "0.0.0.0";
    }
    bindAddress = bindAddress.strip();
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is out of range; use 0..65535");
    }
    if (maxWebhookBytes <= 0) {
      maxWebhookBytes = DEFAULT_MAX_WEBHOOK_BYTES;
    }
    if (apiToken != null && apiToken.isBlank()) {
      apiToken = null;
    }
    headerTimeout = positive(headerTimeout, DEFAULT_HEADER_TIMEOUT, "http.headerTimeoutSeconds");
    bodyTimeout = positive(bodyTimeout, DEFAULT_BODY_TIMEOUT, "http.bodyTimeoutSeconds");
  }

  /** No API token, default timeouts. */
  public ServerSettings(String bindAddress, int port, String webhookSecret, int maxWebhookBytes) {
    this(bindAddress, port, webhookSecret, maxWebhookBytes, null, null, null);
  }

  public static ServerSettings of(String bindAddress, int port, String webhookSecret) {
    return new ServerSettings(bindAddress, port, webhookSecret, DEFAULT_MAX_WEBHOOK_BYTES);
  }

  /** The same settings with this API token (null or blank: none). */
  public ServerSettings withApiToken(String token) {
    return new ServerSettings(
        bindAddress, port, webhookSecret, maxWebhookBytes, token, headerTimeout, bodyTimeout);
  }

  /** The same settings with these timeouts (null: the default). */
  public ServerSettings withTimeouts(Duration header, Duration body) {
    return new ServerSettings(
        bindAddress, port, webhookSecret, maxWebhookBytes, apiToken, header, body);
  }

  public boolean webhookEnabled() {
    return webhookSecret != null && !webhookSecret.isBlank();
  }

  public boolean apiTokenEnabled() {
    return apiToken != null;
  }

  private static Duration positive(Duration d, Duration fallback, String key) {
    if (d == null) {
      return fallback;
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(
          key + " must be at least 1 second, not " + d.toSeconds() + "; raise it in the config");
    }
    return d;
  }

  @Override
  public String toString() {
    return "ServerSettings[bindAddress="
        + bindAddress
        + ", port="
        + port
        + ", webhookSecret="
        + (webhookEnabled() ? "***" : "none")
        + ", maxWebhookBytes="
        + maxWebhookBytes
        + ", apiToken="
        + (apiTokenEnabled() ? "***" : "none")
        + ", headerTimeout="
        + headerTimeout
        + ", bodyTimeout="
        + bodyTimeout
        + "]";
  }
}

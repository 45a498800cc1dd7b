package dev.fleetwarden.server;

/**
 * Settings of the HTTP server: bind address and port (0 picks a free port), the GitHub webhook
 * secret (null or blank disables the webhook endpoint: unsigned pushes are never accepted), and the
 * largest webhook body accepted. {@link #toString()} never shows the secret.
 */
public record ServerSettings(
    String bindAddress, int port, String webhookSecret, int maxWebhookBytes) {
  public static final int DEFAULT_MAX_WEBHOOK_BYTES = 1024 * 1024;

  public ServerSettings {
    if (bindAddress == null || bindAddress.isBlank()) {
      bindAddress = "0.0.0.0";
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is out of range; use 0..65535");
    }
    if (maxWebhookBytes <= 0) {
      maxWebhookBytes = DEFAULT_MAX_WEBHOOK_BYTES;
    }
  }

  public static ServerSettings of(String bindAddress, int port, String webhookSecret) {
    return new ServerSettings(bindAddress, port, webhookSecret, DEFAULT_MAX_WEBHOOK_BYTES);
  }

  public boolean webhookEnabled() {
    return webhookSecret != null && !webhookSecret.isBlank();
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
        + "]";
  }
}

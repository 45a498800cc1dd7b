package dev.fleetwarden.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The bearer token of the status API and {@code /metrics}: checks an {@code Authorization} header
 * value ({@code Bearer <token>}, RFC 6750). The comparison takes the same time whatever the given
 * value is: both sides are hashed first, so neither the length nor a matching prefix shows in the
 * timing.
 */
final class BearerToken {
  private static final String SCHEME = "bearer ";

  private final byte[] expected;

  BearerToken(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("the API token is empty");
    }
    this.expected = sha256(token);
  }

  /** Whether the {@code Authorization} header value carries this token. */
  boolean accepts(String authorization) {
    String given = "";
    if (authorization != null
        && authorization.length() > SCHEME.length()
        && authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
      given = authorization.substring(SCHEME.length()).strip();
    }
    // compared even when the header is missing or malformed, so every refusal costs the same
    boolean same = MessageDigest.isEqual(expected, sha256(given));
    return same && !given.isEmpty();
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}

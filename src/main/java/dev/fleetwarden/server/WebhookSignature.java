package dev.fleetwarden.server;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** GitHub's {@code X-Hub-Signature-256}: {@code sha256=} + hex HMAC-SHA256 of the raw body. */
public final class WebhookSignature {
  public static final String HEADER = "X-Hub-Signature-256";
  private static final String PREFIX = "sha256=";

  private WebhookSignature() {}

  /** The header value GitHub would send for this body and secret. */
  public static String sign(String secret, byte[] body) {
    return PREFIX + HexFormat.of().formatHex(hmac(secret, body));
  }

  /** Whether the header value is the body's signature; compared in constant time. */
  public static boolean verify(String secret, byte[] body, String header) {
    if (secret == null || secret.isBlank() || header == null || !header.startsWith(PREFIX)) {
      return false;
    }
    byte[] given;
    try {
      given = HexFormat.of().parseHex(header.substring(PREFIX.length()).trim().toLowerCase());
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(hmac(secret, body), given);
  }

  private static byte[] hmac(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }
}

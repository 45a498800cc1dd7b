package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleetwarden.ledger.ValueHashKey;
import dev.fleetwarden.model.CanonicalJson;
import dev.fleetwarden.model.FieldDrift;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keyed hash that stands in for a Secret's values in drift: {@code hmac:} and the first 12 hex
 * characters of HMAC-SHA256 under a per-installation key. Equal values hash equally under one key
 * (so a fingerprint stays stable and a change shows), but a printed hash cannot confirm a guessed
 * value without the key, and two installations print different hashes for the same value.
 *
 * <p>Pure: the key is given; where it is kept (the store, or a key file for commands without a
 * store) is decided by the caller. The key never appears in {@link #toString()}.
 */
public final class SecretHasher {
  /** What every hash starts with. */
  public static final String PREFIX = FieldDrift.SECRET_HASH_PREFIX;

  /** Length of a generated key in bytes. */
  public static final int KEY_BYTES = ValueHashKey.BYTES;

  /** Shortest key accepted (128 bits). */
  public static final int MIN_KEY_BYTES = ValueHashKey.MIN_BYTES;

  private static final String ALGORITHM = "HmacSHA256";
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final SecretKeySpec key;

  /**
   * @param key at least {@value #MIN_KEY_BYTES} bytes; copied
   */
  public SecretHasher(byte[] key) {
    if (key == null || key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "the value hash key must have at least " + MIN_KEY_BYTES + " bytes");
    }
    this.key = new SecretKeySpec(key.clone(), ALGORITHM);
  }

  /** A new random key of {@value #KEY_BYTES} bytes (SecureRandom). */
  public static byte[] newKey() {
    return ValueHashKey.generate();
  }

  /**
   * A hasher with a random key of its own: hashes are consistent within this instance only. For
   * benchmarks and tests; anything that stores fingerprints needs the installation's key.
   */
  public static SecretHasher ephemeral() {
    return new SecretHasher(newKey());
  }

  /** The hash of raw bytes (a Secret value, base64-decoded). */
  public TextNode hash(byte[] value) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      byte[] digest = mac.doFinal(value);
      StringBuilder sb = new StringBuilder(PREFIX);
      for (int i = 0; i < 6; i++) {
        sb.append(HEX[(digest[i] >> 4) & 0xf]).append(HEX[digest[i] & 0xf]);
      }
      return TextNode.valueOf(sb.toString());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  /**
   * The hash of a JSON value (a whole map or list that stands where a Secret value is): key order
   * and number spelling do not change it.
   */
  public TextNode hash(JsonNode value) {
    return hash(CanonicalJson.of(value).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "SecretHasher[HMAC-SHA256, key=<redacted>]";
  }
}

package dev.fleetwarden.ledger;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The key of the keyed hash that stands in for Secret values ({@code drift.SecretHasher} hashes
 * with it): plain bytes, generated once per installation and kept by the {@link Ledger} (or a key
 * file for the commands without one), stored as lower-case hex. Never log or print a key.
 */
public final class ValueHashKey {
  /** Length of a generated key in bytes. */
  public static final int BYTES = 32;

  /** Shortest key accepted (128 bits). */
  public static final int MIN_BYTES = 16;

  private ValueHashKey() {}

  /** A new random key of {@value #BYTES} bytes (SecureRandom). */
  public static byte[] generate() {
    byte[] key = new byte[BYTES];
    new SecureRandom().nextBytes(key);
    return key;
  }

  /** The stored form of a key: lower-case hex. */
  public static String toHex(byte[] key) {
    return HexFormat.of().formatHex(key);
  }

  /**
   * A key from its stored form.
   *
   * @return the key, or null when {@code hex} is not hex or shorter than {@value #MIN_BYTES} bytes
   *     (the message of an exception could quote the key)
   */
  public static byte[] fromHex(String hex) {
    byte[] key;
    try {
      key = HexFormat.of().parseHex(hex == null ? "" : hex.trim());
    } catch (IllegalArgumentException e) {
      return null;
    }
    return key.length < MIN_BYTES ? null : key;
  }
}

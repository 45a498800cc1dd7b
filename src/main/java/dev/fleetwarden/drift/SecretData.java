package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares a Secret's {@code data} and {@code stringData} by decoded value and reports each drifted
 * key as {@code /data/<key>} with fingerprints ({@code sha256:<12 hex>}) instead of values. No
 * value, plain or base64, leaves this class.
 */
final class SecretData {
  static final Set<String> FIELDS = Set.of("data", "stringData");

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private SecretData() {}

  static boolean isSecret(String kind) {
    return "Secret".equals(kind);
  }

  static List<RawDrift> compare(JsonNode desired, JsonNode live) {
    Map<String, byte[]> want = values(desired);
    Map<String, byte[]> have = values(live);
    List<RawDrift> out = new ArrayList<>();
    for (Map.Entry<String, byte[]> key : want.entrySet()) {
      byte[] liveValue = have.get(key.getKey());
      if (liveValue == null || !Arrays.equals(key.getValue(), liveValue)) {
        out.add(
            new RawDrift(
                "/data/" + Pointers.escape(key.getKey()),
                fingerprint(key.getValue()),
                liveValue == null ? null : fingerprint(liveValue),
                liveValue == null ? List.of() : List.of("data", key.getKey())));
      }
    }
    return out;
  }

  /** Decoded values by key: {@code data} base64-decoded, {@code stringData} winning over it. */
  private static Map<String, byte[]> values(JsonNode secret) {
    Map<String, byte[]> out = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> data = secret.path("data").fields();
    while (data.hasNext()) {
      Map.Entry<String, JsonNode> e = data.next();
      if (!e.getValue().isNull()) {
        out.put(e.getKey(), decode(e.getValue().asText()));
      }
    }
    Iterator<Map.Entry<String, JsonNode>> strings = secret.path("stringData").fields();
    while (strings.hasNext()) {
      Map.Entry<String, JsonNode> e = strings.next();
      if (!e.getValue().isNull()) {
        out.put(e.getKey(), e.getValue().asText().getBytes(StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static byte[] decode(String base64) {
    try {
      return Base64.getMimeDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      // not base64: the API server would refuse it; compare the raw text so drift still shows
      return base64.getBytes(StandardCharsets.UTF_8);
    }
  }

  /** {@code sha256:} and the first 12 hex characters of the SHA-256 of the decoded value. */
  static TextNode fingerprint(byte[] value) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(value);
      StringBuilder sb = new StringBuilder("sha256:");
      for (int i = 0; i < 6; i++) {
        sb.append(HEX[(digest[i] >> 4) & 0xf]).append(HEX[digest[i] & 0xf]);
      }
      return TextNode.valueOf(sb.toString());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}

package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.model.JsonPointers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How a Secret's drift is reported without its content. {@code data} and {@code stringData} are
 * compared by decoded value and each drifted key is reported as {@code /data/<key>} with keyed
 * hashes ({@link SecretHasher}) instead of values; when either is not a map on one side, the whole
 * field is reported by path and hashes. Any other drifted field whose value on either side is a map
 * or a list is reported by path and hashes too; only scalar values outside {@code data} and {@code
 * stringData} (labels, annotations, {@code type}) are shown. No value, plain or base64, of {@code
 * data} or {@code stringData} leaves this class.
 */
final class SecretData {
  static final Set<String> FIELDS = Set.of("data", "stringData");

  /** In this order, so that reports list {@code /data} before {@code /stringData}. */
  private static final List<String> FIELD_ORDER = List.of("data", "stringData");

  private final SecretHasher hasher;

  SecretData(SecretHasher hasher) {
    this.hasher = hasher;
  }

  static boolean isSecret(String kind) {
    return "Secret".equals(kind);
  }

  /** The drifts of {@code data} and {@code stringData}, masked. */
  List<RawDrift> compare(JsonNode desired, JsonNode live) {
    List<RawDrift> out = new ArrayList<>();
    List<String> structural = new ArrayList<>();
    for (String field : FIELD_ORDER) {
      JsonNode want = present(desired.get(field));
      JsonNode have = present(live.get(field));
      if (want == null || (want.isObject() && (have == null || have.isObject()))) {
        continue;
      }
      structural.add(field);
      if (!want.equals(have)) {
        out.add(
            new RawDrift(
                "/" + field,
                hasher.hash(want),
                have == null ? null : hasher.hash(have),
                have == null ? List.of() : List.of(field)));
      }
    }
    Map<String, byte[]> want = values(desired, structural);
    Map<String, byte[]> have = values(live, List.of());
    for (Map.Entry<String, byte[]> key : want.entrySet()) {
      byte[] liveValue = have.get(key.getKey());
      if (liveValue == null || !Arrays.equals(key.getValue(), liveValue)) {
        out.add(
            new RawDrift(
                "/data/" + JsonPointers.escape(key.getKey()),
                hasher.hash(key.getValue()),
                liveValue == null ? null : hasher.hash(liveValue),
                liveValue == null ? List.of() : List.of("data", key.getKey())));
      }
    }
    return out;
  }

  /**
   * A drift found outside {@code data} and {@code stringData}, with both values hashed when either
   * is a map or a list (a live map may hold anything, say a copy of the data).
   */
  RawDrift maskContainers(RawDrift drift) {
    if (!isContainer(drift.desired()) && !isContainer(drift.live())) {
      return drift;
    }
    return new RawDrift(
        drift.path(),
        drift.desired() == null ? null : hasher.hash(drift.desired()),
        drift.live() == null ? null : hasher.hash(drift.live()),
        drift.liveSegments());
  }

  private static boolean isContainer(JsonNode value) {
    return value != null && value.isContainerNode();
  }

  private static JsonNode present(JsonNode value) {
    return value == null || value.isNull() || value.isMissingNode() ? null : value;
  }

  /**
   * Decoded values by key: {@code data} base64-decoded, {@code stringData} winning over it; fields
   * that are not maps, or reported whole ({@code skipped}), hold no keys.
   */
  private static Map<String, byte[]> values(JsonNode secret, List<String> skipped) {
    Map<String, byte[]> out = new TreeMap<>();
    if (!skipped.contains("data")) {
      Iterator<Map.Entry<String, JsonNode>> data = secret.path("data").fields();
      while (data.hasNext()) {
        Map.Entry<String, JsonNode> e = data.next();
        if (!e.getValue().isNull()) {
          out.put(e.getKey(), bytes(e.getValue(), true));
        }
      }
    }
    if (!skipped.contains("stringData")) {
      Iterator<Map.Entry<String, JsonNode>> strings = secret.path("stringData").fields();
      while (strings.hasNext()) {
        Map.Entry<String, JsonNode> e = strings.next();
        if (!e.getValue().isNull()) {
          out.put(e.getKey(), bytes(e.getValue(), false));
        }
      }
    }
    return out;
  }

  /** A value's bytes; a map or list where a string belongs is taken as its JSON text. */
  private static byte[] bytes(JsonNode value, boolean base64) {
    String text = value.isValueNode() ? value.asText() : value.toString();
    return base64 ? decode(text) : text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] decode(String base64) {
    try {
      return Base64.getMimeDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      // not base64: the API server would refuse it; compare the raw text so drift still shows
      return base64.getBytes(StandardCharsets.UTF_8);
    }
  }
}

package dev.fleetwarden.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A formatted message: the plain-text fallback and the Block Kit blocks. */
public record SlackMessage(String text, ArrayNode blocks) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The blocks as a JSON array text, as sent to Slack and kept in the outbox. */
  public String blocksJson() {
    try {
      return JSON.writeValueAsString(blocks);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("blocks are plain JSON nodes", e);
    }
  }

  /** SHA-256 of text and blocks: equal hashes mean the message would look the same. */
  public String payloadHash() {
    return hash(text, blocksJson());
  }

  static String hash(String text, String blocksJson) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(text.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(blocksJson.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}

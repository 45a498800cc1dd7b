package dev.fleetwarden.preview;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.Provenance;
import dev.fleetwarden.model.ResourceId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Desired objects written as YAML, and a stand-in for the keyed hash of Secret values. */
final class PreviewFixtures {
  static final YAMLMapper YAML = new YAMLMapper();
  static final JsonNodeFactory N = JsonNodeFactory.instance;

  private PreviewFixtures() {}

  static DesiredObject object(String cluster, String yaml) {
    try {
      ObjectNode manifest = (ObjectNode) YAML.readTree(yaml);
      return new DesiredObject(
          ResourceId.of(cluster, manifest), manifest, new Provenance("demo", "addons/demo/x.yaml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode yaml(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Like the real keyed hash: {@code hmac:} and 12 hex characters, equal for equal bytes. */
  static String hash(byte[] value) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(value);
      return "hmac:" + HexFormat.of().formatHex(d).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hash(String value) {
    return hash(value.getBytes(StandardCharsets.UTF_8));
  }

  static String deployment(int replicas, String image) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop, labels: {app: web}}
        spec:
          replicas: %d
          template:
            spec:
              containers:
                - name: web
                  image: %s
                  args: [--port=8080]
                - name: shipper
                  image: shipper:1
        """
        .formatted(replicas, image);
  }
}

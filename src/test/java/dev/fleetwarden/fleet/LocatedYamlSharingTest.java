package dev.fleetwarden.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Parsed YAML shares its keys and string values with every other parse: the service holds the
 * render of every cluster, which repeat the same keys and mostly the same values.
 */
class LocatedYamlSharingTest {
  private static final String MANIFEST =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: web-settings
        labels: {app.kubernetes.io/name: web}
      data:
        mode: normal
      """;

  @Test
  void twoParsesOfTheSameManifestShareKeysAndValues() throws Exception {
    JsonNode a = LocatedYaml.parse("a.yaml", MANIFEST).root();
    JsonNode b = LocatedYaml.parse("clusters/b/values.yaml", MANIFEST).root();

    assertThat(a).isEqualTo(b);
    assertThat(a.at("/metadata/name").textValue()).isSameAs(b.at("/metadata/name").textValue());
    assertThat(a.at("/data/mode").textValue()).isSameAs(b.at("/data/mode").textValue());
    assertThat(a.get("metadata").get("labels").fieldNames().next())
        .isSameAs(b.get("metadata").get("labels").fieldNames().next());
  }
}

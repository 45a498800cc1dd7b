package dev.fleetwarden.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one resolver from a drift path (keyed or indexed) to a manifest's node and index pointer. */
class KeyedPathsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static JsonNode deployment() throws Exception {
    return YAML.readTree(
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          template:
            spec:
              containers:
                - name: sidecar
                  image: proxy:1
                - name: web
                  image: web:1
                  args: [--port=8080, --verbose]
                  ports:
                    - {name: dns, containerPort: 53, protocol: UDP}
                    - {name: http, containerPort: 8080}
                  volumeMounts:
                    - {name: config, mountPath: /etc/web}
                    - {name: weird, mountPath: /a~b}
        """);
  }

  @Test
  void aKeyedPathResolvesToTheElementsNodeAndIndexPointer() throws Exception {
    KeyedPaths.Located l =
        KeyedPaths.locate(deployment(), "/spec/template/spec/containers/name=web/image");
    assertThat(l.node().asText()).isEqualTo("web:1");
    assertThat(l.indexPointer()).isEqualTo("/spec/template/spec/containers/1/image");
  }

  @Test
  void multiKeySegmentsMatchAllKeysAndADefaultedKeyLeftOut() throws Exception {
    JsonNode d = deployment();
    assertThat(
            KeyedPaths.indexPointer(
                d,
                "/spec/template/spec/containers/name=web/ports/containerPort=53,protocol=UDP/name"))
        .isEqualTo("/spec/template/spec/containers/1/ports/0/name");
    // protocol: TCP is the server's default: the manifest leaves it out
    assertThat(
            KeyedPaths.at(
                    d,
                    "/spec/template/spec/containers/name=web/ports/containerPort=8080,protocol=TCP/name")
                .asText())
        .isEqualTo("http");
    assertThat(
            KeyedPaths.locate(
                d, "/spec/template/spec/containers/name=web/ports/containerPort=53,protocol=TCP"))
        .isNull();
  }

  @Test
  void escapedValuesNameElementsWithSlashesAndTildes() throws Exception {
    JsonNode d = deployment();
    assertThat(
            KeyedPaths.indexPointer(
                d,
                "/spec/template/spec/containers/name=web/volumeMounts/mountPath=~1etc~1web/name"))
        .isEqualTo("/spec/template/spec/containers/1/volumeMounts/0/name");
    assertThat(
            KeyedPaths.at(
                    d, "/spec/template/spec/containers/name=web/volumeMounts/mountPath=~1a~0b/name")
                .asText())
        .isEqualTo("weird");
  }

  @Test
  void indexedPathsAndPlainFieldsStayAsTheyAre() throws Exception {
    JsonNode d = deployment();
    assertThat(KeyedPaths.indexPointer(d, "/spec/template/spec/containers/1/args/0"))
        .isEqualTo("/spec/template/spec/containers/1/args/0");
    assertThat(KeyedPaths.indexPointer(d, "/metadata/name")).isEqualTo("/metadata/name");
    assertThat(KeyedPaths.indexPointer(d, "")).isEmpty();
  }

  @Test
  void fieldsTheManifestDoesNotSetKeepTheirPlaceBelowTheElement() throws Exception {
    JsonNode d = deployment();
    assertThat(
            KeyedPaths.indexPointer(
                d,
                "/spec/template/spec/containers/name=web/volumeMounts/mountPath=~1etc~1web/readOnly"))
        .isEqualTo("/spec/template/spec/containers/1/volumeMounts/0/readOnly");
    assertThat(
            KeyedPaths.locate(
                d, "/spec/template/spec/containers/name=web/securityContext/privileged"))
        .isNull();
    assertThat(
            KeyedPaths.indexPointer(
                d, "/spec/template/spec/containers/name=web/securityContext/privileged"))
        .isEqualTo("/spec/template/spec/containers/1/securityContext/privileged");
    assertThat(KeyedPaths.indexPointer(d, "/spec/template/spec/initContainers/name=init/image"))
        .isNull();
  }

  @Test
  void aPathNamingNothingResolvesToNothing() throws Exception {
    JsonNode d = deployment();
    assertThat(KeyedPaths.locate(d, "/spec/template/spec/containers/name=api/image")).isNull();
    assertThat(KeyedPaths.locate(d, "/spec/template/spec/containers/7/image")).isNull();
    assertThat(KeyedPaths.locate(d, "/spec/template/spec/containers/image")).isNull();
    assertThat(KeyedPaths.at(d, "/spec/nothing").isMissingNode()).isTrue();
  }

  @Test
  void selectorsParseOneOrSeveralKeysWithValuesHoldingCommasOrEquals() {
    assertThat(KeyedPaths.selector("name=web")).containsExactly(Map.entry("name", "web"));
    assertThat(KeyedPaths.selector("containerPort=8080,protocol=TCP"))
        .containsExactly(Map.entry("containerPort", "8080"), Map.entry("protocol", "TCP"));
    assertThat(KeyedPaths.selector("name=a,b=c,d"))
        .containsExactly(Map.entry("name", "a"), Map.entry("b", "c,d"));
    assertThat(KeyedPaths.selector("name=x=y")).containsExactly(Map.entry("name", "x=y"));
    assertThat(KeyedPaths.selector("12")).isNull();
    assertThat(KeyedPaths.selector("=x")).isNull();
    assertThat(KeyedPaths.selector("not a key=x")).isNull();
  }
}

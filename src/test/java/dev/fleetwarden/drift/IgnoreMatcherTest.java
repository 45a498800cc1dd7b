package dev.fleetwarden.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.model.IgnoreRule;
import dev.fleetwarden.model.ResourceId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ignore rules select list elements with the same syntax as drift paths name them. */
class IgnoreMatcherTest {
  private static final ResourceId ID = new ResourceId("c", "apps", "Deployment", "n", "web");
  private static final String CONTAINERS = "/spec/template/spec/containers";

  private static ObjectNode deploy() throws Exception {
    return (ObjectNode)
        DriftFixtures.YAML.readTree(
            "{spec: {template: {spec: {containers: ["
                + "{name: app, image: a, ports: [{containerPort: 8080}, {containerPort: 53, protocol: UDP, name: dns}],"
                + " volumeMounts: [{name: cfg, mountPath: /etc/web}, {name: tmp, mountPath: /tmp}]},"
                + " {name: proxy, image: p}]}}}}");
  }

  private static IgnoreMatcher rule(String pointer) {
    return IgnoreMatcher.forObject(
        ID, List.of(new IgnoreRule("apps", "Deployment", null, null, List.of(pointer), null)));
  }

  @Test
  void aKeySegmentMatchesTheSameKeyInAPath() throws Exception {
    IgnoreMatcher m = rule(CONTAINERS + "/name=proxy/image");
    assertThat(m.ignores(CONTAINERS + "/name=proxy/image", null, deploy())).isTrue();
    assertThat(m.ignores(CONTAINERS + "/name=app/image", null, deploy())).isFalse();
  }

  @Test
  void multiKeySegmentsMatchInAnyOrderAndBySubset() throws Exception {
    String path = CONTAINERS + "/name=app/ports/containerPort=53,protocol=UDP/name";
    assertThat(
            rule(CONTAINERS + "/name=app/ports/containerPort=53,protocol=UDP")
                .ignores(path, null, deploy()))
        .isTrue();
    assertThat(
            rule(CONTAINERS + "/name=app/ports/protocol=UDP,containerPort=53")
                .ignores(path, null, deploy()))
        .isTrue();
    assertThat(rule(CONTAINERS + "/name=app/ports/containerPort=53").ignores(path, null, deploy()))
        .isTrue();
    assertThat(
            rule(CONTAINERS + "/name=app/ports/containerPort=53,protocol=TCP")
                .ignores(path, null, deploy()))
        .isFalse();
    // a key field the manifest leaves to the server's default is matched by the path's key
    String tcp = CONTAINERS + "/name=app/ports/containerPort=8080,protocol=TCP/containerPort";
    assertThat(
            rule(CONTAINERS + "/*/ports/containerPort=8080,protocol=TCP")
                .ignores(tcp, null, deploy()))
        .isTrue();
  }

  @Test
  void escapedValuesSelectPathsWithSlashes() throws Exception {
    String path = CONTAINERS + "/name=app/volumeMounts/mountPath=~1etc~1web/readOnly";
    assertThat(
            rule(CONTAINERS + "/name=app/volumeMounts/mountPath=~1etc~1web")
                .ignores(path, null, deploy()))
        .isTrue();
    assertThat(
            rule(CONTAINERS + "/name=app/volumeMounts/mountPath=~1tmp")
                .ignores(path, null, deploy()))
        .isFalse();
  }

  @Test
  void aRuleMaySelectByAnotherFieldOrByIndex() throws Exception {
    String path = CONTAINERS + "/name=app/volumeMounts/mountPath=~1etc~1web/readOnly";
    // by a field that is not the list's key
    assertThat(rule(CONTAINERS + "/name=app/volumeMounts/name=cfg").ignores(path, null, deploy()))
        .isTrue();
    // by the element's index in the desired object
    assertThat(rule(CONTAINERS + "/0/volumeMounts/0").ignores(path, null, deploy())).isTrue();
    assertThat(rule(CONTAINERS + "/1").ignores(path, null, deploy())).isFalse();
  }
}

package dev.fleetwarden.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.fleet.LocatedYaml;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.Provenance;
import dev.fleetwarden.model.RenderError;
import dev.fleetwarden.model.ResourceId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderWriterTest {
  @TempDir Path tmp;

  private static DesiredObject object(String cluster, String yaml) throws Exception {
    ObjectNode m = (ObjectNode) LocatedYaml.parse("x.yaml", yaml).root();
    return new DesiredObject(ResourceId.of(cluster, m), m, new Provenance("a", "x.yaml"));
  }

  @Test
  void yamlRoundTripsTypesAndKeepsKeyOrder() throws Exception {
    DesiredObject o =
        object(
            "c",
            "kind: ConfigMap\napiVersion: v1\nmetadata: {name: n, namespace: ns}\n"
                + "data: {a: \"8\", b: \"true\", c: \"1.30\", d: \"?*\", e: \"null\", f: \"\", g: \"x: y\"}\n");
    String yaml = RenderWriter.toYaml(List.of(o, o));
    assertThat(yaml).startsWith("---\nkind: ConfigMap\napiVersion: v1\n");
    var back = LocatedYaml.parseAll("out.yaml", yaml);
    assertThat(back).hasSize(2);
    assertThat(back.get(0).root()).isEqualTo(o.manifest());
    assertThat(yaml).doesNotContain("Provenance").doesNotContain("x.yaml");
  }

  @Test
  void jsonIsAnArrayOfTheObjects() throws Exception {
    DesiredObject o = object("c", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: n}\n");
    String json = RenderWriter.toJson(List.of(o));
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get(0))
        .isEqualTo(o.manifest());
  }

  @Test
  void fileNamesCarryTheGroupSoSameNamedKindsDoNotShareAFile() throws Exception {
    DesiredObject certManager =
        object(
            "c1",
            "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: t, namespace: n}\n");
    DesiredObject acm =
        object(
            "c1",
            "apiVersion: acm.services.k8s.aws/v1alpha1\nkind: Certificate\n"
                + "metadata: {name: t, namespace: n}\n");
    RenderWriter.writeTree(tmp, Map.of("c1", ClusterRender.ok("c1", List.of(certManager, acm))));
    assertThat(tmp.resolve("c1/Certificate.cert-manager.io-n-t.yaml")).exists();
    assertThat(tmp.resolve("c1/Certificate.acm.services.k8s.aws-n-t.yaml")).exists();
  }

  @Test
  void treeWritesOneFilePerObjectAndRemovesStaleFiles() throws Exception {
    DesiredObject a =
        object("c1", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: ns}\n");
    DesiredObject b = object("c1", "apiVersion: v1\nkind: Namespace\nmetadata: {name: ns}\n");
    RenderWriter.writeTree(tmp, Map.of("c1", ClusterRender.ok("c1", List.of(a, b))));
    assertThat(tmp.resolve("c1/ConfigMap-ns-a.yaml")).exists();
    assertThat(tmp.resolve("c1/Namespace-_-ns.yaml")).exists();

    RenderWriter.writeTree(tmp, Map.of("c1", ClusterRender.ok("c1", List.of(b))));
    assertThat(tmp.resolve("c1/ConfigMap-ns-a.yaml")).doesNotExist();
    assertThat(Files.readString(tmp.resolve("c1/Namespace-_-ns.yaml")))
        .isEqualTo("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n");

    RenderWriter.writeTree(
        tmp, Map.of("c1", ClusterRender.failed(new RenderError("c1", "x", "f.yaml", 3, "broken"))));
    assertThat(tmp.resolve("c1/Namespace-_-ns.yaml")).exists();
    assertThat(Files.readString(tmp.resolve("c1/" + RenderWriter.ERROR_FILE)))
        .contains("f.yaml:3")
        .contains("broken");
  }
}

package dev.fleetwarden.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.TrickyYamlStrings;
import dev.fleetwarden.render.RenderWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code render --out} writes files that {@code kubectl apply -f} reads back as rendered: the
 * example fleet plus an add-on whose ConfigMap, custom resource, labels and annotations hold every
 * string a YAML 1.1 reader would take for another type, read back by SnakeYAML (YAML 1.1) and by
 * kubectl itself ({@code kubectl annotate --local -o json}, which decodes the files as {@code
 * apply} does, with sigs.k8s.io/yaml), equal to {@code render -o json} value for value and type for
 * type.
 */
class RenderOutRoundTripIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MARK = "fleetwarden.dev/round-trip-check";

  /** Numbers equal by value (an int and a long of 4 are the same 4); all else exactly. */
  private static final Comparator<JsonNode> SAME =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
      };

  @TempDir Path tmp;

  @Test
  void everyRenderedFileReadsBackAsTheRenderThroughYaml11Readers() throws Exception {
    Path repo = tmp.resolve("fleet");
    CliIT.copy(Path.of("fleet-repo-example"), repo);
    addTrickyAddon(repo);
    Path out = tmp.resolve("out");
    CliIT.Run written =
        CliIT.run("render", "--repo", repo.toString(), "-q", "--out", out.toString());
    assertThat(written.code()).as(written.err()).isZero();
    CliIT.Run json = CliIT.run("render", "--repo", repo.toString(), "-q", "-o", "json");
    assertThat(json.code()).as(json.err()).isZero();
    JsonNode renders = JSON.readTree(json.out());

    String kubectl = Kubectl.require();
    Path kubeconfig = tmp.resolve("kubeconfig");
    Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\n");
    Kubectl local = new Kubectl(kubectl, kubeconfig, tmp.resolve("home"));

    int checked = 0;
    for (var cluster : (Iterable<Map.Entry<String, JsonNode>>) renders::fields) {
      Path dir = out.resolve(cluster.getKey());
      Map<String, JsonNode> rendered = new HashMap<>();
      for (JsonNode o : cluster.getValue()) {
        rendered.put(RenderWriter.fileName(ResourceId.of(cluster.getKey(), o)), o);
      }
      List<Path> files;
      try (Stream<Path> s = Files.list(dir)) {
        files = s.sorted().toList();
      }
      assertThat(files).hasSize(rendered.size());
      for (Path f : files) {
        JsonNode expected = rendered.get(f.getFileName().toString());
        assertThat(expected).as("%s is one of the rendered objects", f).isNotNull();
        Object loaded =
            new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(f));
        assertThat(JSON.valueToTree(loaded).equals(SAME, expected))
            .as("%s read by SnakeYAML (YAML 1.1) equals the render:%n%s", f, Files.readString(f))
            .isTrue();
      }
      // kubectl reads the whole directory, in file order, one JSON document per object
      String decoded =
          local.run("annotate", "--local", "-f", dir.toString(), "-o", "json", MARK + "=x");
      List<JsonNode> byKubectl = new ArrayList<>();
      try (MappingIterator<JsonNode> docs = JSON.readerFor(JsonNode.class).readValues(decoded)) {
        docs.forEachRemaining(byKubectl::add);
      }
      assertThat(byKubectl).hasSize(files.size());
      for (int i = 0; i < files.size(); i++) {
        ObjectNode back = (ObjectNode) byKubectl.get(i);
        ObjectNode meta = (ObjectNode) back.get("metadata");
        ((ObjectNode) meta.get("annotations")).remove(MARK);
        if (meta.get("annotations").isEmpty()) {
          meta.remove("annotations");
        }
        JsonNode expected = rendered.get(files.get(i).getFileName().toString());
        assertThat(back.equals(SAME, expected))
            .as(
                "%s read by kubectl equals the render:%n%s%nkubectl read:%n%s",
                files.get(i), Files.readString(files.get(i)), back.toPrettyString())
            .isTrue();
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(100);
    String trickyFile =
        Files.readString(out.resolve("prod-eu-1/ConfigMap-yaml-types-tricky-strings.yaml"));
    assertThat(trickyFile).contains("\"12:30\"").contains("\"0o17\"").contains("\"y\"");
  }

  /**
   * An add-on of plain manifests holding every tricky string as a ConfigMap value and key, as a
   * label and annotation value, and as values and keys inside a custom resource's spec (no schema:
   * kubectl keeps the type it reads). The source file quotes them all, so the render holds strings.
   */
  private static void addTrickyAddon(Path repo) throws Exception {
    Path addon = repo.resolve("addons/yaml-types");
    Files.createDirectories(addon.resolve("manifests"));
    Files.writeString(
        addon.resolve("addon.yaml"),
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Addon
        metadata:
          name: yaml-types
        spec:
          owner: team-platform
          namespace: yaml-types
          source:
            manifests: {path: manifests}
          clusterSelector: {}
        """);
    YAMLMapper yaml = new YAMLMapper();
    ObjectNode cm = yaml.createObjectNode();
    cm.put("apiVersion", "v1").put("kind", "ConfigMap");
    ObjectNode meta = cm.putObject("metadata").put("name", "tricky-strings");
    ObjectNode labels = meta.putObject("labels");
    ObjectNode annotations = meta.putObject("annotations");
    ObjectNode data = cm.putObject("data");
    ObjectNode cr = yaml.createObjectNode();
    cr.put("apiVersion", "example.org/v1").put("kind", "Settings");
    cr.putObject("metadata").put("name", "tricky-strings");
    ObjectNode spec = cr.putObject("spec");
    int i = 0;
    for (String s : TrickyYamlStrings.OTHER_TYPES) {
      data.put("value-" + i, s);
      spec.put("value-" + i, s);
      spec.putArray("list-" + i).add(s);
      annotations.put("example.org/value-" + i, s);
      if (s.matches("[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?")) {
        labels.put("example.org/value-" + i, s);
      }
      if (s.matches("[-._a-zA-Z0-9]+")) {
        data.put(s, "k" + i);
      }
      if (!s.isEmpty()) {
        spec.put(s, "k" + i);
      }
      i++;
    }
    // the custom kind's CRD travels with it, so its scope is known from the fleet repo
    String crd =
        """
        ---
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: settings.example.org
        spec:
          group: example.org
          scope: Namespaced
          names: {kind: Settings, listKind: SettingsList, plural: settings, singular: settings}
          versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
        """;
    Files.writeString(
        addon.resolve("manifests/tricky.yaml"),
        crd + yaml.writeValueAsString(cm) + yaml.writeValueAsString(cr));
  }
}

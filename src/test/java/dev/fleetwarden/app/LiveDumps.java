package dev.fleetwarden.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** {@code kubectl get -o yaml}-shaped dumps of a cluster as the example fleet renders it. */
final class LiveDumps {
  static final YAMLMapper YAML = new YAMLMapper();

  private LiveDumps() {}

  /**
   * Renders one cluster of the example fleet, passes each object through {@code edit} (null drops
   * it: deleted live), adds {@code extra} objects, and writes the result as one {@code kind: List}
   * to {@code tmp/dump/<cluster>/all.yaml}.
   *
   * @return the dump directory, for {@code diff --live-from}
   */
  static Path of(Path tmp, String cluster, UnaryOperator<ObjectNode> edit, ObjectNode... extra)
      throws IOException {
    Path rendered = tmp.resolve("rendered");
    CliIT.Run r =
        CliIT.run(
            "render",
            "--repo",
            "fleet-repo-example",
            "-q",
            "--out",
            rendered.toString(),
            "-c",
            cluster);
    assertThat(r.code()).as(r.err()).isZero();
    ObjectNode list = YAML.createObjectNode();
    list.put("apiVersion", "v1");
    list.put("kind", "List");
    ArrayNode items = list.putArray("items");
    try (Stream<Path> files = Files.list(rendered.resolve(cluster))) {
      for (Path f : files.sorted().toList()) {
        ObjectNode o = edit.apply((ObjectNode) YAML.readTree(f.toFile()));
        if (o != null) {
          items.add(o);
        }
      }
    }
    for (ObjectNode o : extra) {
      items.add(o);
    }
    Path dump = tmp.resolve("dump");
    Files.createDirectories(dump.resolve(cluster));
    YAML.writeValue(dump.resolve(cluster + "/all.yaml").toFile(), list);
    return dump;
  }

  /** {@code diff} of prod-eu-1 against a dump, in one output format. */
  static CliIT.Run diff(Path tmp, Path dump, String format) {
    return CliIT.run(
        "diff",
        "--repo",
        "fleet-repo-example",
        "-q",
        "-c",
        "prod-eu-1",
        "--live-from",
        dump.toString(),
        "-o",
        format,
        "--state-dir",
        tmp.resolve("state").toString());
  }
}

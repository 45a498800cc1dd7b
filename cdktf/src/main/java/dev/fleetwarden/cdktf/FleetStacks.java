package dev.fleetwarden.cdktf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.hashicorp.cdktf.App;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CDKTF app: one {@link ClusterStack} per {@code clusters/<name>/cluster.yaml} of a fleet repo,
 * for {@code cdktf synth} (see {@code cdktf.json}). The fleet repo is the first argument, else
 * {@code FLEETWARDEN_FLEET_REPO}, else {@code ../fleet-repo-example}. {@code
 * FLEETWARDEN_AWS_ENDPOINT} points every AWS service at one endpoint (a local emulator).
 */
public final class FleetStacks {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private FleetStacks() {}

  public static void main(String[] args) throws IOException {
    String repo =
        args.length > 0
            ? args[0]
            : System.getenv().getOrDefault("FLEETWARDEN_FLEET_REPO", "../fleet-repo-example");
    String endpoint = System.getenv("FLEETWARDEN_AWS_ENDPOINT");
    StackOptions options =
        endpoint == null || endpoint.isBlank()
            ? StackOptions.defaults()
            : new StackOptions(emulatorEndpoints(endpoint), StackOptions.Backend.local());
    App app = new App();
    for (StackInputs in : read(Path.of(repo))) {
      new ClusterStack(app, in, options);
    }
    app.synth();
  }

  /** The same endpoint for every AWS service a cluster stack uses. */
  public static Map<String, String> emulatorEndpoints(String url) {
    return Map.of("ec2", url, "eks", url, "iam", url, "s3", url, "sts", url);
  }

  /** The stack inputs of every cluster of a fleet repo, in cluster-name order. */
  public static List<StackInputs> read(Path fleetRepo) throws IOException {
    Path clusters = fleetRepo.resolve("clusters");
    if (!Files.isDirectory(clusters)) {
      throw new IOException(
          "no clusters/ directory in " + fleetRepo + ": pass the fleet repo as first argument");
    }
    List<StackInputs> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(clusters).sorted()) {
      for (Path dir : (Iterable<Path>) dirs::iterator) {
        Path file = dir.resolve("cluster.yaml");
        if (Files.isRegularFile(file)) {
          out.add(fromClusterYaml(dir.getFileName().toString(), YAML.readTree(file.toFile())));
        }
      }
    }
    return out;
  }

  /** Stack inputs of a parsed {@code cluster.yaml} (kind: Cluster). */
  public static StackInputs fromClusterYaml(String directoryName, JsonNode cluster) {
    String name = cluster.path("metadata").path("name").asText(directoryName);
    JsonNode spec = cluster.path("spec");
    return StackInputs.from(
        name,
        "management".equalsIgnoreCase(spec.path("role").asText()),
        spec.path("environment").asText(null),
        spec.get("infrastructure"));
  }
}

package dev.fleetwarden.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * Generates a large fleet for benchmarks: copies a template fleet repo (by default {@code
 * fleet-repo-example}) and adds workload clusters {@code gen-000...} spread over its environments,
 * with varied labels and Kubernetes versions, and per-cluster values files derived from the
 * template's own values files (integers shifted a little, so clusters differ but many still share
 * rendered output, as real fleets do). Deterministic for a given seed.
 */
public final class FleetGenerator {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String[] REGIONS = {"eu-west-1", "us-east-1", "ap-south-1", "eu-central-1"};
  private static final String[] KUBE_VERSIONS = {"1.29.4", "1.30.2", "1.31.1"};

  private FleetGenerator() {}

  /** The template used when none is given: the project's example fleet, from the working dir. */
  public static Path defaultTemplate() {
    return Path.of("fleet-repo-example");
  }

  /**
   * Copies {@code template} to {@code target} and adds {@code clusters} generated clusters.
   *
   * @return the names of the generated clusters, sorted
   */
  public static List<String> generate(Path template, Path target, int clusters, long seed) {
    if (!Files.isRegularFile(template.resolve("fleet.yaml"))) {
      throw new IllegalArgumentException(
          "no fleet.yaml in " + template + "; pass the root of a fleet repo as the template");
    }
    copy(template, target);
    List<String> environments = names(target.resolve("environments"), true);
    Map<String, JsonNode> valuesFiles = templateValuesFiles(target);
    Random random = new Random(seed);
    List<String> generated = new ArrayList<>();
    for (int i = 0; i < clusters; i++) {
      String name = String.format("gen-%03d", i);
      String env = environments.get(i % environments.size());
      String region = REGIONS[random.nextInt(REGIONS.length)];
      String kube = KUBE_VERSIONS[i % KUBE_VERSIONS.length];
      Path dir = target.resolve("clusters").resolve(name);
      write(
          dir.resolve("cluster.yaml"),
          "apiVersion: fleetwarden.dev/v1alpha1\n"
              + "kind: Cluster\n"
              + "metadata:\n"
              + "  name: "
              + name
              + "\n"
              + "  labels: {region: "
              + region
              + ", generated: \"true\", shard: s"
              + (i % 5)
              + "}\n"
              + "spec:\n"
              + "  role: workload\n"
              + "  environment: "
              + env
              + "\n"
              + "  kubeVersion: \""
              + kube
              + "\"\n");
      int variant = i % 4;
      if (variant != 0) {
        for (Map.Entry<String, JsonNode> v : valuesFiles.entrySet()) {
          JsonNode values = v.getValue().deepCopy();
          shiftIntegers(values, variant);
          write(dir.resolve("values").resolve(v.getKey()), toYaml(values));
        }
      }
      generated.add(name);
    }
    return generated;
  }

  /** One values file per add-on: the first cluster's that sets one, keyed by file name. */
  private static Map<String, JsonNode> templateValuesFiles(Path root) {
    Map<String, JsonNode> out = new TreeMap<>();
    for (String cluster : names(root.resolve("clusters"), false)) {
      Path values = root.resolve("clusters").resolve(cluster).resolve("values");
      for (String file : names(values, false)) {
        if (!out.containsKey(file)) {
          try {
            JsonNode tree = YAML.readTree(values.resolve(file).toFile());
            if (tree != null && tree.isObject()) {
              out.put(file, tree);
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    }
    return out;
  }

  private static void shiftIntegers(JsonNode node, int by) {
    if (node instanceof ObjectNode obj) {
      List<String> keys = new ArrayList<>();
      obj.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        JsonNode child = obj.get(k);
        if (child.isIntegralNumber() && child.asInt() > 1 && child.asInt() < 100) {
          obj.put(k, child.asInt() + by);
        } else {
          shiftIntegers(child, by);
        }
      }
    } else if (node != null && node.isArray()) {
      node.forEach(n -> shiftIntegers(n, by));
    }
  }

  private static String toYaml(JsonNode node) {
    try {
      return YAML.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> names(Path dir, boolean stripYaml) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString())
          .filter(n -> !stripYaml || n.endsWith(".yaml") || n.endsWith(".yml"))
          .map(n -> stripYaml ? n.replaceFirst("\\.ya?ml$", "") : n)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copy(Path from, Path to) {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
    }
  }

  private static void write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A generated cluster's ingress values file, the one the commit benchmarks edit. */
  static Path ingressValues(Path root, String cluster) {
    return root.resolve("clusters").resolve(cluster).resolve("values/ingress.yaml");
  }

  /** The first generated cluster with an ingress values file. */
  static String firstWithIngressValues(Path root, List<String> generated) {
    for (String c : generated) {
      if (Files.isRegularFile(ingressValues(root, c))) {
        return c;
      }
    }
    throw new IllegalStateException(
        "no generated cluster has values/ingress.yaml; generate at least 2 clusters from a"
            + " template whose clusters set ingress values");
  }

  /** Sets {@code controller.proxyBodySize} in a values file: a one-value change of one cluster. */
  static void setProxyBodySize(Path file, String size) throws IOException {
    JsonNode tree = YAML.readTree(file.toFile());
    ObjectNode root = tree instanceof ObjectNode o ? o : YAML.createObjectNode();
    root.withObjectProperty("controller").put("proxyBodySize", size);
    Files.writeString(file, YAML.writeValueAsString(root));
  }

  /** Commits every change of the work tree, additions and deletions; the commit's id. */
  static String commitAll(Git git, String message) throws GitAPIException {
    git.add().addFilepattern(".").call();
    git.add().addFilepattern(".").setUpdate(true).call();
    return git.commit()
        .setMessage(message)
        .setSign(false)
        .setAuthor("Dana Dev", "dana@example.org")
        .setCommitter("Dana Dev", "dana@example.org")
        .call()
        .name();
  }
}

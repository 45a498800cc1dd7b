package dev.fleetwarden.charts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A small fleet repo whose one add-on takes a remote chart, for the chart tests: one management and
 * one workload cluster in one environment.
 */
public final class ChartFleet {
  private ChartFleet() {}

  /** A chart of one ConfigMap carrying {@code marker}, as chart {@code name} at {@code version}. */
  public static Map<String, String> chartFiles(String name, String version, String marker) {
    return Map.of(
        "Chart.yaml",
        "apiVersion: v2\nname: " + name + "\nversion: " + version + "\n",
        "values.yaml",
        "greeting: hello\n",
        "templates/configmap.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "
            + name
            + "\ndata:\n  marker: "
            + marker
            + "\n  greeting: {{ .Values.greeting }}\n");
  }

  /** Writes the fleet; {@code source} is the add-on's {@code source.helm} mapping. */
  public static Path write(Path root, String source) {
    file(
        root.resolve("fleet.yaml"),
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Fleet
        metadata: {name: charts}
        spec:
          defaults: {kubeVersion: "1.30.0"}
        """);
    file(
        root.resolve("environments/prod.yaml"),
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Environment
        metadata: {name: prod}
        spec: {}
        """);
    for (String c : new String[] {"mgmt", "prod-1"}) {
      file(
          root.resolve("clusters/" + c + "/cluster.yaml"),
          """
          apiVersion: fleetwarden.dev/v1alpha1
          kind: Cluster
          metadata: {name: %s}
          spec:
            role: %s
            environment: prod
          """
              .formatted(c, c.equals("mgmt") ? "management" : "workload"));
    }
    file(
        root.resolve("addons/app/addon.yaml"),
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Addon
        metadata: {name: app}
        spec:
          namespace: apps
          source:
            helm: %s
          clusterSelector: {role: workload}
        """
            .formatted(source));
    return root;
  }

  static void file(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

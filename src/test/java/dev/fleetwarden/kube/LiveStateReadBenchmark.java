package dev.fleetwarden.kube;

import dev.fleetwarden.demo.EmbeddedFleet;
import dev.fleetwarden.fleet.Connection;
import dev.fleetwarden.model.DesiredObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints how fast the live state reader lists embedded clusters: clusters × objects per cluster
 * (ConfigMaps over 10 namespaces), read with {@code readAll}. Arguments: clusters, objects per
 * cluster, rounds. Run with the test classpath: {@code java -cp ... LiveStateReadBenchmark 4 2000
 * 5}.
 */
public final class LiveStateReadBenchmark {
  private LiveStateReadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int perCluster = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Path dir = Files.createTempDirectory("fleetwarden-kube-bench");
    String[] names = new String[clusters];
    for (int i = 0; i < clusters; i++) {
      names[i] = "bench-" + i;
    }
    Map<String, List<DesiredObject>> desired = new LinkedHashMap<>();
    try (EmbeddedFleet fleet = EmbeddedFleet.start(dir.resolve("kubeconfig"), names)) {
      long applyStart = System.nanoTime();
      for (String c : names) {
        List<DesiredObject> objects = new ArrayList<>();
        for (int i = 0; i < perCluster; i++) {
          objects.add(TestObjects.configMap(c, "ns-" + (i % 10), "cm-" + i, "value-" + i));
        }
        fleet.apply(c, objects);
        desired.put(c, objects);
      }
      System.out.printf(
          "applied %d objects on %d clusters in %d ms%n",
          clusters * perCluster, clusters, (System.nanoTime() - applyStart) / 1_000_000);
      Map<String, Connection> connections = new LinkedHashMap<>();
      for (String c : names) {
        connections.put(c, Connection.context(c));
      }
      try (ClusterClients clients =
          new ClusterClients(connections, null, fleet.kubeconfigPath(), KubeSettings.DEFAULTS)) {
        Fabric8LiveStateReader reader = new Fabric8LiveStateReader(clients);
        for (int r = 1; r <= rounds; r++) {
          long start = System.nanoTime();
          Map<String, LiveState> states = reader.readAll(desired);
          long ms = (System.nanoTime() - start) / 1_000_000;
          int objects = states.values().stream().mapToInt(s -> s.objects().size()).sum();
          System.out.printf(
              "round %d: read %d objects from %d clusters in %d ms (%.0f objects/s)%n",
              r, objects, states.size(), ms, objects * 1000.0 / Math.max(ms, 1));
        }
      }
    }
  }
}

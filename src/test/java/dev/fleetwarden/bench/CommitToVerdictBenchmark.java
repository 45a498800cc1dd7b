package dev.fleetwarden.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.app.Config;
import dev.fleetwarden.app.Setting;
import dev.fleetwarden.app.Wiring;
import dev.fleetwarden.git.FleetRepository;
import dev.fleetwarden.model.ClusterReport;
import dev.fleetwarden.model.ClusterStatus;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.FieldDrift;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.reconcile.FleetService;
import dev.fleetwarden.reconcile.LiveSource;
import dev.fleetwarden.reconcile.Observation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * Commit-to-verdict latency on a generated fleet: the fleet is a Git repo, a {@link FleetService}
 * follows it (real JGit clone, real renderer, embedded H2 store, alerts into the store's outbox)
 * and observes live state from memory, frozen at the first render (so every cluster starts in
 * sync). Each measured commit changes one generated cluster's ingress values; the clock runs from
 * "webhook received" (the commit is on the remote) through {@code pollGit} (fetch, load, re-render
 * the affected clusters) and a Kubernetes scan of each affected cluster, until the cluster's report
 * shows the new drift. Exactly one cluster must be re-rendered per commit.
 *
 * <p>{@code mvn -B -q test-compile exec:exec -Dbench=CommitToVerdictBenchmark
 * -Dbench.args="[clusters] [commits] [template-fleet-dir]"}
 */
public final class CommitToVerdictBenchmark {
  private static final String CHANGED_POINTER = "/data/proxy-body-size";

  /** What the measured commits cost. */
  public record Result(
      int clusters,
      int generatedClusters,
      int commits,
      String changedCluster,
      List<Long> latenciesMillis,
      long medianMillis,
      long maxMillis,
      int reRenderedPerCommit,
      long startMillis,
      long peakHeapBytes) {
    @Override
    public String toString() {
      return String.format(
          "commit-to-verdict: %d clusters (%d generated + template), %d commits to %s: median %d"
              + " ms, max %d ms %s; %d cluster(s) re-rendered per commit; peak heap %d MB;"
              + " initial render %d ms (not timed); %d processors",
          clusters,
          generatedClusters,
          commits,
          changedCluster,
          medianMillis,
          maxMillis,
          latenciesMillis,
          reRenderedPerCommit,
          peakHeapBytes / (1024 * 1024),
          startMillis,
          Runtime.getRuntime().availableProcessors());
    }
  }

  private CommitToVerdictBenchmark() {}

  public static void main(String[] args) {
    int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int commits = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Path template = args.length > 2 ? Path.of(args[2]) : FleetGenerator.defaultTemplate();
    System.out.println(run(clusters, commits, template));
  }

  /**
   * Runs the benchmark on {@code clusters} generated clusters (plus the template's own).
   *
   * @throws IllegalStateException when a commit does not re-render exactly one cluster or the
   *     report does not show the change as drift
   */
  public static Result run(int clusters, int commits, Path template) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("fleetwarden-commit-bench-");
      Path remoteDir = dir.resolve("remote");
      List<String> generated = FleetGenerator.generate(template, remoteDir, clusters, 42L);
      String target = FleetGenerator.firstWithIngressValues(remoteDir, generated);
      try (Git remote =
          Git.init().setDirectory(remoteDir.toFile()).setInitialBranch("main").call()) {
        FleetGenerator.commitAll(remote, "generated fleet of " + clusters + " clusters");
        // The service's own wiring, with a live source frozen at the desired state.
        Config config =
            Config.defaults(Map.of())
                .with(Setting.WORK_DIR, dir.resolve("work").toString())
                .with(Setting.FLEET_REPO, remoteDir.toString())
                .with(Setting.KUBE_EMBEDDED, "false");
        try (Wiring wiring = new Wiring(config, Map.of(), Clock.systemUTC())) {
          FleetRepository repo = wiring.fleetRepository();
          FrozenLiveSource live = new FrozenLiveSource();
          FleetService service = wiring.fleetService(repo, live, null, wiring.alerts(), null);
          List<Collection<String>> affected = new CopyOnWriteArrayList<>();
          service.onAffected(c -> affected.add(List.copyOf(c)));

          long startBegin = System.nanoTime();
          service.start();
          long startMillis = (System.nanoTime() - startBegin) / 1_000_000;
          int fleetSize = service.fleet().clusters().size();
          ClusterReport baseline = service.scanKubernetes(target);
          if (baseline.status() != ClusterStatus.IN_SYNC) {
            throw new IllegalStateException(
                "cluster " + target + " should start in sync but is " + baseline);
          }

          List<MemoryPoolMXBean> heap =
              ManagementFactory.getMemoryPoolMXBeans().stream()
                  .filter(p -> p.getType() == MemoryType.HEAP)
                  .toList();
          List<Long> latencies = new ArrayList<>();
          long peak = 0;
          int maxReRendered = 0;
          for (int k = 1; k <= commits; k++) {
            String size = (100 + k) + "m";
            FleetGenerator.setProxyBodySize(FleetGenerator.ingressValues(remoteDir, target), size);
            FleetGenerator.commitAll(remote, target + ": ingress proxy body size " + size);
            affected.clear();
            System.gc();
            heap.forEach(MemoryPoolMXBean::resetPeakUsage);

            long begin = System.nanoTime(); // the webhook arrives
            service.pollGit();
            List<String> reRendered = new ArrayList<>();
            affected.forEach(reRendered::addAll);
            for (String c : reRendered) {
              service.scanKubernetes(c);
            }
            ClusterReport report = service.report(target);
            long took = System.nanoTime() - begin;

            peak = Math.max(peak, heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum());
            if (!reRendered.equals(List.of(target))) {
              throw new IllegalStateException(
                  "commit "
                      + k
                      + " to "
                      + target
                      + " should re-render exactly that cluster, but re-rendered "
                      + reRendered.size()
                      + ": "
                      + reRendered.stream().limit(10).toList());
            }
            checkVerdict(report, size);
            maxReRendered = Math.max(maxReRendered, reRendered.size());
            latencies.add(took / 1_000_000);
          }
          List<Long> sorted = new ArrayList<>(latencies);
          Collections.sort(sorted);
          return new Result(
              fleetSize,
              generated.size(),
              commits,
              target,
              latencies,
              sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2),
              sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1),
              maxReRendered,
              startMillis,
              peak);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GitAPIException e) {
      throw new IllegalStateException("cannot set up the fleet repo: " + e.getMessage(), e);
    } finally {
      Scratch.deleteQuietly(dir);
    }
  }

  /** The report must be drifted, with the changed field's desired value being the new one. */
  private static void checkVerdict(ClusterReport report, String expected) {
    boolean found = false;
    if (report.status() == ClusterStatus.DRIFTED) {
      for (ObjectDrift d : report.drifts()) {
        for (FieldDrift f : d.fields()) {
          if (f.path().equals(CHANGED_POINTER)
              && f.desired() != null
              && f.desired().asText().equals(expected)) {
            found = true;
          }
        }
      }
    }
    if (!found) {
      throw new IllegalStateException(
          "cluster "
              + report.name()
              + " should show "
              + CHANGED_POINTER
              + " drifted to desired "
              + expected
              + " but its report is "
              + report);
    }
  }

  /** The first generated cluster that has its own ingress values file. */
  /**
   * Live clusters in memory: each cluster holds copies of the objects of its first observed render
   * (as if a GitOps tool had synced it then and nothing since), so later changes in Git are drift.
   */
  static final class FrozenLiveSource implements LiveSource {
    private final Map<String, List<ObjectNode>> clusters = new ConcurrentHashMap<>();

    @Override
    public Observation observe(String cluster, List<DesiredObject> desired) {
      return Observation.of(
          clusters.computeIfAbsent(
              cluster, c -> desired.stream().map(d -> d.manifest().deepCopy()).toList()));
    }
  }
}

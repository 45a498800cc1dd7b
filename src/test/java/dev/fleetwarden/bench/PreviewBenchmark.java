package dev.fleetwarden.bench;

import dev.fleetwarden.ExampleCharts;
import dev.fleetwarden.drift.SecretHasher;
import dev.fleetwarden.git.LocalRevisions;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.preview.Preview;
import dev.fleetwarden.reconcile.Previewer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * Preview latency on a generated fleet held in a local Git repository, as {@code fleetwarden
 * preview} reads it (the real renderer, both sides checked out, only affected clusters rendered).
 * Two workloads, each a chain of commits previewed one against the one before:
 *
 * <ul>
 *   <li>one cluster's ingress values change (one cluster affected);
 *   <li>the ingress chart's labels change (every cluster running ingress affected).
 * </ul>
 *
 * The first preview of the run includes starting the Helm render process (what one {@code preview}
 * command pays); the later ones find it running and its cache warm for the base side (the service's
 * case, and a second run of the command does not have it). Each preview must change exactly the
 * expected clusters.
 *
 * <p>{@code mvn -B -q test-compile exec:exec -Dbench=PreviewBenchmark -Dbench.args="[clusters]
 * [commits] [template-fleet-dir]"}
 */
public final class PreviewBenchmark {
  private static final String LABELS = "addons/ingress/chart/templates/_labels.tpl";

  /** One workload's figures. */
  public record Workload(
      String name,
      int changedClusters,
      int renderedPerPreview,
      List<Long> millis,
      long firstMillis,
      long medianMillis) {
    @Override
    public String toString() {
      return String.format(
          "%s: %d cluster(s) change, %d renders per preview (both sides); first %d ms, median"
              + " %d ms %s",
          name, changedClusters, renderedPerPreview, firstMillis, medianMillis, millis);
    }
  }

  /** What the run measured. */
  public record Result(int clusters, Workload oneCluster, Workload addon) {
    @Override
    public String toString() {
      return String.format(
          "preview of a %d-cluster fleet (%d processors):%n  %s%n  %s",
          clusters, Runtime.getRuntime().availableProcessors(), oneCluster, addon);
    }
  }

  private PreviewBenchmark() {}

  public static void main(String[] args) {
    int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int commits = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path template = args.length > 2 ? Path.of(args[2]) : FleetGenerator.defaultTemplate();
    System.out.println(run(clusters, commits, template));
  }

  /**
   * Runs both workloads on {@code clusters} generated clusters (plus the template's own).
   *
   * @throws IllegalStateException when a preview does not change exactly the expected clusters
   */
  public static Result run(int clusters, int commits, Path template) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("fleetwarden-preview-bench-");
      Path repoDir = dir.resolve("fleet");
      List<String> generated = FleetGenerator.generate(template, repoDir, clusters, 42L);
      String target = FleetGenerator.firstWithIngressValues(repoDir, generated);
      try (Git git = Git.init().setDirectory(repoDir.toFile()).setInitialBranch("main").call();
          LocalRevisions revisions = LocalRevisions.open(repoDir);
          Previewer previewer =
              new Previewer(
                  ExampleCharts.rendering(), SecretHasher.ephemeral(), dir.resolve("scratch"))) {
        String base = FleetGenerator.commitAll(git, "generated fleet of " + clusters + " clusters");
        AtomicInteger renders = new AtomicInteger();
        Previewer.Progress count =
            new Previewer.Progress() {
              @Override
              public void clusterDone(ClusterRender render, Duration took) {
                renders.incrementAndGet();
              }
            };

        List<Long> one = new ArrayList<>();
        int oneRenders = 0;
        int oneChanged = 0;
        for (int k = 1; k <= commits; k++) {
          FleetGenerator.setProxyBodySize(
              FleetGenerator.ingressValues(repoDir, target), (100 + k) + "m");
          String head = FleetGenerator.commitAll(git, target + ": proxy body size " + k);
          renders.set(0);
          long begin = System.nanoTime();
          Preview p =
              previewer.preview(revisions, base, head, Previewer.Scope.desiredOnly(), count);
          one.add((System.nanoTime() - begin) / 1_000_000);
          expect(p, List.of(target));
          oneRenders = renders.get();
          oneChanged = p.changed().size();
          base = head;
        }

        List<Long> addon = new ArrayList<>();
        int addonRenders = 0;
        int addonChanged = 0;
        for (int k = 1; k <= commits; k++) {
          Path labels = repoDir.resolve(LABELS);
          Files.writeString(
              labels,
              Files.readString(labels)
                  .replaceFirst(
                      "app.kubernetes.io/part-of: ",
                      "platform.example.org/revision-"
                          + k
                          + ": \""
                          + k
                          + "\"\napp.kubernetes.io/part-of: "));
          String head = FleetGenerator.commitAll(git, "ingress: label " + k);
          renders.set(0);
          long begin = System.nanoTime();
          Preview p =
              previewer.preview(revisions, base, head, Previewer.Scope.desiredOnly(), count);
          addon.add((System.nanoTime() - begin) / 1_000_000);
          int running = p.affected();
          if (p.changed().size() != running || running < clusters) {
            throw new IllegalStateException(
                "an ingress chart change should change every cluster running ingress ("
                    + running
                    + "), but changed "
                    + p.changed().size());
          }
          addonRenders = renders.get();
          addonChanged = p.changed().size();
          base = head;
        }
        return new Result(
            countClusters(repoDir),
            workload("one-cluster values change", oneChanged, oneRenders, one),
            workload("ingress chart change", addonChanged, addonRenders, addon));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GitAPIException e) {
      throw new IllegalStateException("cannot set up the fleet repo: " + e.getMessage(), e);
    } finally {
      Scratch.deleteQuietly(dir);
    }
  }

  private static Workload workload(String name, int changed, int renders, List<Long> millis) {
    List<Long> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    return new Workload(
        name, changed, renders, millis, millis.get(0), sorted.get(sorted.size() / 2));
  }

  private static void expect(Preview p, List<String> clusters) {
    List<String> changed = p.changed().stream().map(c -> c.name()).toList();
    if (!p.valid() || !changed.equals(clusters)) {
      throw new IllegalStateException(
          "the preview should change exactly "
              + clusters
              + " but changed "
              + changed
              + " "
              + p.errors());
    }
  }

  private static int countClusters(Path root) throws IOException {
    try (var list = Files.list(root.resolve("clusters"))) {
      return (int) list.count();
    }
  }
}

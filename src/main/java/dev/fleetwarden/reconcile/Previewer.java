package dev.fleetwarden.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.cdktf.StackInputs;
import dev.fleetwarden.drift.SecretHasher;
import dev.fleetwarden.fleet.ChangeImpact;
import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetError;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.RepoFiles;
import dev.fleetwarden.git.LocalOrigin;
import dev.fleetwarden.git.Revisions;
import dev.fleetwarden.git.UnsafeCommitException;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.RenderError;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.preview.Change;
import dev.fleetwarden.preview.ChartChanges;
import dev.fleetwarden.preview.ClusterPreview;
import dev.fleetwarden.preview.DesiredDiff;
import dev.fleetwarden.preview.DriftEffect;
import dev.fleetwarden.preview.ObjectChange;
import dev.fleetwarden.preview.Preview;
import dev.fleetwarden.preview.TerraformDiff;
import dev.fleetwarden.remediate.StackRerender;
import dev.fleetwarden.render.RenderListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The preview of a change, read as its algorithm: check out both sides → load and validate the head
 * → find the clusters the changed files reach ({@link ChangeImpact}) → render those clusters on
 * both sides → diff their desired objects → compare with live drift → synthesize and diff their
 * Terraform configurations. Only affected clusters are rendered. The same for {@code preview} on a
 * laptop and for the service's pull request previews.
 */
public final class Previewer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Previewer.class);

  /**
   * What to look at besides the two revisions.
   *
   * @param clusters only these clusters (empty: every affected one)
   * @param live where live drift comes from (null: not compared)
   * @param noLive why live state is not compared, shown per cluster (null: say nothing)
   * @param stacks Terraform synthesis (null: Terraform is not previewed)
   */
  public record Scope(
      Collection<String> clusters, LiveComparison live, String noLive, StackRerender stacks) {
    public Scope {
      clusters = clusters == null ? List.of() : List.copyOf(clusters);
    }

    /** Every affected cluster, no live state, no Terraform. */
    public static Scope desiredOnly() {
      return new Scope(List.of(), null, null, null);
    }
  }

  /** Told what the preview does, for progress output; render events for each cluster. */
  public interface Progress extends RenderListener {
    default void say(String message) {}
  }

  /** Revisions kept checked out and loaded (a pull request's base and its last heads). */
  private static final int LOADED = 4;

  private final FetchAndRender rendering;
  private final DesiredDiff diff;
  private final Path scratch;
  private volatile boolean closed;
  private final Map<String, Side> loaded = new LinkedHashMap<>(8, 0.75f, true);
  private final ExecutorService sideLoader =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "fleetwarden-preview-load");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param hasher the keyed hash Secret values are shown as
   * @param scratch where revisions are checked out (a directory each, deleted when no longer kept
   *     or at {@link #close})
   */
  public Previewer(FetchAndRender rendering, SecretHasher hasher, Path scratch) {
    this.rendering = rendering;
    this.diff = new DesiredDiff(bytes -> hasher.hash(bytes).asText());
    this.scratch = scratch;
  }

  /**
   * Previews the change from {@code base} to {@code head}.
   *
   * @throws IllegalArgumentException when {@link Scope#clusters} names a cluster neither side has
   * @throws dev.fleetwarden.git.GitException when a revision cannot be read
   * @throws CancellationException when the calling thread is interrupted or the previewer closed
   *     before the renders finished (no preview: renders cut short say nothing about the change)
   */
  public Preview preview(Revisions repo, String base, String head, Scope scope, Progress progress) {
    Progress say = progress == null ? new Progress() {} : progress;
    stopIfCancelled();
    String baseId = repo.resolve(base);
    String headId = repo.resolve(head);
    Side[] sides = sides(repo, baseId, headId);
    Side baseSide = sides[0];
    Side headSide = sides[1];
    if (headSide.fleet() == null) {
      return Preview.invalid(baseId, headId, headSide.errors());
    }
    Fleet next = headSide.fleet();
    Fleet previous = baseSide.fleet();
    String baseProblem =
        previous != null
            ? null
            : "the base does not load ("
                + baseSide.errors().get(0)
                + "); its objects are shown as added";
    SortedSet<String> changed = repo.changedPaths(baseId, headId);
    ChangeImpact.Impact impact = ChangeImpact.analyze(previous, next, changed);
    Set<String> only = only(scope, previous, next);
    Set<String> kubernetes = within(impact.kubernetes(), only);
    Set<String> terraform = new TreeSet<>();
    if (scope.stacks() != null) {
      terraform.addAll(impact.terraform());
      if (impact.terraformCodeChanged()) {
        terraform.addAll(next.clusters().keySet());
        if (previous != null) {
          terraform.addAll(previous.clusters().keySet());
        }
      }
      terraform = within(terraform, only);
    }
    say.say(
        changed.size()
            + " file(s) changed; "
            + within(impact.affected(), only).size()
            + " cluster(s) affected; rendering "
            + kubernetes.size()
            + " on both sides");
    Map<String, ClusterRender> after = render(next, kubernetes, say);
    Map<String, ClusterRender> before =
        previous == null ? Map.of() : render(previous, kubernetes, say);
    // A render cut short by an interrupt, or reading checkouts close() deleted meanwhile, fails or
    // differs without being the change's doing (the service is stopping): no preview at all.
    stopIfCancelled();

    List<FleetError> errors = new ArrayList<>();
    List<ClusterPreview> clusters = new ArrayList<>();
    Set<String> all = new TreeSet<>(kubernetes);
    all.addAll(terraform);
    for (String cluster : all) {
      ClusterRender now = after.get(cluster);
      if (now != null && now.failed()) {
        errors.add(error(now.error()));
        continue;
      }
      ClusterPreview c =
          cluster(
              cluster,
              previous,
              before.get(cluster),
              next,
              now,
              baseProblem,
              scope,
              terraform.contains(cluster));
      if (!c.isEmpty()) {
        clusters.add(c);
      }
    }
    return new Preview(
        baseId, headId, errors.isEmpty(), errors, clusters, within(impact.affected(), only).size());
  }

  private void stopIfCancelled() {
    if (closed) {
      throw new CancellationException("the previewer is closed");
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new CancellationException("the preview was interrupted");
    }
  }

  /** A revision checked out and loaded: its fleet, or why it does not load. */
  private record Side(Path dir, Fleet fleet, List<FleetError> errors) {}

  /**
   * Both sides, from the revisions loaded lately or checked out and loaded now, in parallel. A pull
   * request's pushes share their base, and one preview's head is often the next one's base.
   */
  private Side[] sides(Revisions repo, String baseId, String headId) {
    synchronized (loaded) {
      Side b = loaded.get(baseId);
      Side h = loaded.get(headId);
      if (b == null && h == null && !baseId.equals(headId)) {
        CompletableFuture<Side> other =
            CompletableFuture.supplyAsync(() -> load(repo, baseId), sideLoader);
        h = load(repo, headId);
        try {
          b = other.join();
        } catch (CompletionException e) {
          delete(h.dir());
          throw e.getCause() instanceof RuntimeException r ? r : e;
        }
      } else {
        if (b == null) {
          b = load(repo, baseId);
        }
        if (h == null) {
          h = baseId.equals(headId) ? b : load(repo, headId);
        }
      }
      remember(baseId, b);
      remember(headId, h);
      return new Side[] {b, h};
    }
  }

  private Side load(Revisions repo, String commit) {
    Path dir = newWorkDir();
    try {
      return new Side(dir, rendering.load(repo.checkout(commit, dir.resolve("fleet"))), null);
    } catch (UnsafeCommitException e) {
      return new Side(dir, null, RepoFiles.symlinkErrors(e.paths()));
    } catch (FleetValidationException e) {
      return new Side(dir, null, e.errors());
    } catch (RuntimeException e) {
      delete(dir);
      throw e;
    }
  }

  /** Keeps a loaded revision; the least recently used beyond {@value #LOADED} are deleted. */
  private void remember(String commit, Side side) {
    loaded.put(commit, side);
    while (loaded.size() > LOADED) {
      Map.Entry<String, Side> eldest = loaded.entrySet().iterator().next();
      loaded.remove(eldest.getKey());
      delete(eldest.getValue().dir());
    }
  }

  /** Deletes the revisions it keeps checked out; a preview still running then ends cancelled. */
  @Override
  public void close() {
    closed = true;
    synchronized (loaded) {
      loaded.values().forEach(side -> delete(side.dir()));
      loaded.clear();
    }
    sideLoader.shutdownNow();
  }

  private ClusterPreview cluster(
      String cluster,
      Fleet previous,
      ClusterRender before,
      Fleet next,
      ClusterRender after,
      String baseProblem,
      Scope scope,
      boolean withTerraform) {
    List<String> notes = new ArrayList<>();
    if (baseProblem != null) {
      notes.add(baseProblem);
    }
    notes.addAll(ChartChanges.of(cluster, previous, next));
    List<DesiredObject> old = List.of();
    if (before != null && before.failed()) {
      notes.add("the base did not render (" + before.error() + "); its objects are shown as added");
    } else if (before != null) {
      old = before.objects();
    }
    List<ObjectChange> objects =
        after == null && before == null
            ? List.of()
            : diff.diff(cluster, old, after == null ? List.of() : after.objects());

    List<dev.fleetwarden.preview.DriftOverwrite> overwrites = List.of();
    List<dev.fleetwarden.preview.DriftResolution> resolutions = List.of();
    String live = null;
    if (after != null && scope.live() != null) {
      LiveComparison.Drifts drifts =
          scope
              .live()
              .compare(
                  cluster,
                  previous,
                  before == null || before.failed() ? null : before,
                  next,
                  after);
      if (drifts.unknownReason() != null) {
        live = "unknown: " + drifts.unknownReason();
      } else {
        Set<ResourceId> touched = new HashSet<>();
        for (ObjectChange o : objects) {
          if (o.change() != Change.REMOVED) {
            touched.add(o.resource());
          }
        }
        Set<ResourceId> wanted = new HashSet<>();
        after.objects().forEach(o -> wanted.add(o.id().inCluster(cluster)));
        DriftEffect.Effect effect =
            DriftEffect.of(touched, wanted, drifts.today(), drifts.underHead());
        overwrites = effect.overwrites();
        resolutions = effect.resolutions();
      }
    } else if (after != null && scope.noLive() != null) {
      live = scope.noLive();
    }

    List<ObjectChange> stack = List.of();
    if (withTerraform) {
      try {
        stack =
            TerraformDiff.diff(
                cluster,
                synthesize(scope.stacks(), previous, cluster),
                synthesize(scope.stacks(), next, cluster));
      } catch (StackRerender.StackException e) {
        LOG.warn("preview of {}: Terraform not synthesized: {}", cluster, e.getMessage());
        notes.add("Terraform could not be synthesized: " + e.getMessage());
      }
    }
    return new ClusterPreview(
        cluster,
        objects,
        stack,
        overwrites,
        resolutions,
        live,
        notes.isEmpty() ? null : String.join("; ", notes));
  }

  private static JsonNode synthesize(StackRerender stacks, Fleet fleet, String cluster)
      throws StackRerender.StackException {
    ClusterSpec c = fleet == null ? null : fleet.clusters().get(cluster);
    JsonNode infra = c == null ? null : c.infrastructure();
    if (infra == null || infra.isNull() || infra.isMissingNode()) {
      return null;
    }
    return stacks.synthesize(
        StackInputs.from(
            c.name(), c.role() == ClusterSpec.Role.MANAGEMENT, c.environment(), infra));
  }

  private Map<String, ClusterRender> render(Fleet fleet, Set<String> clusters, Progress say) {
    List<String> present = clusters.stream().filter(c -> fleet.clusters().containsKey(c)).toList();
    // remote charts through the fetch step (cache, allow-list, lock), rendering offline
    return new TreeMap<>(rendering.render(fleet, present, say).all());
  }

  private static FleetError error(RenderError e) {
    String message =
        "cluster "
            + e.cluster()
            + ": "
            + (e.addon() == null ? "" : "add-on " + e.addon() + ": ")
            + e.message();
    return new FleetError(e.file(), e.line(), 0, message);
  }

  /** The clusters asked for (null: all); a name neither side has is an error. */
  private static Set<String> only(Scope scope, Fleet previous, Fleet next) {
    if (scope.clusters().isEmpty()) {
      return null;
    }
    Set<String> known = new TreeSet<>(next.clusters().keySet());
    if (previous != null) {
      known.addAll(previous.clusters().keySet());
    }
    List<String> unknown = scope.clusters().stream().filter(c -> !known.contains(c)).toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown cluster(s) " + unknown + "; the base and head have " + known);
    }
    return Set.copyOf(scope.clusters());
  }

  private static Set<String> within(Collection<String> clusters, Set<String> only) {
    Set<String> out = new TreeSet<>(clusters);
    if (only != null) {
      out.retainAll(only);
    }
    return out;
  }

  private Path newWorkDir() {
    try {
      Files.createDirectories(scratch);
      return Files.createTempDirectory(scratch, "preview-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a preview directory in " + scratch, e);
    }
  }

  private static void delete(Path dir) {
    try {
      LocalOrigin.deleteRecursively(dir);
    } catch (IOException e) {
      LOG.warn("could not delete the preview directory {}: {}", dir, e.toString());
    }
  }
}

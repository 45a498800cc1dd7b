package dev.fleetwarden.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.drift.RiskClassifier;
import dev.fleetwarden.drift.SecretHasher;
import dev.fleetwarden.fleet.ChangeImpact;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetError;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.RepoFiles;
import dev.fleetwarden.fleet.RiskRules;
import dev.fleetwarden.git.FleetRepository;
import dev.fleetwarden.git.UnsafeCommitException;
import dev.fleetwarden.ledger.Ledger;
import dev.fleetwarden.ledger.RenderHistory;
import dev.fleetwarden.ledger.ScanInput;
import dev.fleetwarden.ledger.ScanOutcome;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.ClusterReport;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.FleetReport;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.PartStatus;
import dev.fleetwarden.model.PartVerdict;
import dev.fleetwarden.model.RenderError;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.RiskRule;
import dev.fleetwarden.remediate.PrOutcome;
import dev.fleetwarden.render.FleetRenderer;
import dev.fleetwarden.render.RenderListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The long-running reconciler: follows the fleet repo, keeps the last good render of every cluster,
 * and runs the scheduled tasks. Each task reads as its algorithm:
 *
 * <ul>
 *   <li>{@code git-poll}: fetch → load and validate → fetch the remote charts of the affected
 *       clusters → re-render them → scan them. A broken commit keeps the last good render, is
 *       reported once, and yields no findings. A cluster whose chart cannot be fetched keeps its
 *       last good render and is {@code unknown}, with the reason, until a fetch succeeds.
 *   <li>{@code kubernetes-drift}: (fetch and render again if the last fetch failed) → last good
 *       render → observe → diff → rank → record → alert.
 *   <li>{@code terraform-drift}: plan → rank → record → alert.
 *   <li>{@code digest}: open findings → one digest per channel.
 * </ul>
 *
 * Ranking ({@link #rank}) is the one place where the fleet's risk rules mark drift critical, for
 * both halves.
 */
public final class FleetService implements TaskRunner {
  /** The pull request and alert steps a {@link #scanAll} worker leaves until all are recorded. */
  private static final ThreadLocal<List<Deferred>> DEFERRED = new ThreadLocal<>();

  /** A scan a {@link #scanAll} worker recorded, whose pull requests and alerts come later. */
  private record Deferred(ScanOutcome outcome, String revision) {}

  private static final Logger LOG = LoggerFactory.getLogger(FleetService.class);

  /** Observers of what the service does (metrics); all methods have no-op defaults. */
  public interface Listener {
    default void scanned(ClusterReport report, DriftSource scope, Duration took) {}

    default void revision(String revision, boolean good) {}

    default void renderFailed(String cluster, RenderError error) {}

    /** What the pull-request step did for a cluster's drift in a scan. */
    default void remediated(String cluster, List<PrOutcome> outcomes) {}

    /**
     * A watch verdict on some objects of a cluster was recorded; {@code report} is the cluster's
     * report after it, {@code took} the time of the verdict (diff, record, alert).
     */
    default void judged(ClusterReport report, ScanOutcome outcome, Duration took) {}
  }

  /**
   * A full Kubernetes scan of a cluster: its report, and what the ledger made of it (null when the
   * scan could not judge).
   */
  public record KubernetesScan(ClusterReport report, ScanOutcome outcome) {}

  private final FleetRepository repo;
  private final FetchAndRender rendering;
  private final LiveSource live;
  private final CloudCheck cloud;
  private final Ledger store;
  private final Alerts alerts;
  private final Clock clock;
  private final Listener listener;
  private final KubernetesCheck kubernetes;
  private final RenderHistory history;

  private volatile Fleet fleet;
  private volatile String revision;
  private volatile String brokenRevision;
  private volatile List<FleetError> brokenErrors = List.of();
  private final Map<String, ClusterRender> renders = new ConcurrentHashMap<>();
  private final Map<String, RenderError> renderErrors = new ConcurrentHashMap<>();
  // Clusters whose remote charts could not be fetched at the current head: why.
  private final Map<String, RenderError> unavailable = new ConcurrentHashMap<>();
  private final Map<String, PartVerdict> kubeParts = new ConcurrentHashMap<>();
  private final Map<String, PartVerdict> cloudParts = new ConcurrentHashMap<>();
  private final Map<String, Instant> lastScans = new ConcurrentHashMap<>();
  // The revision each cluster's good render is at, and the one its last verdict was computed from.
  private final Map<String, String> renderRevisions = new ConcurrentHashMap<>();
  private final Map<String, String> scanRevisions = new ConcurrentHashMap<>();
  // The CRDs a cluster served at its last read: their schemas key the lists of watch verdicts too.
  private final Map<String, List<? extends JsonNode>> liveCrds = new ConcurrentHashMap<>();
  // When the last recorded read of each cluster began. A watch's cache can be older than such a
  // read (an event not yet delivered, a copy taken before the read), so a verdict never judges
  // from the cache what the read saw later: that would resolve a drift the read just found, and
  // the next event would open it again, with a second alert and a second pull request.
  private final Map<String, Instant> lastReads = new ConcurrentHashMap<>();
  // Scans and watch verdicts of one cluster take turns: a verdict never interleaves with a scan.
  private final Map<String, ReentrantLock> clusterLocks = new ConcurrentHashMap<>();
  // Per cluster, bumped before a new render is handed to beforeInstall and again once it is
  // installed (odd while installing). A scan that read its render at one value and finds another
  // after observing compared live objects with a desired state that changed under it (on the
  // embedded defaults: already synced to the new commit, compared with the old render); it is
  // discarded, and the scan the commit starts for its affected clusters decides.
  private final Map<String, Long> installEpochs = new ConcurrentHashMap<>();
  private volatile Consumer<Collection<String>> onAffected = clusters -> {};
  private volatile Consumer<Map<String, ClusterRender>> beforeInstall = renders -> {};
  private volatile Remediator remediator;
  private volatile Set<String> scope;
  private volatile RenderListener renderProgress = RenderListener.NONE;

  /**
   * @param cloud null when cloud drift is not checked
   * @param alerts null when nothing is sent
   */
  public FleetService(
      FleetRepository repo,
      FleetRenderer renderer,
      LiveSource live,
      CloudCheck cloud,
      Ledger store,
      Alerts alerts,
      Clock clock,
      Listener listener) {
    this(repo, new FetchAndRender(null, renderer), live, cloud, store, alerts, clock, listener);
  }

  /**
   * @param rendering the fetch step (remote charts) and the renderer
   * @param cloud null when cloud drift is not checked
   * @param alerts null when nothing is sent
   */
  public FleetService(
      FleetRepository repo,
      FetchAndRender rendering,
      LiveSource live,
      CloudCheck cloud,
      Ledger store,
      Alerts alerts,
      Clock clock,
      Listener listener) {
    this.repo = repo;
    this.rendering = rendering;
    this.live = live;
    this.cloud = cloud;
    this.store = store;
    this.alerts = alerts;
    this.clock = clock;
    this.listener = listener == null ? new Listener() {} : listener;
    this.history = store.renderHistory();
    this.kubernetes = new KubernetesCheck(new SecretHasher(store.valueHashKey()));
  }

  /** Opens remediation pull requests where policy says so (null: alerts only). */
  public void remediateWith(Remediator remediator) {
    this.remediator = remediator;
  }

  /** Called with the clusters a new commit affects, after they are re-rendered (to scan them). */
  public void onAffected(Consumer<Collection<String>> callback) {
    this.onAffected = callback;
  }

  /**
   * Called with a new commit's renders of the clusters it affects before scans see them (failed
   * renders included): on the embedded defaults, to sync them to the clusters first, so that no
   * scan compares the new desired state with clusters that do not hold it yet.
   */
  public void beforeInstall(Consumer<Map<String, ClusterRender>> callback) {
    this.beforeInstall = callback;
  }

  /**
   * Limits the service to some clusters of the fleet (the CLI's {@code -c NAME}); the others are
   * neither rendered nor scanned nor reported. Call before {@link #start}.
   */
  public void limitTo(Collection<String> clusters) {
    this.scope = clusters == null || clusters.isEmpty() ? null : Set.copyOf(clusters);
  }

  /** Told about each cluster's render (progress output of the CLI). */
  public void renderProgress(RenderListener listener) {
    this.renderProgress = listener == null ? RenderListener.NONE : listener;
  }

  /** Opens the fleet repo and renders every cluster: the service is ready after this. */
  public synchronized void start() {
    String head;
    try {
      head = repo.open();
    } catch (UnsafeCommitException e) {
      brokenCommit(e.revision(), RepoFiles.symlinkErrors(e.paths()));
      return;
    }
    adopt(head, null);
  }

  /**
   * Scans every cluster in scope, both halves, {@code parallelism} clusters at a time: the one-shot
   * form of the scheduled tasks, for {@code diff}, {@code demo} and the benchmarks. One cluster's
   * failure never stops the others.
   */
  public FleetReport scanAll(int parallelism, Consumer<ClusterReport> progress) {
    Fleet f = fleet;
    if (f == null) {
      return new FleetReport(List.of());
    }
    List<String> clusters = clustersInScope(f);
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, clusters.size())));
    Map<String, List<Deferred>> acts = new ConcurrentHashMap<>();
    try {
      List<Future<ClusterReport>> futures = new ArrayList<>();
      for (String cluster : clusters) {
        List<Deferred> mine = Collections.synchronizedList(new ArrayList<>());
        acts.put(cluster, mine);
        futures.add(
            pool.submit(
                () -> {
                  DEFERRED.set(mine);
                  try {
                    scanKubernetes(cluster);
                    ClusterReport report = scanTerraform(cluster);
                    if (progress != null) {
                      progress.accept(report);
                    }
                    return report;
                  } finally {
                    DEFERRED.remove();
                  }
                }));
      }
      List<ClusterReport> reports = new ArrayList<>();
      for (Future<ClusterReport> future : futures) {
        reports.add(future.get());
      }
      // Pull requests, cluster by cluster in a fixed order, then the alerts of all the scans at
      // once, when every cluster's scan is recorded: the drift several clusters share is one
      // fleet-wide message linking one pull request from the first message on, and the same fleet
      // gives the same messages whatever order the scans finished in.
      List<Alerts.Scanned> scans = new ArrayList<>();
      for (String cluster : clusters) {
        Map<String, String> prUrls = locked(cluster, () -> remediate(cluster));
        for (Deferred d : acts.get(cluster)) {
          scans.add(new Alerts.Scanned(d.outcome(), d.revision(), prUrls));
        }
      }
      if (alerts != null && !scans.isEmpty()) {
        alerts.onScans(f, scans, store.findings().open());
      }
      return new FleetReport(reports);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("scan interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("scan failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private List<String> clustersInScope(Fleet f) {
    Set<String> only = scope;
    return f.clusters().keySet().stream().filter(c -> only == null || only.contains(c)).toList();
  }

  /** Whether the first render is done. */
  public boolean ready() {
    return fleet != null;
  }

  @Override
  public void run(String task, String cluster) {
    switch (task) {
      case "git-poll" -> pollGit();
      case "kubernetes-drift" -> scanKubernetes(cluster);
      case "terraform-drift" -> scanTerraform(cluster);
      case "digest" -> digest();
      default -> throw new IllegalArgumentException("unknown task " + task);
    }
  }

  /** Fetches the fleet remote; a new commit is loaded, re-rendered and scanned where it matters. */
  public synchronized void pollGit() {
    String before = revision;
    String head;
    try {
      head = repo.fetch();
    } catch (UnsafeCommitException e) {
      if (!e.revision().equals(brokenRevision)) {
        brokenCommit(e.revision(), RepoFiles.symlinkErrors(e.paths()));
      }
      return;
    }
    if (head == null || head.equals(before) || head.equals(brokenRevision)) {
      if (head != null && head.equals(before)) {
        listener.revision(head, true); // fetched fine, nothing new
      }
      return;
    }
    Set<String> changed = before == null ? null : repo.changedPaths(before, head);
    adopt(head, changed);
  }

  private void adopt(String head, Set<String> changedPaths) {
    MDC.put("revision", shortRev(head));
    try {
      Fleet next;
      try {
        next = rendering.load(repo.workTree());
      } catch (FleetValidationException e) {
        brokenCommit(head, e.errors());
        return;
      }
      Fleet previous = fleet;
      Set<String> only = scope;
      Collection<String> affected =
          (previous == null || changedPaths == null
                  ? next.clusters().keySet()
                  : ChangeImpact.affectedClusters(previous, next, changedPaths))
              .stream().filter(c -> only == null || only.contains(c)).toList();
      FetchAndRender.Result result = rendering.render(next, affected, renderProgress);
      affected.forEach(this::bumpEpoch);
      try {
        install(head, next, affected, result);
      } finally {
        affected.forEach(this::bumpEpoch);
      }
      onAffected.accept(affected);
    } finally {
      MDC.remove("revision");
    }
  }

  private void bumpEpoch(String cluster) {
    installEpochs.merge(cluster, 1L, Long::sum);
  }

  private void install(
      String head, Fleet next, Collection<String> affected, FetchAndRender.Result result) {
    Map<String, ClusterRender> fresh = result.renders();
    beforeInstall.accept(fresh);
    unavailable.keySet().removeAll(affected);
    result
        .unavailable()
        .forEach(
            (cluster, why) -> {
              // Keep the last good render: a repository that is down is not a broken commit.
              unavailable.put(cluster, why);
              LOG.warn("cluster {} keeps its last good render: {}", cluster, why);
            });
    List<RenderError> failures = new ArrayList<>();
    for (ClusterRender r : fresh.values()) {
      if (r.failed()) {
        // Keep the last good render: a broken commit must never look like "all missing".
        failures.add(r.error());
        renderErrors.put(r.cluster(), r.error());
        store.revisions().recordRenderError(r.cluster(), head, r.error().toString());
        listener.renderFailed(r.cluster(), r.error());
      } else {
        renders.put(r.cluster(), r);
        renderErrors.remove(r.cluster());
      }
    }
    renders.keySet().retainAll(next.clusters().keySet());
    unavailable.keySet().retainAll(next.clusters().keySet());
    for (String cluster : renders.keySet()) {
      // Unaffected clusters have the same desired state at the new head.
      if (!renderErrors.containsKey(cluster) && !unavailable.containsKey(cluster)) {
        renderRevisions.put(cluster, head);
      }
    }
    renderRevisions.keySet().retainAll(renders.keySet());
    fleet = next;
    revision = head;
    brokenRevision = null;
    brokenErrors = List.of();
    if (!failures.isEmpty() && alerts != null) {
      alerts.onBrokenCommit(next, head, failures);
    }
    LOG.info(
        "fleet at {}: {} cluster(s) affected, {} render failure(s)",
        shortRev(head),
        affected.size(),
        failures.size());
    listener.revision(head, failures.isEmpty());
  }

  private void brokenCommit(String head, List<FleetError> errors) {
    brokenRevision = head;
    brokenErrors = List.copyOf(errors);
    LOG.error(
        "fleet commit {} is invalid; keeping the last good render ({}): {}",
        shortRev(head),
        revision == null ? "none" : shortRev(revision),
        errors);
    List<RenderError> asRenderErrors =
        errors.stream()
            .map(e -> new RenderError(null, null, e.file(), e.line(), e.message()))
            .toList();
    if (fleet != null) {
      for (String cluster : fleet.clusters().keySet()) {
        store.revisions().recordRenderError(cluster, head, errors.get(0).toString());
      }
    }
    if (alerts != null) {
      alerts.onBrokenCommit(fleet, head, asRenderErrors);
    }
    listener.revision(head, false);
  }

  /** Kubernetes half of one cluster: last good render → observe → diff → record → alert. */
  public ClusterReport scanKubernetes(String cluster) {
    return readAndScan(cluster).report();
  }

  /**
   * Kubernetes half of one cluster, from a read of the cluster (a watch's cache is judged by {@link
   * #judgeCache}, which takes its turn before copying it).
   */
  public KubernetesScan readAndScan(String cluster) {
    return inTurn(cluster, f -> scanKubernetesLocked(f, cluster, null));
  }

  /** Runs {@code work} on the current fleet in the cluster's turn ({@link #locked}). */
  private <T> T inTurn(String cluster, Function<Fleet, T> work) {
    Fleet f = fleet;
    if (f == null || !f.clusters().containsKey(cluster)) {
      throw new IllegalArgumentException("no such cluster in the fleet: " + cluster);
    }
    return locked(cluster, () -> work.apply(f));
  }

  private KubernetesScan scanKubernetesLocked(Fleet f, String cluster, Observation given) {
    ClusterRender render = renders.get(cluster);
    Instant start = clock.instant();
    if (unavailable.containsKey(cluster) && !fetchAgain(f, cluster)) {
      String rev = renderRevisions.getOrDefault(cluster, revision);
      RenderError why = unavailable.get(cluster);
      String reason =
          (why == null ? "a chart could not be fetched" : why.toString())
              + (render == null
                  ? "; no good render yet"
                  : "; keeping the last good render (" + shortRev(rev) + ")");
      PartVerdict part = new PartVerdict(PartStatus.unknown(reason), List.of());
      kubeParts.put(cluster, part);
      store
          .findings()
          .recordUnknown(cluster, DriftSource.KUBERNETES, start, Duration.ZERO, rev, reason);
      return new KubernetesScan(report(cluster), null);
    }
    long epoch = installEpochs.getOrDefault(cluster, 0L);
    if (epoch % 2 == 1) {
      LOG.debug("a commit's render of {} is being installed; its own scan follows", cluster);
      return new KubernetesScan(report(cluster), null);
    }
    render = renders.get(cluster);
    String rev = render == null ? revision : renderRevisions.getOrDefault(cluster, revision);
    if (render == null) {
      RenderError error = renderErrors.get(cluster);
      PartVerdict part =
          new PartVerdict(
              PartStatus.unknown("no good render yet" + (error == null ? "" : ": " + error)),
              List.of());
      kubeParts.put(cluster, part);
      store
          .findings()
          .recordUnknown(
              cluster, DriftSource.KUBERNETES, start, Duration.ZERO, rev, part.status().reason());
      return new KubernetesScan(report(cluster), null);
    }
    Observation observed =
        given != null ? withCrds(cluster, given) : observe(cluster, render.objects());
    if (given == null && !observed.isUnknown()) {
      liveCrds.put(cluster, observed.crds());
    }
    PartVerdict result =
        rank(
            f,
            kubernetes.check(f, render, observed, history.previous(cluster)),
            objects(cluster, render, observed));
    if (installEpochs.getOrDefault(cluster, 0L) != epoch) {
      LOG.info(
          "scan of {} discarded: a commit changed its desired state while it ran; the commit's"
              + " own scan follows",
          cluster);
      return new KubernetesScan(report(cluster), null);
    }
    Duration took = Duration.between(start, clock.instant());
    ScanOutcome outcome;
    if (observed.isUnknown()) {
      outcome =
          store
              .findings()
              .recordUnknown(
                  cluster, DriftSource.KUBERNETES, start, took, rev, observed.unknownReason());
    } else {
      outcome =
          store
              .findings()
              .recordScan(
                  new ScanInput(
                      cluster, DriftSource.KUBERNETES, start, took, rev, result.drifts()));
      history.save(cluster, rev, render.objects().stream().map(DesiredObject::id).toList());
      if (given == null) {
        lastReads.put(cluster, start);
      }
    }
    kubeParts.put(cluster, result);
    lastScans.put(cluster, start);
    scanRevisions.put(cluster, rev);
    actOn(f, cluster, outcome, rev);
    ClusterReport report = report(cluster);
    listener.scanned(report, DriftSource.KUBERNETES, took);
    return new KubernetesScan(report, observed.isUnknown() ? null : outcome);
  }

  /**
   * A watch's verdict on its whole cache of a cluster (after its list): the cache is copied once
   * this verdict's turn has come, not before, so no scan recorded meanwhile is overwritten with an
   * older copy. Skipped when a read of the cluster began after the list: that read is as fresh, and
   * each later event has its own verdict.
   *
   * @param listedAt when the watch's cache became complete
   * @param cache the cache as an observation, or null when it is not complete (any more)
   * @return the scan, or null when skipped
   */
  public KubernetesScan judgeCache(String cluster, Instant listedAt, Supplier<Observation> cache) {
    return inTurn(
        cluster,
        f -> {
          Instant read = lastReads.get(cluster);
          if (read != null && read.isAfter(listedAt)) {
            LOG.debug("the watch cache is not judged: a read began after its list");
            return null;
          }
          Observation observed = cache.get();
          return observed == null ? null : scanKubernetesLocked(f, cluster, observed);
        });
  }

  /**
   * A watch's cache holds no CRDs: the list keys come from those of the cluster's last read (or,
   * before any, from a listing), so that a watch verdict keys drift paths as a scan does.
   */
  private Observation withCrds(String cluster, Observation given) {
    if (!given.crds().isEmpty() || given.isUnknown()) {
      return given;
    }
    return new Observation(
        given.objects(), given.absentKinds(), given.unknownReason(), crdsOf(cluster));
  }

  private List<? extends JsonNode> crdsOf(String cluster) {
    List<? extends JsonNode> known = liveCrds.get(cluster);
    if (known != null) {
      return known;
    }
    try {
      List<? extends JsonNode> read = live.crds(cluster);
      liveCrds.put(cluster, read);
      return read;
    } catch (RuntimeException e) {
      LOG.debug("CRDs of cluster {} not listed: {}", cluster, e.toString());
      return List.of();
    }
  }

  /**
   * The verdict of a watch on some objects of a cluster: their live copies (from the watch's cache)
   * against the last good render → diff of those objects → record → alert, and pull requests when
   * something changed. Findings of other objects are left as they are. Nothing happens before the
   * cluster's first good render, or before its first Kubernetes scan.
   *
   * @param events the objects whose events are due, with when the last of them arrived: one whose
   *     last event arrived before the last read of the cluster began is left to that read, which
   *     saw it as it is now or later
   * @param live the cached live copy of an object (null: not live)
   * @param absentKinds kinds the cluster does not serve ({@code Kind.group}): not judged
   * @return what the ledger made of it; null when nothing could be judged
   */
  public ScanOutcome judgeObjects(
      String cluster,
      Map<ResourceId, Instant> events,
      Function<ResourceId, JsonNode> live,
      Set<String> absentKinds) {
    Fleet f = fleet;
    if (f == null || !f.clusters().containsKey(cluster) || events.isEmpty()) {
      return null;
    }
    return locked(cluster, () -> judgeObjectsLocked(f, cluster, events, live, absentKinds));
  }

  private ScanOutcome judgeObjectsLocked(
      Fleet f,
      String cluster,
      Map<ResourceId, Instant> events,
      Function<ResourceId, JsonNode> live,
      Set<String> absentKinds) {
    Instant read = lastReads.get(cluster);
    Set<ResourceId> ids = new TreeSet<>();
    events.forEach(
        (id, arrived) -> {
          if (read == null || !arrived.isBefore(read)) {
            ids.add(id);
          }
        });
    if (ids.isEmpty()) {
      LOG.debug("{} event(s) not judged: a read began after them", events.size());
      return null;
    }
    long epoch = installEpochs.getOrDefault(cluster, 0L);
    ClusterRender render = renders.get(cluster);
    PartVerdict before = kubeParts.get(cluster);
    if (render == null || !known(before) || epoch % 2 == 1) {
      return null; // the next full scan judges the cluster as a whole
    }
    Instant start = clock.instant();
    String rev = renderRevisions.getOrDefault(cluster, revision);
    Map<ResourceId, JsonNode> objects = new HashMap<>();
    for (ResourceId id : ids) {
      objects.put(id, live.apply(id));
      if (id.isCoreGroup() && id.kind().equals("Endpoints")) {
        // Whether Endpoints are a Service's is judged with the Service beside them.
        ResourceId service = new ResourceId(cluster, "", "Service", id.namespace(), id.name());
        objects.putIfAbsent(service, live.apply(service));
      }
    }
    List<ObjectDrift> drifts =
        kubernetes.checkObjects(
            f, render, ids, objects, history.previous(cluster), absentKinds, crdsOf(cluster));
    if (!drifts.isEmpty()) {
      // The same risk rules as a full scan's, so a watch verdict is as critical as a scan's.
      RiskClassifier.Objects desired = objects(cluster, render, Observation.of(List.of()));
      drifts =
          new RiskClassifier(riskRules(f))
              .classify(
                  drifts,
                  new RiskClassifier.Objects() {
                    @Override
                    public JsonNode desired(ResourceId id) {
                      return desired.desired(id);
                    }

                    @Override
                    public JsonNode live(ResourceId id) {
                      return objects.get(id);
                    }
                  });
    }
    if (installEpochs.getOrDefault(cluster, 0L) != epoch) {
      return null; // the desired state changed meanwhile: the commit's own scan judges it
    }
    ScanOutcome outcome =
        store.findings().recordScan(ScanInput.objects(cluster, ids, start, rev, drifts));
    List<ObjectDrift> merged = new ArrayList<>();
    for (ObjectDrift d : before.drifts()) {
      if (!ids.contains(d.resource())) {
        merged.add(d);
      }
    }
    merged.addAll(drifts);
    merged.sort((a, b) -> a.resource().compareTo(b.resource()));
    kubeParts.put(
        cluster,
        new PartVerdict(
            new PartStatus(
                merged.isEmpty()
                    ? dev.fleetwarden.model.ClusterStatus.IN_SYNC
                    : dev.fleetwarden.model.ClusterStatus.DRIFTED,
                before.status().reason()),
            merged));
    if (outcome.hasNews()) {
      // Reminders and unchanged drift are the scans' business: a verdict only reports news.
      alert(f, outcome, rev, remediate(cluster));
    }
    ClusterReport report = report(cluster);
    listener.judged(report, outcome, Duration.between(start, clock.instant()));
    return outcome;
  }

  /**
   * Fetches and renders again a cluster whose charts could not be fetched: true when its render at
   * the current head is now there (or its render failed, which is reported as such).
   */
  private boolean fetchAgain(Fleet f, String cluster) {
    FetchAndRender.Result result = rendering.render(f, List.of(cluster), RenderListener.NONE);
    if (fleet != f) {
      return false; // a newer commit was adopted meanwhile: its render decides
    }
    RenderError still = result.unavailable().get(cluster);
    if (still != null) {
      unavailable.put(cluster, still);
      return false;
    }
    ClusterRender r = result.renders().get(cluster);
    // The new render reaches the embedded clusters before the scan compares with it, as a commit's.
    bumpEpoch(cluster);
    try {
      beforeInstall.accept(Map.of(cluster, r));
      unavailable.remove(cluster);
      if (r.failed()) {
        renderErrors.put(cluster, r.error());
        listener.renderFailed(cluster, r.error());
      } else {
        renders.put(cluster, r);
        renderErrors.remove(cluster);
        renderRevisions.put(cluster, revision);
        LOG.info("charts of cluster {} fetched again; rendered at {}", cluster, shortRev(revision));
      }
    } finally {
      bumpEpoch(cluster);
    }
    return true;
  }

  /**
   * Marks the drift of one half that the fleet's risk rules match as critical, with the reasons;
   * the drift itself, and so its fingerprint, stays as it is.
   */
  private static PartVerdict rank(Fleet f, PartVerdict part, RiskClassifier.Objects objects) {
    if (part.drifts().isEmpty()) {
      return part;
    }
    return new PartVerdict(
        part.status(), new RiskClassifier(riskRules(f)).classify(part.drifts(), objects));
  }

  private static List<RiskRule> riskRules(Fleet f) {
    return f.settings() == null ? RiskRules.defaults() : f.settings().riskRules();
  }

  /** The desired and live objects of a cluster's drifted objects, looked up when asked. */
  private static RiskClassifier.Objects objects(
      String cluster, ClusterRender render, Observation observed) {
    return new RiskClassifier.Objects() {
      private Map<ResourceId, JsonNode> desired;
      private Map<ResourceId, JsonNode> live;

      @Override
      public JsonNode desired(ResourceId id) {
        if (desired == null) {
          desired = new HashMap<>();
          for (DesiredObject o : render.objects()) {
            desired.put(o.id().inCluster(cluster), o.manifest());
          }
        }
        return desired.get(id);
      }

      @Override
      public JsonNode live(ResourceId id) {
        if (live == null) {
          live = new HashMap<>();
          for (JsonNode o : observed.objects()) {
            live.put(ResourceId.of(cluster, o), o);
          }
        }
        return live.get(id);
      }
    };
  }

  /** Reads a cluster's live state; a failure of the source is an unknown cluster, never a throw. */
  private Observation observe(String cluster, List<DesiredObject> desired) {
    try {
      return live.observe(cluster, desired);
    } catch (RuntimeException e) {
      LOG.warn("observing failed: {}", e.toString());
      return Observation.unknown("observing failed: " + e.getMessage());
    }
  }

  /** Cloud half of one cluster: plan → record → alert. */
  public ClusterReport scanTerraform(String cluster) {
    Fleet f = fleet;
    if (cloud == null || f == null || !f.clusters().containsKey(cluster)) {
      return report(cluster);
    }
    MDC.put("cluster", cluster);
    Instant start = clock.instant();
    try {
      PartVerdict result;
      try {
        result = cloud.check(f.clusters().get(cluster));
      } catch (RuntimeException e) {
        LOG.warn("terraform check failed: {}", e.toString());
        result =
            new PartVerdict(
                PartStatus.unknown("terraform check failed: " + e.getMessage()), List.of());
      }
      result = rank(f, result, RiskClassifier.Objects.NONE);
      Duration took = Duration.between(start, clock.instant());
      ScanOutcome outcome =
          result.status().status() == dev.fleetwarden.model.ClusterStatus.UNKNOWN
              ? store
                  .findings()
                  .recordUnknown(
                      cluster,
                      DriftSource.TERRAFORM,
                      start,
                      took,
                      revision,
                      result.status().reason())
              : store
                  .findings()
                  .recordScan(
                      new ScanInput(
                          cluster, DriftSource.TERRAFORM, start, took, revision, result.drifts()));
      cloudParts.put(cluster, result);
      lastScans.put(cluster, start);
      scanRevisions.putIfAbsent(cluster, revision);
      actOn(f, cluster, outcome, revision);
      ClusterReport report = report(cluster);
      listener.scanned(report, DriftSource.TERRAFORM, took);
      return report;
    } finally {
      MDC.remove("cluster");
    }
  }

  /** The daily digest of open drift per channel. */
  public void digest() {
    Fleet f = fleet;
    if (f == null || alerts == null) {
      return;
    }
    Instant now = clock.instant();
    alerts.digest(f, LocalDate.ofInstant(now, ZoneOffset.UTC), now, store.findings().open());
  }

  /**
   * Runs what a recorded scan calls for (pull requests, then alerts) now, or, inside {@link
   * #scanAll}, once every cluster of it is recorded.
   */
  private void actOn(Fleet f, String cluster, ScanOutcome outcome, String revision) {
    List<Deferred> later = DEFERRED.get();
    if (later == null || outcome == null) {
      alert(f, outcome, revision, remediate(cluster));
    } else {
      later.add(new Deferred(outcome, revision));
    }
  }

  /**
   * Runs {@code work} in the cluster's turn (its scans, watch verdicts and pull requests never
   * interleave), with the cluster in the logging context.
   */
  private <T> T locked(String cluster, Supplier<T> work) {
    ReentrantLock lock = clusterLocks.computeIfAbsent(cluster, c -> new ReentrantLock());
    lock.lock();
    MDC.put("cluster", cluster);
    try {
      return work.get();
    } finally {
      MDC.remove("cluster");
      lock.unlock();
    }
  }

  private void alert(Fleet f, ScanOutcome outcome, String rev, Map<String, String> prUrls) {
    if (alerts != null && outcome != null) {
      alerts.onScan(f, outcome, store.findings().open(), rev, prUrls);
    }
  }

  /**
   * Brings the cluster's pull requests in line with its open findings of both halves; the picture
   * is complete (pull requests of vanished drift may close) only when both halves are known.
   */
  private Map<String, String> remediate(String cluster) {
    Remediator r = remediator;
    if (r == null) {
      return Map.of();
    }
    boolean complete =
        known(kubeParts.get(cluster)) && (cloud == null || known(cloudParts.get(cluster)));
    try {
      Remediator.Result result =
          r.reconcile(cluster, complete, store.findings().open(cluster), store.findings().open());
      listener.remediated(cluster, result.outcomes());
      return result.urls();
    } catch (RuntimeException e) {
      LOG.warn("remediation pull requests failed, alerts go out without them: {}", e.toString());
      return Map.of();
    }
  }

  private static boolean known(PartVerdict part) {
    return part != null
        && part.status().status() != dev.fleetwarden.model.ClusterStatus.UNKNOWN
        && part.status().status() != dev.fleetwarden.model.ClusterStatus.RENDER_ERROR;
  }

  /** The current report of one cluster (both halves, as last scanned). */
  public ClusterReport report(String cluster) {
    RenderError error = renderErrors.get(cluster);
    PartVerdict kube = kubeParts.get(cluster);
    PartVerdict tf = cloudParts.get(cluster);
    List<ObjectDrift> drifts = new ArrayList<>();
    if (kube != null) {
      drifts.addAll(kube.drifts());
    }
    if (tf != null) {
      drifts.addAll(tf.drifts());
    }
    PartStatus kubeStatus = kube != null ? kube.status() : PartStatus.unknown("not scanned yet");
    ClusterReport report =
        ClusterReport.combine(cluster, kubeStatus, tf == null ? null : tf.status(), drifts);
    if (error != null && report.status() != dev.fleetwarden.model.ClusterStatus.DRIFTED) {
      // The last good render is still compared; the broken one is reported next to it.
      return new ClusterReport(
          cluster,
          dev.fleetwarden.model.ClusterStatus.RENDER_ERROR,
          error.toString(),
          report.drifts(),
          report.kubernetes(),
          report.terraform());
    }
    return report;
  }

  /** The report of the whole fleet. */
  public FleetReport report() {
    Fleet f = fleet;
    if (f == null) {
      return new FleetReport(List.of());
    }
    List<ClusterReport> reports = new ArrayList<>();
    for (String c : clustersInScope(f)) {
      reports.add(report(c));
    }
    return new FleetReport(reports);
  }

  public Fleet fleet() {
    return fleet;
  }

  /** The last good render of a cluster (null before its first one). */
  public ClusterRender render(String cluster) {
    return renders.get(cluster);
  }

  public String revision() {
    return revision;
  }

  /** The revision that failed validation, if the newest commit is broken. */
  public String brokenRevision() {
    return brokenRevision;
  }

  public List<FleetError> brokenErrors() {
    return brokenErrors;
  }

  public Map<String, Instant> lastScans() {
    return new TreeMap<>(lastScans);
  }

  /**
   * The fleet revision each cluster's last Kubernetes verdict was computed from: its last good
   * render's, which lags the fleet's head while a new commit's render fails or is not scanned yet.
   */
  public Map<String, String> scanRevisions() {
    return new TreeMap<>(scanRevisions);
  }

  private static String shortRev(String rev) {
    return rev == null ? "-" : rev.substring(0, Math.min(10, rev.length()));
  }
}

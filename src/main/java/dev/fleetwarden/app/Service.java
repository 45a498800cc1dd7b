package dev.fleetwarden.app;

import dev.fleetwarden.demo.EmbeddedFleet;
import dev.fleetwarden.fleet.AddonSpec;
import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.git.FleetRepository;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.notify.Notifier;
import dev.fleetwarden.notify.OutboxDispatcher;
import dev.fleetwarden.reconcile.Alerts;
import dev.fleetwarden.reconcile.FleetService;
import dev.fleetwarden.reconcile.LiveSource;
import dev.fleetwarden.reconcile.PullRequestPreviews;
import dev.fleetwarden.reconcile.TaskRunner;
import dev.fleetwarden.reconcile.WatchLoop;
import dev.fleetwarden.render.RenderListener;
import dev.fleetwarden.schedule.FleetScheduler;
import dev.fleetwarden.schedule.OutboxPump;
import dev.fleetwarden.schedule.ScheduleFolder;
import dev.fleetwarden.schedule.SchedulerConfig;
import dev.fleetwarden.server.FleetMetrics;
import dev.fleetwarden.server.FleetServer;
import dev.fleetwarden.server.PullRequestEvent;
import dev.fleetwarden.server.ServerSettings;
import dev.fleetwarden.server.StatusSnapshot;
import dev.fleetwarden.server.WebhookListener;
import dev.fleetwarden.store.JdbcStore;
import dev.fleetwarden.watch.WatchStatus;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service, wired from the one {@link Config}: fleet repo, clusters, store, scheduler,
 * notifications and HTTP. Without a config file it runs on the embedded defaults: the example
 * fleet, embedded API servers, an H2 file, notifications on the console.
 */
final class Service implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Service.class);

  private final ScheduledExecutorService background =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "fleetwarden-background");
            t.setDaemon(true);
            return t;
          });
  private final java.util.concurrent.ExecutorService previewThread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "fleetwarden-preview");
            t.setDaemon(true);
            return t;
          });
  private volatile PullRequestPreviews previews;
  private Wiring wiring;
  private FleetScheduler scheduler;
  private FleetServer server;
  private FleetService fleet;
  private EmbeddedFleet embedded;
  private WatchLoop watchLoop;

  /** Starts everything; the HTTP port is bound before the first render so probes answer. */
  static Service start(Config config, int httpPort, Map<String, String> env) throws Exception {
    Service s = new Service();
    try {
      s.boot(new Wiring(config, env, Clock.systemUTC()), httpPort);
      return s;
    } catch (Exception | Error e) {
      s.close();
      throw e;
    }
  }

  int httpPort() {
    return server.port();
  }

  /** The embedded clusters, when the service runs on them (null otherwise). */
  EmbeddedFleet embeddedClusters() {
    return embedded;
  }

  /** The reconciler. */
  FleetService fleetService() {
    return fleet;
  }

  /** Event-driven detection (null when {@code watch.enabled} is false). */
  WatchLoop watchLoop() {
    return watchLoop;
  }

  private void boot(Wiring wiring, int httpPort) throws Exception {
    this.wiring = wiring;
    Config config = wiring.config();
    Clock clock = wiring.clock();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    FleetMetrics metrics = new FleetMetrics(registry);
    JdbcStore store = wiring.store();

    FleetRepository repo = wiring.fleetRepository();
    String head = repo.open();
    Fleet initial = wiring.rendering().load(repo.workTree());
    LOG.info("fleet repo at {}: {} clusters", head.substring(0, 10), initial.clusters().size());

    EmbeddedGitOps gitOps = null;
    if (wiring.embeddedClusters()) {
      Map<String, ClusterRender> renders =
          wiring.rendering().renderAll(initial, RenderListener.NONE).all();
      embedded = wiring.startEmbeddedClusters(initial, renders);
      gitOps = new EmbeddedGitOps(embedded, renders);
    }
    LiveSource live = wiring.clusters(embedded, () -> fleet.fleet());
    Wiring.Cloud cloud =
        wiring.terraformEnabled() ? wiring.cloud(wiring.terraformSettings()) : null;

    Notifier notifier = wiring.notifier(System.out);
    OutboxDispatcher dispatcher = wiring.dispatcher(notifier);
    Alerts alerts = wiring.alerts();
    fleet =
        wiring.fleetService(
            repo,
            live,
            cloud == null ? null : cloud.check(),
            alerts,
            new MetricsListener(metrics, clock));
    fleet.remediateWith(wiring.remediator(initial, cloud == null ? null : cloud.planner()));
    previews = wiring.pullRequestPreviews(repo, initial, cloud);
    if (previews != null) {
      wiring.onOwnPullRequest(this::preview);
    }
    String previewRepository =
        initial.settings().pullRequests() == null
            ? null
            : initial.settings().pullRequests().repository();

    // HTTP first, so liveness answers while the first render runs
    Map<String, String> env = wiring.env();
    String webhookSecret =
        config.secret(Setting.WEBHOOK_SECRET_FILE, Setting.WEBHOOK_SECRET_ENV, env).orElse(null);
    ServerSettings http =
        ServerSettings.of(config.get(Setting.HTTP_BIND_ADDRESS), httpPort, webhookSecret)
            .withApiToken(
                config.secret(Setting.HTTP_TOKEN_FILE, Setting.HTTP_TOKEN_ENV, env).orElse(null))
            .withTimeouts(
                Duration.ofSeconds(config.getInt(Setting.HTTP_HEADER_TIMEOUT)),
                Duration.ofSeconds(config.getInt(Setting.HTTP_BODY_TIMEOUT)));
    server =
        new FleetServer(
                http,
                this::status,
                fleet::ready,
                new WebhookListener() {
                  @Override
                  public void onPush(String ref, String after) {
                    runNow("git-poll", null);
                  }

                  @Override
                  public void onPullRequest(PullRequestEvent e) {
                    if (previews == null) {
                      LOG.info("pull request #{} not previewed: previews are off", e.number());
                    } else if (previewRepository != null
                        && !previewRepository.equalsIgnoreCase(e.repository())) {
                      LOG.warn(
                          "pull request #{} of {} ignored: the fleet repo is {}",
                          e.number(),
                          e.repository(),
                          previewRepository);
                    } else {
                      preview(
                          new PullRequestPreviews.Request(
                              e.number(),
                              e.baseBranch(),
                              e.headRef(),
                              e.headCommit(),
                              e.fromFork()));
                    }
                  }
                },
                registry)
            .start();
    wiring.own(server::stop);
    LOG.info("HTTP on port {}", server.port());

    // Scheduler
    SchedulerConfig schedulerConfig =
        wiring.storeConfig().isPostgres()
            ? SchedulerConfig.clustered("fleetwarden", wiring.storeConfig(), 4)
            : SchedulerConfig.inMemory("fleetwarden", 4);
    if (config.getBool(Setting.WATCH_ENABLED)) {
      watchLoop =
          wiring.own(
              new WatchLoop(
                  fleet,
                  wiring.liveWatches(live),
                  wiring.clusterLeases(),
                  wiring.watchSettings(),
                  clock,
                  new WatchLoop.Listener() {
                    @Override
                    public void judged(String cluster, int objects, Duration lag) {
                      metrics.recordWatchVerdict(cluster, lag);
                    }

                    @Override
                    public void missed(String cluster, ResourceId id) {
                      metrics.watchMissed(cluster);
                    }

                    @Override
                    public void skipped(String cluster) {
                      metrics.scanSkipped(cluster);
                    }
                  }));
    }
    TaskRunner tasks = watchLoop == null ? fleet : watchLoop.tasks();
    scheduler = FleetScheduler.create(schedulerConfig, tasks, this::clusterDirectory);
    EmbeddedGitOps sync = gitOps;
    if (sync != null) {
      fleet.beforeInstall(fresh -> sync.sync(fresh.keySet(), fresh::get));
    }
    WatchLoop watches = watchLoop;
    fleet.onAffected(
        clusters -> {
          if (watches != null) {
            watches.desiredChanged(clusters);
          }
          clusters.forEach(c -> runNow("kubernetes-drift", c));
        });
    fleet.start();
    for (ClusterSpec c : fleet.fleet().clusters().values()) {
      metrics.registerCluster(
          c.name(), fleet.fleet().addonsOf(c).stream().map(AddonSpec::name).toList());
    }
    ScheduleFolder schedules = new ScheduleFolder(config.path(Setting.SCHEDULES_DIR), scheduler);
    schedules.load();
    scheduler.start();
    for (String c : fleet.fleet().clusters().keySet()) {
      runNow("kubernetes-drift", c);
    }
    if (watchLoop != null) {
      watchLoop.start();
      background.scheduleWithFixedDelay(
          () -> {
            Fleet f = fleet.fleet();
            if (f != null) {
              f.clusters().keySet().forEach(c -> metrics.setWatch(c, watchLoop.status(c)));
            }
          },
          1,
          5,
          TimeUnit.SECONDS);
    }
    background.scheduleWithFixedDelay(schedules::reloadIfChanged, 30, 30, TimeUnit.SECONDS);
    // New alerts wake the dispatcher at once; the tick sends retries and follow-ups.
    OutboxPump pump =
        wiring.own(
            new OutboxPump(
                () -> {
                  dispatcher.dispatchDue();
                  metrics.setOutboxPending(store.outbox().pendingCount());
                },
                Duration.ofSeconds(2)));
    alerts.onEnqueued(pump::wake);
    pump.wake();
    LOG.info("fleetwarden is running");
  }

  /**
   * Queues a pull request's preview on the one preview thread: previews of several pushes run one
   * after the other, and never on the HTTP thread.
   */
  private void preview(PullRequestPreviews.Request request) {
    previewThread.execute(
        () -> {
          try {
            previews.preview(request);
          } catch (RuntimeException e) {
            LOG.warn("preview of pull request #{} failed: {}", request.number(), e.toString());
          }
        });
  }

  private void runNow(String task, String cluster) {
    try {
      scheduler.runNow(task, cluster);
    } catch (Exception e) {
      LOG.warn("cannot trigger {} {}: {}", task, cluster, e.toString());
    }
  }

  private Map<String, Map<String, String>> clusterDirectory() {
    Fleet f = fleet.fleet();
    Map<String, Map<String, String>> out = new TreeMap<>();
    if (f != null) {
      f.clusters().values().forEach(c -> out.put(c.name(), c.selectorLabels()));
    }
    return out;
  }

  private StatusSnapshot status() {
    if (!fleet.ready()) {
      return null;
    }
    Map<String, StatusSnapshot.ClusterScan> scans = new TreeMap<>();
    Instant last = null;
    Map<String, String> revisions = fleet.scanRevisions();
    for (Map.Entry<String, Instant> e : fleet.lastScans().entrySet()) {
      scans.put(
          e.getKey(), new StatusSnapshot.ClusterScan(e.getValue(), revisions.get(e.getKey())));
      last = last == null || e.getValue().isAfter(last) ? e.getValue() : last;
    }
    Map<String, WatchStatus> watches = new TreeMap<>();
    if (watchLoop != null && fleet.fleet() != null) {
      fleet.fleet().clusters().keySet().forEach(c -> watches.put(c, watchLoop.status(c)));
    }
    return new StatusSnapshot(fleet.report(), fleet.revision(), last, scans, watches);
  }

  /** Stops within the shutdown budget: scheduler (running jobs finish or are handed back) first. */
  @Override
  public void close() {
    LOG.info("stopping fleetwarden");
    background.shutdownNow();
    previewThread.shutdownNow();
    if (scheduler != null) {
      scheduler.shutdown(Duration.ofSeconds(6));
    }
    try {
      // An interrupted preview publishes nothing; it must end before the wiring closes the
      // previewer's checkouts under it, which it would take for an invalid head.
      if (!previewThread.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("a pull request preview is still running; stopping without it");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (wiring != null) {
      wiring.close();
    }
    LOG.info("fleetwarden stopped");
  }
}

package dev.fleetwarden.app;

import dev.fleetwarden.demo.EmbeddedFleet;
import dev.fleetwarden.fleet.AddonSpec;
import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.fleet.Connection;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.fleet.FleetSettings;
import dev.fleetwarden.git.FleetRepository;
import dev.fleetwarden.git.GitSettings;
import dev.fleetwarden.git.GitTransport;
import dev.fleetwarden.git.JGitFleetRepository;
import dev.fleetwarden.git.LocalOrigin;
import dev.fleetwarden.kube.ClusterClients;
import dev.fleetwarden.kube.Fabric8LiveStateReader;
import dev.fleetwarden.kube.KubeSettings;
import dev.fleetwarden.kube.KubeconfigPolicy;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.ClusterReport;
import dev.fleetwarden.model.ClusterStatus;
import dev.fleetwarden.model.DriftSource;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.RenderError;
import dev.fleetwarden.notify.ConsoleNotifier;
import dev.fleetwarden.notify.DispatchSettings;
import dev.fleetwarden.notify.Notifier;
import dev.fleetwarden.notify.OutboxDispatcher;
import dev.fleetwarden.notify.SlackNotifier;
import dev.fleetwarden.reconcile.Alerts;
import dev.fleetwarden.reconcile.CloudCheck;
import dev.fleetwarden.reconcile.FleetRendererRerender;
import dev.fleetwarden.reconcile.FleetService;
import dev.fleetwarden.reconcile.KubeLiveSource;
import dev.fleetwarden.reconcile.LiveSource;
import dev.fleetwarden.reconcile.Observation;
import dev.fleetwarden.reconcile.Remediator;
import dev.fleetwarden.reconcile.StoreAlertStates;
import dev.fleetwarden.reconcile.StoreOutbox;
import dev.fleetwarden.reconcile.StorePrState;
import dev.fleetwarden.remediate.GitHubPullRequestHost;
import dev.fleetwarden.remediate.InfrastructurePlanner;
import dev.fleetwarden.remediate.JGitBranchPublisher;
import dev.fleetwarden.remediate.LocalPullRequestHost;
import dev.fleetwarden.remediate.PrRecord;
import dev.fleetwarden.remediate.PrStatePort;
import dev.fleetwarden.remediate.PullRequestHost;
import dev.fleetwarden.remediate.PullRequestManager;
import dev.fleetwarden.remediate.RemediationPlanner;
import dev.fleetwarden.remediate.TrackedDrift;
import dev.fleetwarden.render.FleetRenderer;
import dev.fleetwarden.render.RenderListener;
import dev.fleetwarden.schedule.FleetScheduler;
import dev.fleetwarden.schedule.ScheduleParser;
import dev.fleetwarden.schedule.ScheduleSpec;
import dev.fleetwarden.schedule.ScheduleValidationException;
import dev.fleetwarden.schedule.SchedulerConfig;
import dev.fleetwarden.server.FleetMetrics;
import dev.fleetwarden.server.FleetServer;
import dev.fleetwarden.server.ServerSettings;
import dev.fleetwarden.server.StatusSnapshot;
import dev.fleetwarden.store.Fingerprints;
import dev.fleetwarden.store.JdbcStore;
import dev.fleetwarden.store.StoreConfig;
import dev.fleetwarden.terraform.PrivateFiles;
import dev.fleetwarden.terraform.TerraformDriftChecker;
import dev.fleetwarden.terraform.TerraformSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running service, wired from the one {@link Config}: fleet repo, clusters, store, scheduler,
 * notifications and HTTP. Without a config file it runs on the embedded defaults: the example
 * fleet, embedded API servers, an H2 file, notifications on the console.
 */
final class Service implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Service.class);

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final ScheduledExecutorService background =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "fleetwarden-background");
            t.setDaemon(true);
            return t;
          });
  private FleetScheduler scheduler;
  private FleetServer server;
  private FleetService fleet;
  private JdbcStore store;

  /** Starts everything; the HTTP port is bound before the first render so probes answer. */
  static Service start(Config config, int httpPort, Map<String, String> env) throws Exception {
    Service s = new Service();
    try {
      s.boot(config, httpPort, env);
      return s;
    } catch (Exception | Error e) {
      s.close();
      throw e;
    }
  }

  int httpPort() {
    return server.port();
  }

  private void boot(Config config, int httpPort, Map<String, String> env) throws Exception {
    Path work = config.path(Setting.WORK_DIR).toAbsolutePath();
    PrivateFiles.createDirectories(work);
    boolean embedded =
        switch (config.get(Setting.KUBE_EMBEDDED)) {
          case "true" -> true;
          case "false" -> false;
          default -> !config.hasFile();
        };
    Clock clock = Clock.systemUTC();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    FleetMetrics metrics = new FleetMetrics(registry);

    // Store
    StoreConfig storeConfig =
        config.optional(Setting.STORE_JDBC_URL).isPresent()
            ? StoreConfig.jdbc(
                config.get(Setting.STORE_JDBC_URL),
                config.optional(Setting.STORE_USERNAME).orElse(null),
                config
                    .secret(Setting.STORE_PASSWORD_FILE, Setting.STORE_PASSWORD_ENV, env)
                    .orElse(null))
            : StoreConfig.embedded(work.resolve("db"));
    store = JdbcStore.open(storeConfig);
    resources.add(store);
    LOG.info("store: {}", storeConfig.redactedUrl());

    // Fleet repo
    GitSettings gitSettings = gitSettings(config, work, env);
    FleetRepository repo = new JGitFleetRepository(gitSettings);
    resources.add(repo);
    String head = repo.open();
    Fleet initial = FleetLoader.load(repo.workTree());
    LOG.info("fleet repo at {}: {} clusters", head.substring(0, 10), initial.clusters().size());

    // Clusters
    Path kubeconfig = config.optional(Setting.KUBECONFIG).map(Path::of).orElse(null);
    KubeconfigPolicy kubeconfigPolicy = kubeconfigPolicy(config);
    if (embedded) {
      EmbeddedFleet clusters = EmbeddedFleet.forFleet(initial, work.resolve("kubeconfig"));
      resources.add(clusters);
      for (ClusterRender r : new FleetRenderer().renderAll(initial, RenderListener.NONE).values()) {
        if (!r.failed()) {
          clusters.apply(r.cluster(), r.objects());
        }
      }
      kubeconfig = clusters.kubeconfigPath();
      // The Secrets the embedded management cluster holds were written here, not by the repo.
      kubeconfigPolicy = kubeconfigPolicy.allowingSecrets(clusters.kubeconfigSecrets());
      LOG.info("embedded clusters {}; kubeconfig for kubectl: {}", clusters.clusters(), kubeconfig);
    }
    KubeSettings kubeSettings =
        KubeSettings.DEFAULTS
            .withRequestTimeout(Duration.ofSeconds(config.getInt(Setting.KUBE_REQUEST_TIMEOUT)))
            .withReadParallelism(config.getInt(Setting.KUBE_PARALLELISM))
            .withKubeconfigPolicy(kubeconfigPolicy);
    LiveSource live = new FleetLiveSource(kubeconfig, kubeSettings);

    // Cloud
    CloudCheck cloud = null;
    InfrastructurePlanner infrastructure = null;
    String tf = config.get(Setting.TERRAFORM_ENABLED);
    if (tf.equals("true") || (tf.equals("auto") && config.hasFile())) {
      TerraformSettings terraform = Wiring.terraform(config, env);
      TerraformDriftChecker checker = TerraformDriftChecker.create(terraform);
      infrastructure = Wiring.infrastructurePlanner(terraform, resources);
      resources.add(checker);
      cloud = Wiring.cloud(checker);
      if (!checker.hasTerraform()) {
        LOG.warn("terraform binary not found: cloud drift of every cluster is unknown");
      }
    }

    // Notifications
    Notifier notifier =
        config
            .secret(Setting.SLACK_TOKEN_FILE, Setting.SLACK_TOKEN_ENV, env)
            .<Notifier>map(token -> new SlackNotifier(token, config.get(Setting.SLACK_URL)))
            .orElseGet(
                () -> new ConsoleNotifier(System.out, work.resolve("notifications.jsonl"), clock));
    int reminderHours = config.getInt(Setting.SLACK_REMINDER_HOURS);
    Alerts alerts =
        new Alerts(
            new StoreAlertStates(store),
            new StoreOutbox(store),
            config
                .optional(Setting.SLACK_FALLBACK_CHANNEL)
                .orElse(embedded ? "#platform-alerts" : null),
            reminderHours > 0 ? Duration.ofHours(reminderHours) : null);
    OutboxDispatcher dispatcher =
        new OutboxDispatcher(
            new StoreOutbox(store),
            new StoreAlertStates(store),
            notifier,
            clock,
            DispatchSettings.DEFAULTS);

    // Reconciler
    fleet =
        new FleetService(
            repo,
            new FleetRenderer(),
            live,
            cloud,
            store,
            alerts,
            clock,
            new MetricsListener(metrics, clock));
    ((FleetLiveSource) live).fleet = fleet;
    fleet.remediateWith(remediator(config, work, initial, gitSettings, env, infrastructure));

    // HTTP first, so liveness answers while the first render runs
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
                (ref, after) -> runNow("git-poll", null),
                registry)
            .start();
    resources.add(server::stop);
    LOG.info("HTTP on port {}", server.port());

    // Scheduler
    SchedulerConfig schedulerConfig =
        storeConfig.isPostgres()
            ? SchedulerConfig.clustered("fleetwarden", storeConfig, 4)
            : SchedulerConfig.inMemory("fleetwarden", 4);
    scheduler = FleetScheduler.create(schedulerConfig, fleet, this::clusterDirectory);
    fleet.onAffected(clusters -> clusters.forEach(c -> runNow("kubernetes-drift", c)));
    fleet.start();
    for (ClusterSpec c : fleet.fleet().clusters().values()) {
      metrics.registerCluster(
          c.name(), fleet.fleet().addonsOf(c).stream().map(AddonSpec::name).toList());
    }
    Path schedules = config.path(Setting.SCHEDULES_DIR);
    scheduler.reload(ScheduleParser.parseDirectory(schedules));
    scheduler.start();
    for (String c : fleet.fleet().clusters().keySet()) {
      runNow("kubernetes-drift", c);
    }
    background.scheduleWithFixedDelay(() -> reloadSchedules(schedules), 30, 30, TimeUnit.SECONDS);
    background.scheduleWithFixedDelay(
        () -> {
          try {
            dispatcher.dispatchDue();
            metrics.setOutboxPending(store.pendingCount());
          } catch (RuntimeException e) {
            LOG.warn("sending notifications failed, will retry: {}", e.toString());
          }
        },
        1,
        2,
        TimeUnit.SECONDS);
    LOG.info("fleetwarden is running");
  }

  /**
   * Pull requests on GitHub when a token and {@code pullRequests.repository} are set; on the
   * embedded defaults, branches in the local origin with descriptions under the work dir.
   */
  private Remediator remediator(
      Config config,
      Path work,
      Fleet initial,
      GitSettings gitSettings,
      Map<String, String> env,
      InfrastructurePlanner infrastructure)
      throws Exception {
    FleetSettings.PullRequestSettings prs = initial.settings().pullRequests();
    if (prs == null) {
      return null;
    }
    java.util.Optional<String> token =
        config.secret(Setting.GITHUB_TOKEN_FILE, Setting.GITHUB_TOKEN_ENV, env);
    PullRequestHost host;
    // Branch pushes authenticate like the fleet repo (token or SSH key and known_hosts); over
    // HTTPS the GitHub token, which may write, takes the place of the fleet token.
    GitTransport transport = new GitTransport(gitSettings);
    if (token.isPresent()) {
      host =
          new GitHubPullRequestHost(
              config.get(Setting.GITHUB_API_URL), prs.repository(), token.get(), null);
      transport = transport.withToken(token.get());
    } else if (!config.hasFile()) {
      host = new LocalPullRequestHost(work.resolve("pull-requests"));
    } else {
      LOG.info("no GitHub token configured: drift is alerted, no pull requests");
      return null;
    }
    resources.add(transport);
    PrStatePort state = new StorePrState(store);
    PullRequestManager manager =
        new PullRequestManager(
            new JGitBranchPublisher(transport, prs.baseBranch(), work.resolve("pr-work"), null),
            host,
            state,
            new RemediationPlanner(new FleetRendererRerender(new FleetRenderer()), infrastructure),
            prs);
    return (cluster, complete, drifts) -> {
      List<TrackedDrift> tracked = new ArrayList<>();
      for (ObjectDrift d : drifts) {
        tracked.add(new TrackedDrift(Fingerprints.of(d), d, null));
      }
      synchronized (manager) { // one publisher work directory
        manager.reconcile(cluster, complete, tracked);
      }
      Map<String, String> urls = new HashMap<>();
      for (PrRecord r : state.open(cluster)) {
        urls.put(r.fingerprint(), r.url());
      }
      return urls;
    };
  }

  private String lastSchedules = "";

  private void reloadSchedules(Path dir) {
    try {
      String fingerprint = fingerprint(dir);
      if (fingerprint.equals(lastSchedules)) {
        return;
      }
      List<ScheduleSpec> specs = ScheduleParser.parseDirectory(dir);
      scheduler.reload(specs);
      lastSchedules = fingerprint;
      LOG.info("schedules reloaded: {} schedule(s)", specs.size());
    } catch (ScheduleValidationException e) {
      LOG.error("schedule files rejected, keeping the current schedules: {}", e.getMessage());
    } catch (Exception e) {
      LOG.warn("reloading schedules failed: {}", e.toString());
    }
  }

  private static String fingerprint(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted().toList()) {
        sb.append(p).append(Files.getLastModifiedTime(p)).append(Files.size(p));
      }
    }
    return sb.toString();
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
    for (Map.Entry<String, Instant> e : fleet.lastScans().entrySet()) {
      scans.put(e.getKey(), new StatusSnapshot.ClusterScan(e.getValue(), fleet.revision()));
      last = last == null || e.getValue().isAfter(last) ? e.getValue() : last;
    }
    return new StatusSnapshot(fleet.report(), fleet.revision(), last, scans);
  }

  private static GitSettings gitSettings(Config config, Path work, Map<String, String> env)
      throws Exception {
    String url = config.get(Setting.FLEET_REPO);
    Path local = Path.of(url);
    if (!url.contains("://") && !url.contains("@") && Files.isDirectory(local)) {
      url =
          Files.isDirectory(local.resolve(".git"))
              ? local.toAbsolutePath().toUri().toString()
              : LocalOrigin.create(local, work.resolve("fleet-origin")).toUri().toString();
    }
    GitSettings git =
        GitSettings.of(url, config.get(Setting.FLEET_BRANCH), work.resolve("fleet-clone"));
    if (config.optional(Setting.FLEET_TOKEN_FILE).isPresent()) {
      git = git.withTokenFile(Path.of(config.get(Setting.FLEET_TOKEN_FILE)), null);
    } else if (config.optional(Setting.FLEET_TOKEN_ENV).isPresent()) {
      git = git.withTokenEnv(config.get(Setting.FLEET_TOKEN_ENV), null);
    }
    if (config.optional(Setting.FLEET_SSH_KEY_FILE).isPresent()) {
      git =
          git.withSsh(
              Path.of(config.get(Setting.FLEET_SSH_KEY_FILE)),
              config.optional(Setting.FLEET_KNOWN_HOSTS_FILE).map(Path::of).orElse(null));
    }
    return git;
  }

  /** Stops within the shutdown budget: scheduler (running jobs finish or are handed back) first. */
  @Override
  public void close() {
    LOG.info("stopping fleetwarden");
    background.shutdownNow();
    if (scheduler != null) {
      scheduler.shutdown(Duration.ofSeconds(6));
    }
    List<AutoCloseable> reversed = new ArrayList<>(resources);
    java.util.Collections.reverse(reversed);
    for (AutoCloseable r : reversed) {
      try {
        r.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed: {}", r, e.toString());
      }
    }
    LOG.info("fleetwarden stopped");
  }

  /** What kubeconfigs may do and which kubeconfig Secrets may be read, from the operator. */
  static KubeconfigPolicy kubeconfigPolicy(Config config) {
    return KubeconfigPolicy.fromSettings(
        config.getBool(Setting.KUBE_ALLOW_EXEC_PLUGINS),
        config.get(Setting.KUBE_KUBECONFIG_SECRETS_NAMESPACE),
        config.get(Setting.KUBE_KUBECONFIG_SECRETS_NAMES),
        config.get(Setting.KUBE_KUBECONFIG_SECRETS_SELECTOR));
  }

  /** Live state through cluster clients rebuilt when the fleet's cluster connections change. */
  private static final class FleetLiveSource implements LiveSource, AutoCloseable {
    private final Path kubeconfig;
    private final KubeSettings settings;
    private volatile FleetService fleet;
    private Map<String, Connection> connections;
    private ClusterClients clients;
    private KubeLiveSource source;

    FleetLiveSource(Path kubeconfig, KubeSettings settings) {
      this.kubeconfig = kubeconfig;
      this.settings = settings;
    }

    @Override
    public Observation observe(String cluster, List<dev.fleetwarden.model.DesiredObject> desired) {
      return current().observe(cluster, desired);
    }

    private synchronized KubeLiveSource current() {
      Fleet f = fleet.fleet();
      Map<String, Connection> now = new HashMap<>();
      f.clusters().values().forEach(c -> now.put(c.name(), c.connection()));
      if (!now.equals(connections)) {
        if (clients != null) {
          clients.close();
        }
        clients = ClusterClients.forFleet(f, kubeconfig, settings);
        source = new KubeLiveSource(new Fabric8LiveStateReader(clients));
        connections = now;
      }
      return source;
    }

    @Override
    public synchronized void close() {
      if (clients != null) {
        clients.close();
      }
    }
  }

  /** Records what the reconciler does as Prometheus metrics. */
  private record MetricsListener(
      FleetMetrics metrics, Clock clock, Map<String, java.util.Set<String>> reported)
      implements FleetService.Listener {
    MetricsListener(FleetMetrics metrics, Clock clock) {
      this(metrics, clock, new java.util.concurrent.ConcurrentHashMap<>());
    }

    @Override
    public void scanned(ClusterReport report, DriftSource scope, Duration took) {
      boolean unknown =
          (scope == DriftSource.KUBERNETES ? report.kubernetes() : report.terraform()) != null
              && (scope == DriftSource.KUBERNETES ? report.kubernetes() : report.terraform())
                      .status()
                  == ClusterStatus.UNKNOWN;
      metrics.recordScan(report.name(), took, !unknown);
      if (scope == DriftSource.KUBERNETES) {
        metrics.setReachable(report.name(), !unknown);
      } else {
        metrics.recordTerraformPlan(report.name(), took);
      }
      Map<String, Long> byAddon = new TreeMap<>();
      reported.getOrDefault(report.name(), java.util.Set.of()).forEach(a -> byAddon.put(a, 0L));
      for (ObjectDrift d : report.drifts()) {
        byAddon.merge(d.addon() == null ? "terraform" : d.addon(), 1L, Long::sum);
      }
      byAddon.forEach((addon, n) -> metrics.setDrifted(report.name(), addon, n));
      reported.put(report.name(), new java.util.HashSet<>(byAddon.keySet()));
    }

    @Override
    public void revision(String revision, boolean good) {
      if (good) {
        metrics.recordGitSuccess(revision, clock.instant());
      }
    }

    @Override
    public void renderFailed(String cluster, RenderError error) {
      metrics.renderError(cluster, error.addon() == null ? "" : error.addon());
    }
  }
}

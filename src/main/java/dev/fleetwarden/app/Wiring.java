package dev.fleetwarden.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.charts.ChartCache;
import dev.fleetwarden.charts.ChartFetcher;
import dev.fleetwarden.charts.ChartSources;
import dev.fleetwarden.charts.RepositoryCredentials;
import dev.fleetwarden.demo.EmbeddedFleet;
import dev.fleetwarden.demo.ExampleChartRepository;
import dev.fleetwarden.drift.IgnoreRules;
import dev.fleetwarden.drift.SecretHasher;
import dev.fleetwarden.fleet.ChartAllowList;
import dev.fleetwarden.fleet.Connection;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetSettings;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.git.FleetRepository;
import dev.fleetwarden.git.GitSettings;
import dev.fleetwarden.git.GitTransport;
import dev.fleetwarden.git.JGitFleetRepository;
import dev.fleetwarden.git.LocalOrigin;
import dev.fleetwarden.kube.ClusterClients;
import dev.fleetwarden.kube.Fabric8LiveStateReader;
import dev.fleetwarden.kube.Fabric8LiveWatches;
import dev.fleetwarden.kube.KubeSettings;
import dev.fleetwarden.kube.KubeconfigPolicy;
import dev.fleetwarden.ledger.PullRequests;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.notify.ConsoleNotifier;
import dev.fleetwarden.notify.DispatchSettings;
import dev.fleetwarden.notify.Notifier;
import dev.fleetwarden.notify.OutboxDispatcher;
import dev.fleetwarden.notify.SlackNotifier;
import dev.fleetwarden.reconcile.Alerts;
import dev.fleetwarden.reconcile.CloudCheck;
import dev.fleetwarden.reconcile.FetchAndRender;
import dev.fleetwarden.reconcile.FleetRendererRerender;
import dev.fleetwarden.reconcile.FleetService;
import dev.fleetwarden.reconcile.KubeLiveSource;
import dev.fleetwarden.reconcile.LedgerDrift;
import dev.fleetwarden.reconcile.LiveSource;
import dev.fleetwarden.reconcile.Observation;
import dev.fleetwarden.reconcile.Previewer;
import dev.fleetwarden.reconcile.PullRequestPreviews;
import dev.fleetwarden.reconcile.Remediator;
import dev.fleetwarden.reconcile.SynthesizerStackRerender;
import dev.fleetwarden.reconcile.WatchLoop;
import dev.fleetwarden.remediate.GitHubPreviewPublisher;
import dev.fleetwarden.remediate.GitHubPullRequestHost;
import dev.fleetwarden.remediate.IgnoreRulePlanner;
import dev.fleetwarden.remediate.InfrastructurePlanner;
import dev.fleetwarden.remediate.JGitBranchPublisher;
import dev.fleetwarden.remediate.LocalPreviewPublisher;
import dev.fleetwarden.remediate.LocalPullRequestHost;
import dev.fleetwarden.remediate.PrOutcome;
import dev.fleetwarden.remediate.PreviewPublisher;
import dev.fleetwarden.remediate.PullRequestHost;
import dev.fleetwarden.remediate.PullRequestManager;
import dev.fleetwarden.remediate.RemediationPlanner;
import dev.fleetwarden.remediate.StackRerender;
import dev.fleetwarden.render.FleetRenderer;
import dev.fleetwarden.store.JdbcStore;
import dev.fleetwarden.store.StoreConfig;
import dev.fleetwarden.terraform.CdktfStackSynthesizer;
import dev.fleetwarden.terraform.PluginMirrors;
import dev.fleetwarden.terraform.PrivateFiles;
import dev.fleetwarden.terraform.TerraformDriftChecker;
import dev.fleetwarden.terraform.TerraformSettings;
import dev.fleetwarden.watch.ClusterLeases;
import dev.fleetwarden.watch.LiveWatches;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns the one {@link Config} into implementations of the I/O interfaces: the
 * store, the fleet repo (fetch and pull-request pushes share one Git transport), the clusters
 * (embedded or real), Terraform, the notifier, the pull-request host, and the reconciler that
 * composes them. Every command builds its adapters here; {@code run}, {@code demo} and {@code diff}
 * differ only in which of them they ask for. Everything built is closed, in reverse order, by
 * {@link #close}.
 */
public final class Wiring implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Wiring.class);

  private final Config config;
  private final Map<String, String> env;
  private final Clock clock;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final Path work;
  private JdbcStore store;
  private GitSettings git;
  private ChartFetcher charts;
  private FetchAndRender rendering;
  private ExampleChartRepository exampleCharts;
  // The live source of the reconciler, asked for the CRDs a cluster serves while rendering.
  private volatile LiveSource live;
  private volatile Consumer<PullRequestPreviews.Request> ownPullRequests = r -> {};

  public Wiring(Config config, Map<String, String> env, Clock clock) {
    this.config = config;
    this.env = env;
    this.clock = clock;
    this.work = config.path(Setting.WORK_DIR).toAbsolutePath();
  }

  public Config config() {
    return config;
  }

  public Clock clock() {
    return clock;
  }

  /** The process environment the configuration names secrets in. */
  public Map<String, String> env() {
    return env;
  }

  /** The work directory, created private ({@code 0700}) on first use. */
  public Path workDir() {
    try {
      PrivateFiles.createDirectories(work);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the work directory " + work, e);
    }
    return work;
  }

  /** Registers something to close with the wiring (after everything built before it). */
  public <T extends AutoCloseable> T own(T resource) {
    resources.add(resource);
    return resource;
  }

  /** Whether the clusters are the embedded API servers: {@code kube.embedded}, else no config. */
  public boolean embeddedClusters() {
    return switch (config.get(Setting.KUBE_EMBEDDED)) {
      case "true" -> true;
      case "false" -> false;
      default -> !config.hasFile();
    };
  }

  // Charts

  /**
   * Whether the example fleet's chart repository is served here and allowed: {@code
   * helm.exampleRepository}, {@code auto} meaning on the embedded defaults (no config file, or
   * embedded clusters) and without an allow-list of the operator.
   */
  public boolean exampleChartRepository() {
    return switch (config.get(Setting.HELM_EXAMPLE_REPOSITORY)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          (!config.hasFile() || embeddedClusters())
              && config.optional(Setting.HELM_ALLOWED_REPOSITORIES).isEmpty();
    };
  }

  /** The chart repositories and registries the operator allows (a malformed entry throws). */
  public ChartAllowList chartAllowList() {
    ChartAllowList allowed = ChartAllowList.parse(config.get(Setting.HELM_ALLOWED_REPOSITORIES));
    return exampleChartRepository() ? allowed.plus(ExampleChartRepository.URL) : allowed;
  }

  /**
   * The fetch step: the operator's allow-list and credentials, a cache in {@code <workDir>/charts}
   * shared by every cluster and kept across restarts, and (on the embedded defaults) the example
   * fleet's repository served on 127.0.0.1.
   */
  public synchronized ChartFetcher chartFetcher() {
    if (charts != null) {
      return charts;
    }
    ChartAllowList allowed = chartAllowList();
    Map<String, String> mirrors = Map.of();
    if (exampleChartRepository()) {
      exampleCharts = own(ExampleChartRepository.start());
      mirrors = Map.of(ExampleChartRepository.URL, exampleCharts.servedAt());
      LOG.info("{}", exampleCharts);
    }
    RepositoryCredentials credentials = RepositoryCredentials.NONE;
    if (config.optional(Setting.HELM_CREDENTIALS_FILE).isPresent()) {
      try {
        credentials =
            RepositoryCredentials.read(Path.of(config.get(Setting.HELM_CREDENTIALS_FILE)), env);
      } catch (FleetValidationException e) {
        throw new IllegalArgumentException("helm.credentialsFile: " + e.errors().get(0), e);
      }
    }
    Duration timeout = Duration.ofSeconds(config.getInt(Setting.HELM_FETCH_TIMEOUT));
    charts =
        new ChartFetcher(
            allowed,
            new ChartSources(allowed, credentials, mirrors, timeout),
            new ChartCache(workDir().resolve("charts")));
    return charts;
  }

  /** The example fleet's chart repository when this wiring serves it (null otherwise). */
  public synchronized ExampleChartRepository exampleCharts() {
    chartFetcher();
    return exampleCharts;
  }

  /**
   * Fetch then render, with one renderer (and its Helm cache) for everything this wiring builds:
   * remote charts through {@link #chartFetcher()}, rendering offline.
   */
  public synchronized FetchAndRender rendering() {
    if (rendering == null) {
      rendering = new FetchAndRender(chartFetcher(), new FleetRenderer());
    }
    return rendering;
  }

  // Store

  /** The store: PostgreSQL (or any JDBC URL) from {@code store.jdbcUrl}, else an H2 file. */
  public synchronized JdbcStore store() {
    if (store == null) {
      store = own(JdbcStore.open(storeConfig()));
      LOG.info("store: {}", storeConfig().redactedUrl());
    }
    return store;
  }

  public StoreConfig storeConfig() {
    return config.optional(Setting.STORE_JDBC_URL).isPresent()
        ? StoreConfig.jdbc(
            config.get(Setting.STORE_JDBC_URL),
            config.optional(Setting.STORE_USERNAME).orElse(null),
            config
                .secret(Setting.STORE_PASSWORD_FILE, Setting.STORE_PASSWORD_ENV, env)
                .orElse(null))
        : StoreConfig.embedded(work.resolve("db"));
  }

  // Git

  /**
   * How to reach the fleet remote. A plain directory (the example fleet) becomes a local origin in
   * the work dir, so the service follows it like any remote and pull-request branches land there.
   */
  public synchronized GitSettings gitSettings() throws IOException {
    if (git != null) {
      return git;
    }
    String url = config.get(Setting.FLEET_REPO);
    Path local = Path.of(url);
    if (!url.contains("://") && !url.contains("@") && Files.isDirectory(local)) {
      url =
          Files.isDirectory(local.resolve(".git"))
              ? local.toAbsolutePath().toUri().toString()
              : localOrigin(local).toUri().toString();
    }
    GitSettings s =
        GitSettings.of(url, config.get(Setting.FLEET_BRANCH), workDir().resolve("fleet-clone"));
    if (config.optional(Setting.FLEET_TOKEN_FILE).isPresent()) {
      s = s.withTokenFile(Path.of(config.get(Setting.FLEET_TOKEN_FILE)), null);
    } else if (config.optional(Setting.FLEET_TOKEN_ENV).isPresent()) {
      s = s.withTokenEnv(config.get(Setting.FLEET_TOKEN_ENV), null);
    }
    if (config.optional(Setting.FLEET_SSH_KEY_FILE).isPresent()) {
      s =
          s.withSsh(
              Path.of(config.get(Setting.FLEET_SSH_KEY_FILE)),
              config.optional(Setting.FLEET_KNOWN_HOSTS_FILE).map(Path::of).orElse(null));
    }
    git = s;
    return git;
  }

  /**
   * The local origin of a plain directory: created once from it, then kept, so the commits made to
   * it and the pull-request branches pushed to it survive restarts.
   */
  private Path localOrigin(Path dir) throws IOException {
    Path origin = workDir().resolve("fleet-origin");
    if (Files.isDirectory(origin.resolve(".git"))) {
      LOG.info(
          "fleet origin {} kept from the last run; delete it to start again from {}", origin, dir);
      return origin;
    }
    LOG.info("fleet origin {} created from {}", origin, dir);
    return LocalOrigin.create(dir, origin);
  }

  /** The fleet remote, cloned into the work dir. */
  public FleetRepository fleetRepository() throws IOException {
    return own(new JGitFleetRepository(gitSettings()));
  }

  // Clusters

  /** What kubeconfigs may do and which kubeconfig Secrets may be read, from the operator. */
  public KubeconfigPolicy kubeconfigPolicy() {
    return kubeconfigPolicy(config);
  }

  /** What kubeconfigs may do under a configuration; a malformed allow-list throws. */
  static KubeconfigPolicy kubeconfigPolicy(Config config) {
    return KubeconfigPolicy.fromSettings(
        config.getBool(Setting.KUBE_ALLOW_EXEC_PLUGINS),
        config.get(Setting.KUBE_KUBECONFIG_SECRETS_NAMESPACE),
        config.get(Setting.KUBE_KUBECONFIG_SECRETS_NAMES),
        config.get(Setting.KUBE_KUBECONFIG_SECRETS_SELECTOR));
  }

  public KubeSettings kubeSettings(KubeconfigPolicy policy) {
    return KubeSettings.DEFAULTS
        .withRequestTimeout(Duration.ofSeconds(config.getInt(Setting.KUBE_REQUEST_TIMEOUT)))
        .withReadParallelism(config.getInt(Setting.KUBE_PARALLELISM))
        .withKubeconfigPolicy(policy);
  }

  /**
   * The embedded clusters of a fleet: one in-process API server per cluster, holding the fleet's
   * desired state as a GitOps tool would have applied it (the renders that did not fail); a
   * kubeconfig for kubectl in the work dir. They are kept in {@code <work>/embedded-clusters/}: a
   * cluster saved there by an earlier run comes back as it was (edits made with kubectl included)
   * instead of from the desired state.
   */
  public EmbeddedFleet startEmbeddedClusters(Fleet fleet, Map<String, ClusterRender> renders) {
    Path state = workDir().resolve("embedded-clusters");
    EmbeddedFleet clusters =
        own(EmbeddedFleet.forFleet(fleet, workDir().resolve("kubeconfig"), state));
    Set<String> restored = clusters.restoredClusters();
    if (!restored.isEmpty()) {
      LOG.info(
          "embedded clusters {} restored as they were from {}; to start them from the desired"
              + " state instead, stop fleetwarden and delete that folder",
          restored,
          state);
    }
    for (ClusterRender r : renders.values()) {
      if (!r.failed() && !restored.contains(r.cluster())) {
        clusters.apply(r.cluster(), r.objects());
      }
    }
    LOG.info(
        "embedded clusters {}; kubeconfig for kubectl: {}",
        clusters.clusters(),
        clusters.kubeconfigPath());
    return clusters;
  }

  /**
   * Live state through Fabric8 clients, rebuilt when the fleet's cluster connections change: the
   * embedded clusters when given, else the clusters of {@code kube.kubeconfig} (or the default
   * kubeconfig), in-cluster credentials and the management cluster's kubeconfig Secrets.
   *
   * @param embedded the embedded clusters (null: real ones)
   * @param fleet the current fleet (its connections)
   */
  public LiveSource clusters(EmbeddedFleet embedded, Supplier<Fleet> fleet) {
    Path kubeconfig = config.optional(Setting.KUBECONFIG).map(Path::of).orElse(null);
    KubeconfigPolicy policy = kubeconfigPolicy();
    if (embedded != null) {
      kubeconfig = embedded.kubeconfigPath();
      // The Secrets the embedded management cluster holds were written here, not by the repo.
      policy = policy.allowingSecrets(embedded.kubeconfigSecrets());
    }
    return own(new FleetLiveSource(kubeconfig, kubeSettings(policy), fleet));
  }

  /**
   * Watches on the clusters {@code clusters} reaches (its clients, rebuilt when connections
   * change).
   *
   * @param clusters what {@link #clusters} returned
   */
  public LiveWatches liveWatches(LiveSource clusters) {
    if (!(clusters instanceof FleetLiveSource source)) {
      throw new IllegalArgumentException("watches need the clusters of Wiring.clusters");
    }
    return own(new Fabric8LiveWatches(source::client, Fabric8LiveWatches.Settings.DEFAULTS, clock));
  }

  /** Event-driven detection's settings: the coalescing window and the safety net. */
  public WatchLoop.Settings watchSettings() {
    Duration window = Duration.ofMillis(Math.max(0, config.getInt(Setting.WATCH_COALESCE_MILLIS)));
    Duration maxDelay = Duration.ofSeconds(10);
    return new WatchLoop.Settings(
        window,
        maxDelay.compareTo(window) < 0 ? window : maxDelay,
        Duration.ofMinutes(Math.max(1, config.getInt(Setting.WATCH_FULL_SCAN_MINUTES))),
        WatchLoop.Settings.DEFAULTS.leaseInterval());
  }

  /**
   * Which clusters this node watches: with PostgreSQL, a session-level advisory lock per cluster
   * (one node per cluster, a dead node's clusters are taken over); on H2, all of them.
   */
  public ClusterLeases clusterLeases() {
    return own(store().clusterLeases());
  }

  // Terraform

  /** Whether the cloud half runs: {@code terraform.enabled}, {@code auto} meaning with a config. */
  public boolean terraformEnabled() {
    String tf = config.get(Setting.TERRAFORM_ENABLED);
    return tf.equals("true") || (tf.equals("auto") && config.hasFile());
  }

  /** Terraform settings: discovery from the environment, then the config's explicit values. */
  public TerraformSettings terraformSettings() {
    TerraformSettings s = TerraformSettings.fromEnvironment(env);
    s = s.withWorkDir(work.resolve("terraform"));
    if (config.optional(Setting.TERRAFORM_BINARY).isPresent()) {
      s = s.withBinary(config.get(Setting.TERRAFORM_BINARY));
    }
    if (config.optional(Setting.TERRAFORM_PLUGIN_MIRROR).isPresent()) {
      s = s.withPluginMirror(Path.of(config.get(Setting.TERRAFORM_PLUGIN_MIRROR)));
    } else if (s.pluginMirror() == null) {
      // Machines without internet keep providers in a filesystem mirror: find it as terraform
      // would.
      s = s.withPluginMirror(PluginMirrors.discover(env).orElse(null));
    }
    if (config.optional(Setting.TERRAFORM_AWS_ENDPOINT).isPresent()) {
      s = s.withEmulatorEndpoint(config.get(Setting.TERRAFORM_AWS_ENDPOINT));
    }
    s = s.withStepTimeout(Duration.ofSeconds(config.getInt(Setting.TERRAFORM_TIMEOUT)));
    s = s.withParallelism(config.getInt(Setting.TERRAFORM_PARALLELISM));
    return s;
  }

  /** The cloud half: real terraform plans, and pull requests that edit infrastructure inputs. */
  public record Cloud(
      TerraformDriftChecker checker, CloudCheck check, InfrastructurePlanner planner) {}

  /** Terraform through {@code settings}; the checker and synthesizer close with the wiring. */
  public Cloud cloud(TerraformSettings settings) {
    TerraformDriftChecker checker = own(TerraformDriftChecker.create(settings));
    if (!checker.hasTerraform()) {
      LOG.warn("terraform binary not found: cloud drift of every cluster is unknown");
    }
    // Candidate edits are synthesized beside the Terraform work dirs, never in them.
    CdktfStackSynthesizer synthesizer =
        own(
            new CdktfStackSynthesizer(
                settings.workDir().resolveSibling("remediation-stacks"), settings.stackOptions()));
    return new Cloud(
        checker,
        checker::check,
        new InfrastructurePlanner(new SynthesizerStackRerender(synthesizer)));
  }

  // Notifications

  /** Slack when a token is configured, else the console (and a JSON-lines file in the work dir). */
  public Notifier notifier(PrintStream console) {
    return config
        .secret(Setting.SLACK_TOKEN_FILE, Setting.SLACK_TOKEN_ENV, env)
        .<Notifier>map(token -> new SlackNotifier(token, config.get(Setting.SLACK_URL)))
        .orElseGet(
            () -> new ConsoleNotifier(console, workDir().resolve("notifications.jsonl"), clock));
  }

  /** Alert planning into the store's outbox; unrouted drift goes to the fallback channel. */
  public Alerts alerts() {
    int reminderHours = config.getInt(Setting.SLACK_REMINDER_HOURS);
    return new Alerts(
        store().alertStates(),
        store().outbox(),
        store().pullRequests(),
        config
            .optional(Setting.SLACK_FALLBACK_CHANNEL)
            .orElse(embeddedClusters() ? "#platform-alerts" : null),
        reminderHours > 0 ? Duration.ofHours(reminderHours) : null);
  }

  /** Sends what the outbox holds through the notifier. */
  public OutboxDispatcher dispatcher(Notifier notifier) {
    return new OutboxDispatcher(
        store().outbox(), store().alertStates(), notifier, clock, DispatchSettings.DEFAULTS);
  }

  // Pull requests

  /**
   * Pull requests on GitHub when a token and {@code pullRequests.repository} are set; without a
   * config file, branches in the local origin with descriptions under the work dir; else none.
   *
   * @param planner Terraform edits (null: Terraform drift stays an alert)
   * @return null when the fleet asks for no pull requests or there is nowhere to open them
   */
  public Remediator remediator(Fleet fleet, InfrastructurePlanner planner) throws Exception {
    FleetSettings.PullRequestSettings prs = fleet.settings().pullRequests();
    if (prs == null) {
      return null;
    }
    Optional<String> token =
        config.secret(Setting.GITHUB_TOKEN_FILE, Setting.GITHUB_TOKEN_ENV, env);
    PullRequestHost host;
    // Branch pushes authenticate like the fleet repo (token or SSH key and known_hosts); over
    // HTTPS the GitHub token, which may write, takes the place of the fleet token.
    GitTransport transport = new GitTransport(gitSettings());
    if (token.isPresent()) {
      host =
          new GitHubPullRequestHost(
              config.get(Setting.GITHUB_API_URL), prs.repository(), token.get(), null);
      transport = transport.withToken(token.get());
    } else if (!config.hasFile()) {
      host = new LocalPullRequestHost(workDir().resolve("pull-requests"));
    } else {
      LOG.info("no GitHub token configured: drift is alerted, no pull requests");
      return null;
    }
    own(transport);
    PullRequests state = store().pullRequests();
    PullRequestManager manager =
        new PullRequestManager(
            new JGitBranchPublisher(
                transport, prs.baseBranch(), workDir().resolve("pr-work"), null),
            host,
            state,
            new RemediationPlanner(new FleetRendererRerender(liveRendering()), planner),
            prs,
            ignoreRules());
    return (cluster, complete, open, fleetOpen) -> {
      List<PrOutcome> outcomes;
      Map<String, String> urls;
      synchronized (manager) { // one publisher work directory
        outcomes = manager.reconcile(cluster, complete, open, Map.of(), fleetOpen);
        urls = manager.urls(cluster, open);
      }
      previewOwn(host, prs.baseBranch(), outcomes);
      return new Remediator.Result(urls, outcomes);
    };
  }

  /**
   * Ignore-rule pull requests for controller noise, checked with the diff's own ignore matching.
   */
  private IgnoreRulePlanner ignoreRules() {
    int min = config.getInt(Setting.IGNORE_RULE_MIN_CLUSTERS);
    return min <= 0 ? null : new IgnoreRulePlanner(IgnoreRules::ignores, min);
  }

  // Pull request previews

  /**
   * Terraform synthesis for previews, in a scratch directory of its own (never the one Terraform
   * plans in); closes with the wiring.
   */
  public StackRerender previewStacks() {
    return new SynthesizerStackRerender(
        own(
            new CdktfStackSynthesizer(
                workDir().resolve("preview-stacks"), terraformSettings().stackOptions())));
  }

  /**
   * Previews of the fleet's pull requests: on GitHub (a token and {@code pullRequests.repository})
   * a comment and a check run there; without a config file, files beside the local pull requests.
   * Live drift comes from the store's open findings; Terraform is previewed when the cloud half
   * runs.
   *
   * @param cloud the cloud half (null: Terraform is not previewed)
   * @return null when previews are off or there is nowhere to show them
   */
  public PullRequestPreviews pullRequestPreviews(FleetRepository repo, Fleet fleet, Cloud cloud)
      throws Exception {
    if (!config.getBool(Setting.PREVIEW_ENABLED)) {
      return null;
    }
    FleetSettings.PullRequestSettings prs = fleet.settings().pullRequests();
    Optional<String> token =
        config.secret(Setting.GITHUB_TOKEN_FILE, Setting.GITHUB_TOKEN_ENV, env);
    PreviewPublisher publisher;
    if (token.isPresent() && prs != null) {
      publisher =
          new GitHubPreviewPublisher(
              config.get(Setting.GITHUB_API_URL), prs.repository(), token.get());
    } else if (!config.hasFile()) {
      publisher = new LocalPreviewPublisher(workDir().resolve("pull-requests"));
    } else {
      LOG.info(
          "pull requests are not previewed: set a GitHub token and fleet.yaml's"
              + " pullRequests.repository");
      return null;
    }
    SecretHasher hasher = new SecretHasher(store().valueHashKey());
    return new PullRequestPreviews(
        repo,
        own(new Previewer(liveRendering(), hasher, workDir().resolve("preview"))),
        new LedgerDrift(store().findings(), hasher),
        cloud == null ? null : previewStacks(),
        publisher);
  }

  /**
   * Where the pull requests fleetwarden opens or updates are sent for a preview, as GitHub's
   * webhooks would send them (the local pull requests of the embedded defaults have no webhooks).
   */
  public void onOwnPullRequest(Consumer<PullRequestPreviews.Request> previews) {
    this.ownPullRequests = previews == null ? r -> {} : previews;
  }

  // The reconciler

  /**
   * The reconciler over the given adapters and the store: render → observe → diff → record → alert
   * → remediate, as every command runs it.
   *
   * @param cloud null: the cloud half is not checked
   * @param alerts null: nothing is sent
   */
  public FleetService fleetService(
      FleetRepository repo,
      LiveSource live,
      CloudCheck cloud,
      Alerts alerts,
      FleetService.Listener listener) {
    this.live = live;
    return new FleetService(repo, liveRendering(), live, cloud, store(), alerts, clock, listener);
  }

  /**
   * Fetch then render as {@link #rendering()}, except that a kind neither built in nor defined by a
   * CRD of the fleet repo is looked up among the CRDs the cluster serves, through the live source
   * of the last {@link #fleetService} (when there is one). Same fetcher and Helm renderer.
   */
  private FetchAndRender liveRendering() {
    LiveSource source = live;
    FetchAndRender offline = rendering();
    return source == null
        ? offline
        : new FetchAndRender(offline.charts(), offline.renderer().withClusterCrds(source::crds));
  }

  /** Sends fleetwarden's new and updated pull requests to their preview. */
  private void previewOwn(PullRequestHost host, String baseBranch, List<PrOutcome> outcomes) {
    for (PrOutcome o : outcomes) {
      if (o.number() > 0
          && (o.action() == PrOutcome.Action.CREATED || o.action() == PrOutcome.Action.UPDATED)) {
        try {
          String branch = host.get(o.number()).headBranch();
          ownPullRequests.accept(
              new PullRequestPreviews.Request(
                  o.number(), baseBranch, "refs/heads/" + branch, null, false));
        } catch (PullRequestHost.HostException | RuntimeException e) {
          LOG.warn("pull request #{} is not previewed: {}", o.number(), e.toString());
        }
      }
    }
  }

  @Override
  public void close() {
    List<AutoCloseable> reversed = new ArrayList<>(resources);
    Collections.reverse(reversed);
    resources.clear();
    for (AutoCloseable r : reversed) {
      long start = System.nanoTime();
      try {
        r.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed: {}", r, e.toString());
      }
      long millis = (System.nanoTime() - start) / 1_000_000;
      if (millis >= 1000) {
        LOG.info("closing {} took {} ms", r, millis);
      }
    }
  }

  /** Live state through cluster clients rebuilt when the fleet's cluster connections change. */
  private static final class FleetLiveSource implements LiveSource, AutoCloseable {
    private final Path kubeconfig;
    private final KubeSettings settings;
    private final Supplier<Fleet> fleet;
    private Map<String, Connection> connections;
    private ClusterClients clients;
    private KubeLiveSource source;

    FleetLiveSource(Path kubeconfig, KubeSettings settings, Supplier<Fleet> fleet) {
      this.kubeconfig = kubeconfig;
      this.settings = settings;
      this.fleet = fleet;
    }

    @Override
    public Observation observe(String cluster, List<DesiredObject> desired) {
      return current().observe(cluster, desired);
    }

    /** The current client of a cluster (for its watches). */
    KubernetesClient client(String cluster) {
      ClusterClients c;
      synchronized (this) {
        current();
        c = clients;
      }
      return c.client(cluster);
    }

    @Override
    public List<? extends JsonNode> crds(String cluster) {
      return current().crds(cluster);
    }

    private synchronized KubeLiveSource current() {
      Fleet f = fleet.get();
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
}

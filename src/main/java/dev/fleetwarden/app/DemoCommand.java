package dev.fleetwarden.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.demo.CloudChanges;
import dev.fleetwarden.demo.DemoDrift;
import dev.fleetwarden.demo.EmbeddedFleet;
import dev.fleetwarden.demo.InMemoryPrState;
import dev.fleetwarden.demo.MotoServer;
import dev.fleetwarden.drift.SecretHasher;
import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.git.LocalOrigin;
import dev.fleetwarden.kube.ClusterClients;
import dev.fleetwarden.kube.Fabric8LiveStateReader;
import dev.fleetwarden.kube.KubeSettings;
import dev.fleetwarden.kube.KubeconfigPolicy;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.ClusterReport;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.FleetReport;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.PartVerdict;
import dev.fleetwarden.notify.ConsoleNotifier;
import dev.fleetwarden.notify.DispatchSettings;
import dev.fleetwarden.notify.OutboxDispatcher;
import dev.fleetwarden.reconcile.Alerts;
import dev.fleetwarden.reconcile.CloudCheck;
import dev.fleetwarden.reconcile.FileRenderHistory;
import dev.fleetwarden.reconcile.FleetRendererRerender;
import dev.fleetwarden.reconcile.FleetScan;
import dev.fleetwarden.reconcile.KubeLiveSource;
import dev.fleetwarden.reconcile.StoreAlertStates;
import dev.fleetwarden.reconcile.StoreOutbox;
import dev.fleetwarden.remediate.JGitBranchPublisher;
import dev.fleetwarden.remediate.LocalPullRequestHost;
import dev.fleetwarden.remediate.PrOutcome;
import dev.fleetwarden.remediate.PullRequestManager;
import dev.fleetwarden.remediate.RemediationPlanner;
import dev.fleetwarden.remediate.TrackedDrift;
import dev.fleetwarden.render.FleetRenderer;
import dev.fleetwarden.report.TerminalText;
import dev.fleetwarden.store.Fingerprints;
import dev.fleetwarden.store.JdbcStore;
import dev.fleetwarden.store.StoreConfig;
import dev.fleetwarden.store.ValueHashKeyFile;
import dev.fleetwarden.terraform.PrivateFiles;
import dev.fleetwarden.terraform.TerraformDriftChecker;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: the whole loop on embedded clusters. Renders the example fleet, applies it to one
 * in-process API server per cluster (as a GitOps tool would), changes things behind Git's back,
 * then detects, alerts (to the console) and opens pull requests (branches in a local clone).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run fleetwarden end to end on embedded clusters, no cluster or cloud account needed.",
      "1. render the fleet repo; 2. start one in-process Kubernetes API server per cluster and"
          + " apply the desired state; 3. make changes behind Git's back (real drift and cosmetic"
          + " noise); 4. with terraform and moto_server on PATH, apply the CDKTF stacks to a local"
          + " AWS emulator and change a security group rule and a tag; 5. diff, alert (Slack"
          + " messages printed here), and open pull requests (branches in a local clone).",
      "Exit 2: drift found, as expected."
    })
public final class DemoCommand implements Callable<Integer> {
  @Mixin RepoOptions repo;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description =
          "Scratch space: kubeconfig, store, clone, PR files (default: .fleetwarden/demo).")
  Path workDir = Path.of(".fleetwarden", "demo");

  @Option(names = "--no-terraform", description = "Skip the cloud part even when possible.")
  boolean noTerraform;

  @Option(
      names = "--cloud-cluster",
      paramLabel = "NAME",
      description = "Apply and check only these clusters' stacks (repeatable; default: all).")
  List<String> cloudClusters = new ArrayList<>();

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "Report format: text (default), json or markdown.")
  OutputFormat output = OutputFormat.text;

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress output on stderr.")
  boolean quiet;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Progress progress = new Progress(err, quiet, 0);
    Fleet fleet = new FleetOptionsLoader(repo).load(err);
    if (fleet == null) {
      return 1;
    }
    Path work = workDir.toAbsolutePath();
    LocalOrigin.deleteRecursively(work);
    PrivateFiles.createDirectories(work);

    progress.say("1/5 rendering %d clusters of %s", fleet.clusters().size(), fleet.root());
    SortedMap<String, ClusterRender> renders =
        new FleetRenderer().renderAll(fleet, new Progress(err, quiet, fleet.clusters().size()));
    for (ClusterRender r : renders.values()) {
      if (r.failed()) {
        err.println("error: " + r.cluster() + ": " + TerminalText.of(r.error()));
        err.flush();
        return 1;
      }
    }

    try (EmbeddedFleet clusters = EmbeddedFleet.forFleet(fleet, work.resolve("kubeconfig"))) {
      progress.say(
          "2/5 started %d embedded API servers; kubeconfig: %s",
          clusters.clusters().size(), clusters.kubeconfigPath());
      FileRenderHistory history = new FileRenderHistory(work.resolve("renders"));
      for (ClusterRender r : renders.values()) {
        EmbeddedFleet.ApplyResult applied = clusters.apply(r.cluster(), r.objects());
        history.save(r.cluster(), "applied", r.objects().stream().map(DesiredObject::id).toList());
        progress.say(
            "    applied %s: %d objects", r.cluster(), applied.created() + applied.updated());
      }

      progress.say("3/5 changing things behind Git's back:");
      for (DemoDrift.Change change : new DemoDrift(clusters, Clock.systemUTC()).applyAll()) {
        progress.say("    %s", change.line());
      }

      try (Cloud cloud =
          noTerraform
              ? Cloud.skipped("--no-terraform given")
              : Cloud.start(fleet, cloudClusters, work, progress)) {
        progress.say("5/5 comparing desired and live state");
        FleetReport report;
        try (ClusterClients clients =
            ClusterClients.forFleet(
                fleet,
                clusters.kubeconfigPath(),
                KubeSettings.DEFAULTS.withKubeconfigPolicy(
                    KubeconfigPolicy.DEFAULT.allowingSecrets(clusters.kubeconfigSecrets())))) {
          report =
              new FleetScan(
                      new KubeLiveSource(new Fabric8LiveStateReader(clients)),
                      history,
                      cloud.check(),
                      4,
                      new SecretHasher(ValueHashKeyFile.loadOrCreate(work)))
                  .scan(fleet, renders, null, null);
        }
        // With -o json or markdown, stdout holds the report alone: the narrative goes to stderr.
        actOn(
            fleet, report, work, output == OutputFormat.text ? out : err, progress, cloud.checker);
        out.print(output.format(report));
        out.flush();
        return report.exitCode();
      }
    }
  }

  /** Alerts through the store's outbox to the console, and pull requests in a local clone. */
  private void actOn(
      Fleet fleet,
      FleetReport report,
      Path work,
      PrintWriter out,
      Progress progress,
      TerraformDriftChecker terraform)
      throws Exception {
    Clock clock = Clock.systemUTC();
    try (JdbcStore store = JdbcStore.open(StoreConfig.embedded(work.resolve("store")))) {
      Alerts alerts =
          new Alerts(new StoreAlertStates(store), new StoreOutbox(store), "#platform-alerts", null);
      for (ClusterReport c : report.clusters()) {
        if (!c.drifts().isEmpty()) {
          alerts.onScan(
              fleet,
              store.recordScan(c.name(), clock.instant(), c.drifts(), "demo"),
              "demo",
              fp -> null);
        }
      }
      out.println("── Slack messages (console notifier; a Slack token sends them for real) ──");
      out.flush();
      PrintStream console = new PrintStream(new WriterStream(out), true, StandardCharsets.UTF_8);
      new OutboxDispatcher(
              new StoreOutbox(store),
              new StoreAlertStates(store),
              new ConsoleNotifier(console, work.resolve("notifications.jsonl"), clock),
              clock,
              DispatchSettings.DEFAULTS)
          .dispatchDue();
      console.flush();
    }

    Path origin = LocalOrigin.create(fleet.root(), work.resolve("fleet-origin"));
    if (fleet.settings().pullRequests() == null) {
      return;
    }
    List<AutoCloseable> synthesizers = new ArrayList<>();
    PullRequestManager prs =
        new PullRequestManager(
            new JGitBranchPublisher(
                origin.toUri().toString(), "main", work.resolve("pr-work"), null, null),
            new LocalPullRequestHost(work.resolve("pull-requests")),
            new InMemoryPrState(),
            new RemediationPlanner(
                new FleetRendererRerender(new FleetRenderer()),
                terraform == null
                    ? null
                    : Wiring.infrastructurePlanner(terraform.settings(), synthesizers)),
            fleet.settings().pullRequests());
    out.println("── Remediation pull requests (branches in " + origin + ") ──");
    for (ClusterReport c : report.clusters()) {
      List<TrackedDrift> tracked = new ArrayList<>();
      for (ObjectDrift d : c.drifts()) {
        tracked.add(new TrackedDrift(Fingerprints.of(d), d, null));
      }
      if (tracked.isEmpty()) {
        continue;
      }
      for (PrOutcome o : prs.reconcile(c.name(), true, tracked)) {
        if (o.action() != PrOutcome.Action.NOT_REQUESTED) {
          out.printf(
              "  %s %s: %s%s%n",
              o.action(),
              TerminalText.of(o.resource()),
              TerminalText.of(o.detail()),
              o.number() > 0 ? " (PR #" + o.number() + ")" : "");
        }
      }
    }
    for (AutoCloseable synthesizer : synthesizers) {
      synthesizer.close();
    }
    out.println();
    out.flush();
  }

  /** The cloud half of the demo: moto + terraform when both exist, else a one-line reason. */
  private static final class Cloud implements AutoCloseable {
    private final MotoServer moto;
    private final TerraformDriftChecker checker;
    private final List<String> clusters;

    private Cloud(MotoServer moto, TerraformDriftChecker checker, List<String> clusters) {
      this.moto = moto;
      this.checker = checker;
      this.clusters = clusters;
    }

    private Cloud(MotoServer moto, TerraformDriftChecker checker) {
      this(moto, checker, List.of());
    }

    static Cloud skipped(String why) {
      return new Cloud(null, null);
    }

    static Cloud start(Fleet fleet, List<String> only, Path work, Progress progress) {
      Config config = Config.defaults(System.getenv());
      TerraformDriftChecker probe =
          TerraformDriftChecker.create(Wiring.terraform(config, System.getenv()));
      if (!probe.hasTerraform()) {
        progress.say("4/5 terraform skipped: no terraform or tofu binary on PATH");
        probe.close();
        return new Cloud(null, null);
      }
      probe.close();
      if (MotoServer.findOnPath().isEmpty()) {
        progress.say("4/5 terraform skipped: moto_server (the local AWS emulator) is not on PATH");
        return new Cloud(null, null);
      }
      MotoServer moto = null;
      try {
        moto = MotoServer.start();
        TerraformDriftChecker checker =
            TerraformDriftChecker.create(
                Wiring.terraform(config, System.getenv())
                    .withEmulatorEndpoint(moto.endpoint())
                    .withWorkDir(work.resolve("terraform")));
        List<ClusterSpec> specs =
            fleet.clusters().values().stream()
                .filter(c -> only.isEmpty() || only.contains(c.name()))
                .toList();
        progress.say(
            "4/5 applying %d CDKTF stacks to a local AWS emulator at %s (takes a minute or two)",
            specs.size(), moto.endpoint());
        checker.applyClusters(specs);
        ClusterSpec target =
            specs.stream()
                .filter(c -> c.name().equals("prod-eu-1"))
                .findFirst()
                .orElse(specs.get(0));
        String region = target.infrastructure().path("region").asText("eu-west-1");
        CloudChanges changes = new CloudChanges(moto.endpoint(), region);
        String sg = changes.securityGroupId(target.name() + "-nodes");
        changes.authorizeIngress(sg, "tcp", 22, 22, "0.0.0.0/0", "debugging, temporary");
        progress.say(
            "    %s: security group %s-nodes opened port 22 to 0.0.0.0/0 through the AWS API",
            target.name(), target.name());
        changes.createTags(changes.vpcIdByName(target.name()), "team", "someone-else");
        progress.say(
            "    %s: VPC tag team changed to someone-else through the AWS API", target.name());
        JsonNode group = target.infrastructure().path("nodeGroups").path(0);
        if (group.has("name") && group.has("desiredSize")) {
          int scaled =
              Math.min(group.path("desiredSize").asInt() + 2, group.path("maxSize").asInt(99));
          changes.scaleNodeGroup(target.name(), group.path("name").asText(), scaled);
          progress.say(
              "    %s: node group %s scaled to %d through the AWS API",
              target.name(), group.path("name").asText(), scaled);
        }
        return new Cloud(moto, checker, specs.stream().map(ClusterSpec::name).toList());
      } catch (Exception e) {
        progress.say("4/5 terraform skipped: %s", e.getMessage());
        if (moto != null) {
          moto.close();
        }
        return new Cloud(null, null);
      }
    }

    /** Checks the applied stacks; clusters whose stack was not applied are not checked. */
    CloudCheck check() {
      if (checker == null) {
        return null;
      }
      CloudCheck all = Wiring.cloud(checker);
      return cluster ->
          clusters.contains(cluster.name())
              ? all.check(cluster)
              : new PartVerdict(
                  new dev.fleetwarden.model.PartStatus(null, "stack not applied in this demo"),
                  List.of());
    }

    @Override
    public void close() {
      if (checker != null) {
        checker.close();
      }
      if (moto != null) {
        moto.close();
      }
    }
  }

  /** Loads the fleet with the same error output as the other commands. */
  private record FleetOptionsLoader(RepoOptions repo) {
    Fleet load(PrintWriter err) {
      FleetOptions options = new FleetOptions();
      options.repo = repo;
      return options.load(err);
    }
  }

  /** Lets a PrintStream-based notifier write into the command's output. */
  private static final class WriterStream extends java.io.OutputStream {
    private final PrintWriter out;
    private final java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();

    WriterStream(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void write(int b) {
      buffer.write(b);
    }

    @Override
    public void flush() {
      out.print(buffer.toString(StandardCharsets.UTF_8));
      out.flush();
      buffer.reset();
    }
  }
}

package dev.fleetwarden.app;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetwarden.demo.CloudChanges;
import dev.fleetwarden.demo.DemoDrift;
import dev.fleetwarden.demo.EmbeddedFleet;
import dev.fleetwarden.demo.ExampleChartRepository;
import dev.fleetwarden.demo.MotoServer;
import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.git.LocalOrigin;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.FleetReport;
import dev.fleetwarden.model.PartStatus;
import dev.fleetwarden.model.PartVerdict;
import dev.fleetwarden.reconcile.CloudCheck;
import dev.fleetwarden.reconcile.FleetService;
import dev.fleetwarden.remediate.PrOutcome;
import dev.fleetwarden.report.TerminalText;
import dev.fleetwarden.terraform.TerraformDriftChecker;
import dev.fleetwarden.terraform.TerraformSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
      description =
          "Apply and check these clusters' stacks (repeatable; default: prod-eu-1, the stack the"
              + " demo changes).")
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
    Path work = workDir.toAbsolutePath();
    LocalOrigin.deleteRecursively(work);
    Map<String, String> env = System.getenv();
    // The demo is the service on the embedded defaults, run once: same wiring, same pipeline.
    Config config =
        Config.defaults(env)
            .with(Setting.WORK_DIR, work.toString())
            .with(Setting.FLEET_REPO, repo.repo().toAbsolutePath().normalize().toString())
            .with(Setting.KUBE_EMBEDDED, "true");
    try (Wiring wiring = new Wiring(config, env, Clock.systemUTC())) {
      Fleet fleet = new FleetOptionsLoader(repo).load(err, wiring.chartAllowList());
      if (fleet == null) {
        return 1;
      }
      if (wiring.exampleChartRepository()) {
        progress.say(
            "    serving the example chart repository %s at %s",
            ExampleChartRepository.URL, wiring.exampleCharts().servedAt());
      }
      progress.say("1/5 rendering %d clusters of %s", fleet.clusters().size(), fleet.root());
      SortedMap<String, ClusterRender> renders =
          wiring
              .rendering()
              .renderAll(fleet, new Progress(err, quiet, fleet.clusters().size()))
              .all();
      for (ClusterRender r : renders.values()) {
        if (r.failed()) {
          err.println("error: " + r.cluster() + ": " + TerminalText.of(r.error()));
          err.flush();
          return 1;
        }
      }
      EmbeddedFleet clusters = wiring.startEmbeddedClusters(fleet, renders);
      progress.say(
          "2/5 started %d embedded API servers and applied the desired state; kubeconfig: %s",
          clusters.clusters().size(), clusters.kubeconfigPath());

      progress.say("3/5 changing things behind Git's back:");
      for (DemoDrift.Change change : new DemoDrift(clusters, wiring.clock()).applyAll()) {
        progress.say("    %s", change.line());
      }
      Wiring.Cloud cloud =
          noTerraform ? null : DemoCloud.start(wiring, fleet, cloudClusters, progress);

      progress.say("5/5 comparing desired and live state");
      // With -o json or markdown, stdout holds the report alone: the narrative goes to stderr.
      PrintWriter narrative = output == OutputFormat.text ? out : err;
      List<PrOutcome> pullRequests = new ArrayList<>();
      FleetService service =
          wiring.fleetService(
              wiring.fleetRepository(),
              wiring.clusters(clusters, () -> fleet),
              cloud == null ? null : cloud.check(),
              wiring.alerts(),
              new FleetService.Listener() {
                @Override
                public void remediated(String cluster, List<PrOutcome> outcomes) {
                  synchronized (pullRequests) {
                    pullRequests.addAll(outcomes);
                  }
                }
              });
      service.remediateWith(wiring.remediator(fleet, cloud == null ? null : cloud.planner()));
      service.start();
      FleetReport report = service.scanAll(4, r -> {});

      narrative.println(
          "── Slack messages (console notifier; a Slack token sends them for real) ──");
      narrative.flush();
      PrintStream console = new PrintStream(new WriterStream(narrative), true, UTF_8);
      wiring.dispatcher(wiring.notifier(console)).dispatchDue();
      console.flush();
      printPullRequests(narrative, pullRequests, wiring);
      out.print(output.format(report));
      out.flush();
      return report.exitCode();
    }
  }

  private static void printPullRequests(PrintWriter out, List<PrOutcome> outcomes, Wiring wiring)
      throws IOException {
    out.println(
        "── Remediation pull requests (branches in "
            + wiring.workDir().resolve("fleet-origin")
            + ") ──");
    // Each half of a scan (Kubernetes, then Terraform) passes the cluster's drift to the
    // pull-request step: the second pass finds the first one's pull requests UNCHANGED.
    java.util.Set<String> lines = new java.util.LinkedHashSet<>();
    for (PrOutcome o :
        outcomes.stream()
            .sorted(Comparator.comparing(PrOutcome::cluster).thenComparing(PrOutcome::resource))
            .toList()) {
      if (o.action() != PrOutcome.Action.NOT_REQUESTED
          && o.action() != PrOutcome.Action.UNCHANGED) {
        lines.add(
            String.format(
                "  %s %s: %s%s",
                o.action(),
                TerminalText.of(o.resource()),
                TerminalText.of(o.detail()),
                o.number() > 0 ? " (PR #" + o.number() + ")" : ""));
      }
    }
    lines.forEach(out::println);
    out.println();
    out.flush();
  }

  /** The cloud half of the demo: moto + terraform when both exist, else a one-line reason. */
  private static final class DemoCloud {
    private DemoCloud() {}

    /**
     * Applies the stacks to a moto server and changes some of it through the AWS API; null when the
     * cloud half is skipped (said on the progress line). Only the applied stacks are checked.
     */
    static Wiring.Cloud start(Wiring wiring, Fleet fleet, List<String> only, Progress progress) {
      TerraformSettings settings = wiring.terraformSettings();
      try (TerraformDriftChecker probe = TerraformDriftChecker.create(settings)) {
        if (!probe.hasTerraform()) {
          progress.say("4/5 terraform skipped: no terraform or tofu binary on PATH");
          return null;
        }
      }
      if (MotoServer.findOnPath().isEmpty()) {
        progress.say("4/5 terraform skipped: moto_server (the local AWS emulator) is not on PATH");
        return null;
      }
      try {
        MotoServer moto = wiring.own(MotoServer.start());
        Wiring.Cloud cloud = wiring.cloud(settings.withEmulatorEndpoint(moto.endpoint()));
        // By default only the stack the demo changes is applied: the others would only cost time.
        List<ClusterSpec> specs =
            only.isEmpty()
                ? List.of(changedStack(fleet))
                : fleet.clusters().values().stream().filter(c -> only.contains(c.name())).toList();
        progress.say(
            "4/5 applying %d CDKTF stacks to a local AWS emulator at %s (takes a minute or two)",
            specs.size(), moto.endpoint());
        cloud.checker().applyClusters(specs);
        changeBehindTerraformsBack(specs, moto, progress);
        List<String> applied = specs.stream().map(ClusterSpec::name).toList();
        CloudCheck check =
            cluster ->
                applied.contains(cluster.name())
                    ? cloud.check().check(cluster)
                    : new PartVerdict(
                        new PartStatus(null, "stack not applied in this demo"), List.of());
        return new Wiring.Cloud(cloud.checker(), check, cloud.planner());
      } catch (Exception e) {
        progress.say("4/5 terraform skipped: %s", e.getMessage());
        return null;
      }
    }

    /** The cluster whose cloud the demo changes: prod-eu-1, else the first with infrastructure. */
    static ClusterSpec changedStack(Fleet fleet) {
      return fleet.clusters().values().stream()
          .filter(c -> c.name().equals("prod-eu-1"))
          .findFirst()
          .orElseGet(
              () ->
                  fleet.clusters().values().stream()
                      .filter(c -> c.infrastructure() != null && c.infrastructure().size() > 0)
                      .findFirst()
                      .orElseThrow(
                          () -> new IllegalStateException("no cluster has infrastructure")));
    }

    private static void changeBehindTerraformsBack(
        List<ClusterSpec> specs, MotoServer moto, Progress progress) throws Exception {
      ClusterSpec target =
          specs.stream().filter(c -> c.name().equals("prod-eu-1")).findFirst().orElse(specs.get(0));
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
    }
  }

  /** Loads the fleet with the same error output as the other commands. */
  private record FleetOptionsLoader(RepoOptions repo) {
    Fleet load(PrintWriter err, dev.fleetwarden.fleet.ChartAllowList allowList) {
      FleetOptions options = new FleetOptions();
      options.repo = repo;
      return options.load(err, allowList);
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

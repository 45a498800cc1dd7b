package dev.fleetwarden.app;

import dev.fleetwarden.drift.SecretHasher;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.kube.ClusterClients;
import dev.fleetwarden.kube.Fabric8LiveStateReader;
import dev.fleetwarden.kube.KubeSettings;
import dev.fleetwarden.kube.KubeconfigPolicy;
import dev.fleetwarden.kube.LiveDump;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.FleetReport;
import dev.fleetwarden.reconcile.DumpLiveSource;
import dev.fleetwarden.reconcile.FileRenderHistory;
import dev.fleetwarden.reconcile.FleetScan;
import dev.fleetwarden.reconcile.KubeLiveSource;
import dev.fleetwarden.reconcile.LiveSource;
import dev.fleetwarden.render.FleetRenderer;
import dev.fleetwarden.store.StoreException;
import dev.fleetwarden.store.ValueHashKeyFile;
import dev.fleetwarden.terraform.TerraformDriftChecker;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code diff}: desired state against live clusters or kubectl dumps. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Compare the desired state of each cluster with what it runs.",
      "Live state comes from the clusters (kubeconfig contexts, Cluster API kubeconfig secrets"
          + " or in-cluster), or with --live-from DIR from kubectl dumps in DIR/<cluster>/*.yaml"
          + " (multi-document YAML or kind: List, as `kubectl get -o yaml` writes them).",
      "Exit 0 in sync, 2 drift found, 1 error (invalid fleet, unreachable cluster, failed"
          + " render)."
    })
public final class DiffCommand implements Callable<Integer> {
  @Mixin FleetOptions fleetOptions;

  @Option(
      names = "--live-from",
      paramLabel = "DIR",
      description = "Read live objects from DIR/<cluster>/*.yaml instead of the clusters.")
  Path liveFrom;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description =
          "Kubeconfig for kubeconfig-context clusters (default: KUBECONFIG, ~/.kube/config).")
  Path kubeconfig;

  @Option(
      names = "--kubeconfig-secret",
      paramLabel = "NAMESPACE/NAME",
      description =
          "Allow kubeconfig-secret clusters to use this Secret of the management cluster"
              + " (repeatable; adds to kube.kubeconfigSecrets.names from the environment). Other"
              + " Secrets are never read.")
  List<String> kubeconfigSecrets = new ArrayList<>();

  @Option(
      names = "--allow-exec-plugins",
      description =
          "Let kubeconfigs run exec credential plugins, use auth-providers and name local files"
              + " (like kube.allowExecPlugins). Default: only inline credentials.")
  boolean allowExecPlugins;

  @Option(
      names = "--terraform",
      description =
          "Also check each cluster's cloud infrastructure with terraform plan (CDKTF stacks"
              + " synthesized from cluster.yaml). Slow: minutes per cluster on real clouds.")
  boolean terraform;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "text (default), json or markdown.")
  OutputFormat output = OutputFormat.text;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Where previous renders are kept for orphan detection (default: .fleetwarden/renders).")
  Path stateDir = Path.of(".fleetwarden", "renders");

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Fleet fleet = fleetOptions.load(err);
    if (fleet == null) {
      return 1;
    }
    Config config = Config.defaults(System.getenv());
    SecretHasher hasher;
    try {
      hasher = new SecretHasher(ValueHashKeyFile.loadOrCreate(config.path(Setting.WORK_DIR)));
    } catch (StoreException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    List<String> clusters = fleetOptions.selected(fleet);
    Progress progress = new Progress(err, fleetOptions.quiet, clusters.size());
    progress.say("rendering %d cluster(s)", clusters.size());
    SortedMap<String, ClusterRender> renders =
        new FleetRenderer().render(fleet, clusters, progress);
    KubeSettings kubeSettings;
    try {
      KubeconfigPolicy policy = Service.kubeconfigPolicy(config);
      for (String ref : kubeconfigSecrets) {
        if (ref.indexOf('/') < 1) {
          throw new IllegalArgumentException(
              "--kubeconfig-secret wants NAMESPACE/NAME, got '" + ref + "'");
        }
      }
      policy = policy.allowingSecrets(kubeconfigSecrets);
      kubeSettings =
          KubeSettings.DEFAULTS.withKubeconfigPolicy(
              policy.withAllowExecPlugins(policy.allowExecPlugins() || allowExecPlugins));
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return 1;
    }
    try (ClusterClients clients =
            liveFrom == null ? ClusterClients.forFleet(fleet, kubeconfig, kubeSettings) : null;
        TerraformDriftChecker checker =
            terraform
                ? TerraformDriftChecker.create(Wiring.terraform(config, System.getenv()))
                : null) {
      LiveSource live =
          liveFrom != null
              ? new DumpLiveSource(new LiveDump(liveFrom))
              : new KubeLiveSource(new Fabric8LiveStateReader(clients));
      progress.say("comparing with %s", liveFrom != null ? liveFrom : "the live clusters");
      FleetReport report =
          new FleetScan(
                  live,
                  new FileRenderHistory(stateDir),
                  checker == null ? null : Wiring.cloud(checker),
                  KubeSettings.DEFAULTS.readParallelism(),
                  hasher)
              .scan(
                  fleet,
                  renders,
                  liveFrom == null ? "cli" : null,
                  r -> progress.say("  %s: %s", r.name(), r.status().label()));
      out.print(output.format(report));
      out.flush();
      return report.exitCode();
    }
  }
}

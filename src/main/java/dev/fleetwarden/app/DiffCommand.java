package dev.fleetwarden.app;

import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.git.WorkingTree;
import dev.fleetwarden.kube.LiveDump;
import dev.fleetwarden.model.FleetReport;
import dev.fleetwarden.reconcile.DumpLiveSource;
import dev.fleetwarden.reconcile.FleetService;
import dev.fleetwarden.reconcile.LiveSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
          "The store of diff: findings (first seen), previous renders for orphan detection, the"
              + " key of Secret value hashes (default: <workDir>/diff, .fleetwarden/diff).")
  Path stateDir;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<String, String> env = System.getenv();
    Config config;
    try {
      config = options(Config.defaults(env));
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return 1;
    }
    // diff is the pipeline without alerts and pull requests, on the working tree as it is.
    try (Wiring wiring = new Wiring(config, env, Clock.systemUTC())) {
      Fleet fleet = fleetOptions.load(err, wiring.chartAllowList());
      if (fleet == null) {
        return 1;
      }
      List<String> clusters = fleetOptions.selected(fleet);
      Progress progress = new Progress(err, fleetOptions.quiet, clusters.size());
      LiveSource live =
          liveFrom != null
              ? new DumpLiveSource(new LiveDump(liveFrom))
              : wiring.clusters(null, () -> fleet);
      Wiring.Cloud cloud = terraform ? wiring.cloud(wiring.terraformSettings()) : null;
      FleetService service =
          wiring.fleetService(
              new WorkingTree(fleet.root()),
              live,
              cloud == null ? null : cloud.check(),
              null,
              null);
      service.limitTo(clusters);
      progress.say("rendering %s", Plural.of(clusters.size(), "cluster"));
      service.renderProgress(progress);
      service.start();
      progress.say("comparing with %s", liveFrom != null ? liveFrom : "the live clusters");
      FleetReport report =
          service.scanAll(
              config.getInt(Setting.KUBE_PARALLELISM),
              r -> progress.say("  %s: %s", r.name(), r.status().label()));
      out.print(output.format(report));
      out.flush();
      return report.exitCode();
    }
  }

  /** The command's options over the configuration from the environment. */
  private Config options(Config config) {
    for (String ref : kubeconfigSecrets) {
      if (ref.indexOf('/') < 1) {
        throw new IllegalArgumentException(
            "--kubeconfig-secret wants NAMESPACE/NAME, got '" + ref + "'");
      }
    }
    Path state = stateDir != null ? stateDir : config.path(Setting.WORK_DIR).resolve("diff");
    Config c =
        config
            .with(Setting.WORK_DIR, state.toAbsolutePath().toString())
            .with(Setting.KUBE_EMBEDDED, "false");
    if (kubeconfig != null) {
      c = c.with(Setting.KUBECONFIG, kubeconfig.toString());
    }
    if (allowExecPlugins) {
      c = c.with(Setting.KUBE_ALLOW_EXEC_PLUGINS, "true");
    }
    if (!kubeconfigSecrets.isEmpty()) {
      List<String> names = new ArrayList<>();
      c.optional(Setting.KUBE_KUBECONFIG_SECRETS_NAMES).ifPresent(names::add);
      names.addAll(kubeconfigSecrets);
      c = c.with(Setting.KUBE_KUBECONFIG_SECRETS_NAMES, String.join(",", names));
    }
    Wiring.kubeconfigPolicy(c); // a bad allow-list is an error before any cluster is read
    return c;
  }
}

package dev.fleetwarden.app;

import dev.fleetwarden.drift.SecretHasher;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.git.LocalOrigin;
import dev.fleetwarden.git.LocalRevisions;
import dev.fleetwarden.kube.LiveDump;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.preview.Preview;
import dev.fleetwarden.reconcile.DumpLiveSource;
import dev.fleetwarden.reconcile.LiveComparison;
import dev.fleetwarden.reconcile.LiveSource;
import dev.fleetwarden.reconcile.ObservedDrift;
import dev.fleetwarden.reconcile.Previewer;
import dev.fleetwarden.remediate.StackRerender;
import dev.fleetwarden.report.TerminalText;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code preview}: the blast radius of a fleet change before it is merged. */
@Command(
    name = "preview",
    mixinStandardHelpOptions = true,
    description = {
      "Show what a change of the fleet repo does before it is merged: validate the head, find the"
          + " clusters the changed files reach, render those on both sides, and list per cluster"
          + " the objects added, removed and modified (fields before -> after; Secrets by key and"
          + " hash only).",
      "With --live-from DIR or --kubeconfig FILE, also the live changes merging would revert"
          + " (overwritesDrift, with who made them and when) and the drift it adopts"
          + " (resolvesDrift). With --terraform, the change of each cluster's synthesized"
          + " Terraform configuration.",
      "Compares exactly BASE and HEAD; to preview a branch as its pull request would, pass"
          + " --base $(git merge-base main HEAD).",
      "Exit 0 when no cluster's desired state changes, 2 when some do, 1 when the head is invalid"
          + " (each problem as FILE:LINE:COLUMN) or on error."
    })
public final class PreviewCommand implements Callable<Integer> {
  @Mixin FleetOptions fleetOptions;

  @Option(
      names = "--base",
      required = true,
      paramLabel = "REV",
      description = "The revision before the change (branch, tag or commit), e.g. main.")
  String base;

  @Option(
      names = "--head",
      paramLabel = "REV",
      description =
          "The revision after the change (default: HEAD; uncommitted edits are not seen).")
  String head = "HEAD";

  @ArgGroup(exclusive = true)
  Live live;

  /** Where live state comes from: one or the other. */
  static final class Live {
    @Option(
        names = "--live-from",
        paramLabel = "DIR",
        description =
            "Live objects from kubectl dumps in DIR/<cluster>/*.yaml (as diff reads them).")
    Path liveFrom;

    @Option(
        names = "--kubeconfig",
        paramLabel = "FILE",
        description =
            "Read live objects from the clusters of this kubeconfig (its contexts must carry"
                + " inline credentials unless kube.allowExecPlugins is set).")
    Path kubeconfig;
  }

  @Option(
      names = "--terraform",
      description =
          "Also synthesize both sides' CDKTF stacks and show the change of each cluster's"
              + " Terraform configuration by resource and attribute (needs Node).")
  boolean terraform;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "text (default), json or markdown.")
  OutputFormat output = OutputFormat.text;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<String, String> env = System.getenv();
    Path repoDir = fleetOptions.repo.repo();
    Config config = Config.defaults(env).with(Setting.KUBE_EMBEDDED, "false");
    if (live != null && live.kubeconfig != null) {
      config = config.with(Setting.KUBECONFIG, live.kubeconfig.toString());
    }
    Path tmp;
    try {
      tmp = Files.createTempDirectory("fleetwarden-preview-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory", e);
    }
    config = config.with(Setting.WORK_DIR, tmp.toString());
    try (LocalRevisions revisions = LocalRevisions.open(repoDir);
        Wiring wiring = new Wiring(config, env, Clock.systemUTC())) {
      return preview(revisions, wiring, tmp, repoDir, out, err);
    } finally {
      try {
        LocalOrigin.deleteRecursively(tmp);
      } catch (IOException e) {
        err.println("warning: could not delete " + tmp + ": " + e.getMessage());
      }
    }
  }

  private int preview(
      LocalRevisions revisions,
      Wiring wiring,
      Path tmp,
      Path repoDir,
      PrintWriter out,
      PrintWriter err) {
    // The hashes only have to agree within this output: no store, no key to keep.
    SecretHasher hasher = SecretHasher.ephemeral();
    LiveComparison comparison = null;
    if (live != null) {
      AtomicReference<Fleet> headFleet = new AtomicReference<>();
      LiveSource source =
          live.liveFrom != null
              ? new DumpLiveSource(new LiveDump(live.liveFrom))
              : wiring.clusters(null, headFleet::get);
      ObservedDrift observed = new ObservedDrift(source, hasher);
      comparison =
          (cluster, b, bRender, h, hRender) -> {
            headFleet.set(h); // the head's connections reach the clusters
            return observed.compare(cluster, b, bRender, h, hRender);
          };
    }
    StackRerender stacks = terraform ? wiring.previewStacks() : null;
    Previewer previewer = new Previewer(wiring.rendering(), hasher, tmp);
    boolean quiet = fleetOptions.quiet;
    Previewer.Progress progress =
        new Previewer.Progress() {
          @Override
          public void say(String message) {
            note(err, quiet, message);
          }

          @Override
          public void clusterDone(ClusterRender r, Duration took) {
            note(
                err,
                quiet,
                "  "
                    + TerminalText.of(r.cluster())
                    + (r.failed()
                        ? ": render failed"
                        : ": " + r.objects().size() + " objects (" + took.toMillis() + " ms)"));
          }
        };
    note(err, quiet, "preview " + base + ".." + head + " of " + repoDir);
    Preview preview;
    try {
      preview =
          previewer.preview(
              revisions,
              base,
              head,
              new Previewer.Scope(fleetOptions.clusters, comparison, null, stacks),
              progress);
    } catch (IllegalArgumentException e) {
      err.println("error: " + TerminalText.of(e.getMessage()));
      err.flush();
      return 1;
    }
    out.print(output.format(preview));
    out.flush();
    return preview.exitCode();
  }

  private static void note(PrintWriter err, boolean quiet, String message) {
    if (!quiet) {
      synchronized (err) {
        err.println(message);
        err.flush();
      }
    }
  }
}

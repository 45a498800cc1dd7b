package dev.fleetwarden.app;

import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetError;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.FleetWarnings;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.report.TerminalText;
import java.io.PrintWriter;
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

/**
 * {@code validate}: loads and renders the fleet repo and lists every problem with file and line.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check the fleet repo: schema, names, references and paths, remote chart sources against"
          + " helm.allowedRepositories and fleet.lock, then fetch the remote charts and render"
          + " every cluster (Helm templates, manifests, Kustomize, patches) offline, as the"
          + " service would.",
      "Lists every problem as FILE:LINE:COLUMN: message, and warnings (values files of add-ons"
          + " a cluster does not run) as warning: FILE:LINE:COLUMN: message.",
      "Exit 0 valid, 1 invalid (or warnings with --strict)."
    })
public final class ValidateCommand implements Callable<Integer> {
  @Mixin RepoOptions repo;

  @Option(names = "--strict", description = "Warnings are errors.")
  boolean strict;

  @Option(
      names = "--no-render",
      description = "Check the repo's files only; do not render (faster, misses template errors).")
  boolean noRender;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<String, String> env = System.getenv();
    try (Wiring wiring = new Wiring(Config.defaults(env), env, Clock.systemUTC())) {
      return validate(wiring, out, err);
    }
  }

  private int validate(Wiring wiring, PrintWriter out, PrintWriter err) {
    Fleet fleet;
    try {
      fleet = FleetLoader.load(repo.repo(), wiring.chartAllowList());
    } catch (FleetValidationException e) {
      for (FleetError error : e.errors()) {
        err.println(error);
      }
      err.printf("%s found in %s%n", Plural.of(e.errors().size(), "problem"), repo.repo());
      err.flush();
      return 1;
    }
    List<String> problems = new ArrayList<>();
    if (!noRender) {
      // The fetch step first (remote charts into the cache), then every cluster offline.
      for (ClusterRender r :
          wiring
              .rendering()
              .renderAll(fleet, dev.fleetwarden.render.RenderListener.NONE)
              .all()
              .values()) {
        if (r.failed()) {
          problems.add(r.cluster() + ": " + TerminalText.of(r.error()));
        }
      }
    }
    List<FleetError> warnings = FleetWarnings.of(fleet);
    problems.forEach(err::println);
    for (FleetError w : warnings) {
      err.println((strict ? "" : "warning: ") + w);
    }
    int failures = problems.size() + (strict ? warnings.size() : 0);
    if (failures > 0) {
      err.printf("%s found in %s%n", Plural.of(failures, "problem"), repo.repo());
      err.flush();
      return 1;
    }
    out.printf(
        "%s: valid (%s, %s, %s%s)%n",
        repo.repo(),
        Plural.of(fleet.clusters().size(), "cluster"),
        Plural.of(fleet.addons().size(), "add-on"),
        Plural.of(fleet.environments().size(), "environment"),
        noRender ? "; not rendered" : "; every cluster renders");
    if (!warnings.isEmpty()) {
      out.printf("%s%n", Plural.of(warnings.size(), "warning"));
    }
    out.flush();
    err.flush();
    return 0;
  }
}

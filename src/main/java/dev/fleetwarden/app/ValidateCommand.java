package dev.fleetwarden.app;

import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetError;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.fleet.FleetValidationException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code validate}: loads the fleet repo and lists every problem with file and line. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check the fleet repo: schema, names, references and paths.",
      "Lists every problem as FILE:LINE:COLUMN: message. Exit 0 valid, 1 invalid."
    })
public final class ValidateCommand implements Callable<Integer> {
  @Mixin RepoOptions repo;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Fleet fleet = FleetLoader.load(repo.repo());
      out.printf(
          "%s: valid (%d clusters, %d add-ons, %d environments)%n",
          repo.repo(), fleet.clusters().size(), fleet.addons().size(), fleet.environments().size());
      out.flush();
      return 0;
    } catch (FleetValidationException e) {
      for (FleetError error : e.errors()) {
        err.println(error);
      }
      err.printf("%d problem(s) found in %s%n", e.errors().size(), repo.repo());
      err.flush();
      return 1;
    }
  }
}

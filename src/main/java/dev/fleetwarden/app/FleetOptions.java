package dev.fleetwarden.app;

import dev.fleetwarden.fleet.ChartAllowList;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetError;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.fleet.FleetValidationException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options of commands that load the fleet and work on some of its clusters. */
public final class FleetOptions {
  @Mixin RepoOptions repo;

  @Option(
      names = {"-c", "--cluster"},
      paramLabel = "NAME",
      description = "Only this cluster (repeatable). Default: every cluster of the fleet.")
  List<String> clusters = new ArrayList<>();

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress output on stderr.")
  boolean quiet;

  /**
   * Loads the fleet, remote charts checked against the operator's allow-list; prints every error
   * and returns null when it is invalid.
   */
  Fleet load(PrintWriter err, ChartAllowList allowList) {
    try {
      Fleet fleet = FleetLoader.load(repo.repo(), allowList);
      List<String> unknown =
          clusters.stream().filter(c -> !fleet.clusters().containsKey(c)).toList();
      if (!unknown.isEmpty()) {
        err.printf("unknown cluster(s) %s; the fleet has %s%n", unknown, fleet.clusters().keySet());
        err.flush();
        return null;
      }
      return fleet;
    } catch (FleetValidationException e) {
      for (FleetError error : e.errors()) {
        err.println(error);
      }
      err.printf(
          "%s in the fleet repo %s; run `validate` after fixing%n",
          Plural.of(e.errors().size(), "problem"), repo.repo());
      err.flush();
      return null;
    }
  }

  /** The selected cluster names (all when none given). */
  List<String> selected(Fleet fleet) {
    return clusters.isEmpty() ? List.copyOf(fleet.clusters().keySet()) : List.copyOf(clusters);
  }
}

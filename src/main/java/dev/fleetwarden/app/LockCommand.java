package dev.fleetwarden.app;

import dev.fleetwarden.charts.ChartFetchException;
import dev.fleetwarden.fleet.ChartLock;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.fleet.FleetError;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.report.TerminalText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lock}: writes {@code fleet.lock}, the digest of every remote chart the fleet names. */
@Command(
    name = "lock",
    mixinStandardHelpOptions = true,
    description = {
      "Write fleet.lock into the fleet repo: for every remote chart the fleet names (each add-on's"
          + " version and every version an environment or cluster sets) and their dependencies,"
          + " the repository, chart, version and the sha256 digest of its archive, as the"
          + " repository gives it now. Commit the file: from then on an archive whose digest"
          + " differs (a chart re-tagged under the same version) is refused, and every remote"
          + " chart must be in the lock.",
      "A chart whose digest differs from the current fleet.lock is refused here too: delete its"
          + " entry first if the new archive is trusted.",
      "Exit 0 written (or nothing to lock), 1 error (nothing is written)."
    })
public final class LockCommand implements Callable<Integer> {
  @Mixin RepoOptions repo;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<String, String> env = System.getenv();
    try (Wiring wiring = new Wiring(Config.defaults(env), env, Clock.systemUTC())) {
      Fleet fleet;
      try {
        fleet = FleetLoader.loadForLocking(repo.repo(), wiring.chartAllowList());
      } catch (FleetValidationException e) {
        for (FleetError error : e.errors()) {
          err.println(error);
        }
        err.printf(
            "%s found in %s; fleet.lock not written%n",
            Plural.of(e.errors().size(), "problem"), repo.repo());
        err.flush();
        return 1;
      }
      if (fleet.declaredCharts().isEmpty() && fleet.lock() == null) {
        out.printf("%s names no remote chart: nothing to lock%n", fleet.root());
        out.flush();
        return 0;
      }
      List<ChartFetchException> failures = new ArrayList<>();
      ChartLock lock = wiring.chartFetcher().lock(fleet, failures);
      if (!failures.isEmpty()) {
        for (ChartFetchException f : failures) {
          err.println("error: " + TerminalText.of(f.getMessage()));
        }
        err.printf(
            "%s could not be locked; fleet.lock not written%n",
            Plural.of(failures.size(), "chart"));
        err.flush();
        return 1;
      }
      Path file = fleet.root().resolve(ChartLock.FILE);
      Path tmp = Files.createTempFile(fleet.root(), ".fleet.lock-", ".tmp");
      Files.writeString(tmp, lock.format(), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      for (ChartLock.Entry e : lock.entries()) {
        Optional<String> before =
            fleet.lock() == null ? Optional.empty() : fleet.lock().digestOf(e.ref());
        out.printf(
            "  %s %s  %s %s%n",
            before.isPresent() ? " " : "+",
            TerminalText.of(e.ref().toString()),
            e.digest(),
            before.isPresent() ? "" : "(new)");
      }
      if (fleet.lock() != null) {
        for (ChartLock.Entry old : fleet.lock().entries()) {
          if (lock.digestOf(old.ref()).isEmpty()) {
            out.printf("  - %s (no longer named)%n", TerminalText.of(old.ref().toString()));
          }
        }
      }
      out.printf("wrote %s: %s%n", file, Plural.of(lock.entries().size(), "chart"));
      out.flush();
      return 0;
    }
  }
}

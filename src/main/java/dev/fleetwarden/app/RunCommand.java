package dev.fleetwarden.app;

import dev.fleetwarden.fleet.FleetError;
import dev.fleetwarden.fleet.FleetValidationException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code run}: the long-running service. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run fleetwarden as a service: follow the fleet repo, scan on the schedules in schedules/,"
          + " alert and open pull requests, serve /healthz, /readyz, /metrics, /api/v1/fleet,"
          + " /api/v1/clusters/{name} and POST /webhooks/github.",
      "Without --config it runs on the embedded defaults: the example fleet, embedded API"
          + " servers (a kubeconfig for kubectl is written to the work dir), an embedded database"
          + " file and notifications on the console. Every config key can also be set by its"
          + " environment variable (see the README). SIGTERM stops it cleanly."
    })
public final class RunCommand implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE", description = "YAML config file.")
  Path config;

  @Option(
      names = "--http-port",
      paramLabel = "N",
      description = "HTTP port (default: http.port, 8080; 0 picks a free port).")
  Integer httpPort;

  @Spec CommandSpec spec;

  /** How long a stop may take before the watchdog logs where it waits. */
  static final Duration STOP_BUDGET = Duration.ofSeconds(8);

  private final CountDownLatch stopped = new CountDownLatch(1);

  /**
   * A Go runtime loaded into this JVM (helm-java's native library, should anything load it here
   * rather than in the Helm render process) installs its own SIGTERM/SIGINT handlers, which bypass
   * the JVM's shutdown hooks. Hand the signals back to the JVM so SIGTERM stops the service
   * cleanly.
   */
  @SuppressWarnings("removal")
  static void restoreTermination() {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        sun.misc.Signal.handle(
            new sun.misc.Signal(name), signal -> System.exit(128 + signal.getNumber()));
      } catch (IllegalArgumentException e) {
        // The signal is not available on this platform.
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    Map<String, String> env = System.getenv();
    Config cfg;
    try {
      cfg = Config.fromFile(config, env);
    } catch (FleetValidationException e) {
      for (FleetError error : e.errors()) {
        spec.commandLine().getErr().println(error);
      }
      spec.commandLine().getErr().flush();
      return 1;
    }
    Logging.configure(cfg.get(Setting.LOG_FORMAT), cfg.get(Setting.LOG_LEVEL));
    int port = httpPort != null ? httpPort : cfg.getInt(Setting.HTTP_PORT);
    Service service = Service.start(cfg, port, env);
    Thread hook =
        new Thread(
            () -> {
              try (StopWatchdog watchdog =
                  StopWatchdog.watch(Thread.currentThread(), STOP_BUDGET)) {
                service.close();
              }
              stopped.countDown();
            },
            "fleetwarden-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    restoreTermination();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      // Stopped from inside the JVM (tests): shut down as SIGTERM would.
      Runtime.getRuntime().removeShutdownHook(hook);
      service.close();
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}

package dev.fleetwarden.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The fleetwarden command line: every command of the CLI and the service entry point. */
@Command(
    name = "fleetwarden",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    exitCodeOnInvalidInput = 1,
    exitCodeOnExecutionException = 1,
    description = {
      "GitOps drift detection for Kubernetes fleets and their Terraform infrastructure.",
      "",
      "Exit codes (like terraform plan -detailed-exitcode): 0 in sync / valid, 2 drift found,"
          + " 1 error."
    },
    subcommands = {
      ValidateCommand.class,
      RenderCommand.class,
      DiffCommand.class,
      DemoCommand.class,
      RunCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  private Main() {}

  /**
   * The embedded API servers log every request through java.util.logging; keep the CLI quiet. A
   * strong reference: java.util.logging forgets the level of a logger nobody holds.
   */
  private static final java.util.logging.Logger FABRIC8_JUL =
      java.util.logging.Logger.getLogger("io.fabric8");

  static {
    FABRIC8_JUL.setLevel(java.util.logging.Level.WARNING);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code (tests call this instead of main). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line, for callers that redirect its output. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"fleetwarden " + (v == null ? "dev" : v)};
    }
  }
}

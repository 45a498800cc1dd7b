package dev.fleetwarden.app;

import dev.fleetwarden.report.TerminalText;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

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
      LockCommand.class,
      PreviewCommand.class,
      DemoCommand.class,
      RunCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  @Option(
      names = "--debug",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Print the stack trace of an unexpected error (default: one line).")
  boolean debug;

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
    cli.setExecutionExceptionHandler(Main::oneLine);
    return cli;
  }

  /**
   * An error that escaped a command: one line that says what went wrong (the messages of the
   * exception and its causes carry what to do), the stack trace only with {@code --debug}.
   */
  private static int oneLine(Exception e, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    boolean debug = false;
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      debug |= p.hasMatchedOption("--debug");
    }
    if (debug) {
      e.printStackTrace(err);
    } else {
      String message = e.getMessage();
      if (message == null || message.isBlank()) {
        message = e.getClass().getSimpleName();
      }
      err.println(
          "error: "
              + TerminalText.of(message.strip().lines().findFirst().orElse(""))
              + " (--debug shows the stack trace)");
    }
    err.flush();
    return 1;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"fleetwarden " + (v == null ? "dev" : v)};
    }
  }
}

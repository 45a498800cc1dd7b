package dev.fleetwarden.terraform;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@link TerraformRunner} on the {@code terraform} (or {@code tofu}) command line: {@code
 * TF_IN_AUTOMATION=1}, {@code -input=false}, {@code -no-color}, each step killed after the
 * configured timeout, its output streamed to the log line by line with the stack directory's name
 * (the cluster) in the MDC key {@code cluster}.
 */
public final class CliTerraformRunner implements TerraformRunner {
  private static final Logger LOG = LoggerFactory.getLogger(CliTerraformRunner.class);
  private static final String INIT_MARKER = ".fleetwarden-init";
  private static final int OUTPUT_TAIL_LINES = 20;
  private static final java.util.concurrent.atomic.AtomicBoolean MISSING_CLI_CONFIG_SAID =
      new java.util.concurrent.atomic.AtomicBoolean();

  private final Path binary;
  private final TerraformSettings settings;
  private final List<String> secrets;

  public CliTerraformRunner(Path binary, TerraformSettings settings) {
    this.binary = binary;
    this.settings = settings;
    this.secrets = Secrets.valuesIn(settings.environment());
  }

  public Path binary() {
    return binary;
  }

  @Override
  public void init(Path dir) throws TerraformException {
    String fingerprint = initFingerprint(dir);
    Path marker = dir.resolve(INIT_MARKER);
    try {
      if (Files.isDirectory(dir.resolve(".terraform"))
          && Files.isRegularFile(marker)
          && Files.readString(marker).equals(fingerprint)) {
        LOG.debug("terraform init skipped in {}: already prepared for this configuration", dir);
        return;
      }
    } catch (IOException e) {
      // Unreadable marker: just initialise again.
    }
    List<String> args = new ArrayList<>(List.of("init", "-input=false", "-no-color"));
    if (settings.cliConfigFile() == null && settings.pluginMirror() != null) {
      args.add("-plugin-dir=" + settings.pluginMirror().toAbsolutePath());
    }
    runLogged(dir, "init", args);
    try {
      Files.writeString(marker, fingerprint);
      PrivateFiles.restrict(marker);
    } catch (IOException e) {
      throw new TerraformException(dir, "init", "cannot write " + marker + ": " + e.getMessage());
    }
  }

  @Override
  public PlanOutcome plan(Path dir, PlanMode mode, Path planFile) throws TerraformException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "plan",
                "-input=false",
                "-no-color",
                "-lock=false",
                "-detailed-exitcode",
                "-out=" + planFile.toAbsolutePath(),
                "-json"));
    if (mode == PlanMode.REFRESH_ONLY) {
      args.add(1, "-refresh-only");
    }
    String step = mode == PlanMode.REFRESH_ONLY ? "plan -refresh-only" : "plan";
    List<PlannedChange> planned = new ArrayList<>();
    List<String> tail = new ArrayList<>();
    Outcome outcome =
        run(
            dir,
            step,
            args,
            tail,
            line -> {
              UiLine ui = UiLine.parse(line);
              if (ui.planned() != null) {
                synchronized (planned) {
                  planned.add(ui.planned());
                }
              }
              log(ui.text(), tail, ui.warning());
            },
            null);
    try {
      PrivateFiles.restrict(planFile);
    } catch (IOException e) {
      throw new TerraformException(
          dir, step, "cannot make the plan file private (0600): " + scrub(e.getMessage()), e);
    }
    synchronized (planned) {
      return new PlanOutcome(outcome.exitCode() == 2, planned);
    }
  }

  @Override
  public String showJson(Path dir, Path planFile) throws TerraformException {
    StringBuilder stdout = new StringBuilder();
    run(
        dir,
        "show",
        List.of("show", "-json", "-no-color", planFile.toAbsolutePath().toString()),
        new ArrayList<>(),
        line -> stdout.append(line).append('\n'),
        null);
    return stdout.toString();
  }

  @Override
  public boolean providerSchemas(Path dir, Path out) throws TerraformException {
    run(
        dir,
        "providers schema",
        List.of("providers", "schema", "-json"),
        new ArrayList<>(),
        line -> {},
        out);
    return true;
  }

  @Override
  public void apply(Path dir) throws TerraformException {
    runLogged(dir, "apply", List.of("apply", "-input=false", "-no-color", "-auto-approve"));
  }

  private record Outcome(int exitCode) {}

  private void runLogged(Path dir, String step, List<String> args) throws TerraformException {
    List<String> tail = new ArrayList<>();
    run(dir, step, args, tail, line -> log(line, tail, false), null);
  }

  /**
   * Runs one step: standard output goes to {@code stdoutSink} line by line (or to {@code
   * stdoutFile} when given), standard error to the log and the error tail.
   */
  private Outcome run(
      Path dir,
      String step,
      List<String> args,
      List<String> tail,
      Consumer<String> stdoutSink,
      Path stdoutFile)
      throws TerraformException {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    if (stdoutFile != null) {
      pb.redirectOutput(stdoutFile.toFile());
    }
    Map<String, String> env = pb.environment();
    env.put("TF_IN_AUTOMATION", "1");
    env.put("TF_INPUT", "0");
    env.put("CHECKPOINT_DISABLE", "1");
    if (settings.cliConfigFile() != null) {
      env.put("TF_CLI_CONFIG_FILE", settings.cliConfigFile().toAbsolutePath().toString());
    }
    env.putAll(settings.environment());
    String cliConfig = env.get("TF_CLI_CONFIG_FILE");
    if (cliConfig != null && !Files.isRegularFile(Path.of(cliConfig))) {
      // terraform would warn about the missing file at every step of every stack: say it once.
      env.remove("TF_CLI_CONFIG_FILE");
      if (MISSING_CLI_CONFIG_SAID.compareAndSet(false, true)) {
        LOG.warn(
            "TF_CLI_CONFIG_FILE names {}, which does not exist: terraform runs without a CLI"
                + " configuration",
            cliConfig);
      }
    }
    String cluster = dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
    long started = System.nanoTime();
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new TerraformException(
          dir, step, "cannot start " + binary + ": " + scrub(e.getMessage()), e);
    }
    Thread out = pump(process.getInputStream(), cluster, step, stdoutSink);
    Thread err = pump(process.getErrorStream(), cluster, step, line -> log(line, tail, true));
    boolean finished;
    try {
      finished = process.waitFor(settings.stepTimeout().toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        Processes.stop(process);
      }
      out.join(TimeUnit.SECONDS.toMillis(10));
      err.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Processes.stop(process);
      Thread.currentThread().interrupt();
      throw new TerraformException(dir, step, "interrupted; the terraform process was killed", e);
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    restrict(dir, step);
    if (!finished) {
      throw new TerraformException(
          dir,
          step,
          "timed out after "
              + settings.stepTimeout().toSeconds()
              + " s and was killed; raise terraform.stepTimeout ("
              + TerraformSettings.ENV_STEP_TIMEOUT
              + ") or check the cloud endpoint");
    }
    int exit = process.exitValue();
    LOG.info("[{}] terraform {} exited {} after {} ms", cluster, step, exit, millis);
    boolean ok = exit == 0 || (exit == 2 && args.contains("-detailed-exitcode"));
    if (!ok) {
      String last;
      synchronized (tail) {
        last = String.join("\n", tail);
      }
      throw new TerraformException(
          dir, step, "exit code " + exit + (last.isBlank() ? "" : ":\n" + last));
    }
    return new Outcome(exit);
  }

  /**
   * State, plans and backend settings hold every attribute of the cloud resources: after each step
   * they are readable by this user only (terraform creates them with the process umask).
   */
  private void restrict(Path dir, String step) throws TerraformException {
    try {
      PrivateFiles.restrictTerraformDir(dir);
    } catch (IOException e) {
      throw new TerraformException(
          dir, step, "cannot make the directory private (0700/0600): " + scrub(e.getMessage()), e);
    }
  }

  private void log(String line, List<String> tail, boolean stderr) {
    String clean = scrub(line);
    synchronized (tail) {
      if (!clean.isBlank()) {
        tail.add(clean);
        if (tail.size() > OUTPUT_TAIL_LINES) {
          tail.remove(0);
        }
      }
    }
    if (stderr) {
      LOG.warn("{}", clean);
    } else {
      LOG.info("{}", clean);
    }
  }

  private Thread pump(InputStream stream, String cluster, String step, Consumer<String> sink) {
    Thread t =
        new Thread(
            () -> {
              MDC.put("cluster", cluster);
              MDC.put("terraformStep", step);
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  sink.accept(line);
                }
              } catch (IOException e) {
                // The process was killed or closed its output: nothing more to read.
              } finally {
                MDC.clear();
              }
            },
            "terraform-" + cluster + "-" + step.replace(' ', '-'));
    t.setDaemon(true);
    t.start();
    return t;
  }

  private String scrub(String text) {
    return Secrets.scrub(text, secrets);
  }

  /** What init depends on: the terraform block (backend, providers) and the mirror setting. */
  private String initFingerprint(Path dir) throws TerraformException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      Path json = dir.resolve("cdk.tf.json");
      if (Files.isRegularFile(json)) {
        String terraformBlock =
            String.valueOf(
                new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(json.toFile())
                    .path("terraform"));
        sha.update(terraformBlock.getBytes(StandardCharsets.UTF_8));
      } else {
        // Not a CDKTF directory: no cheap way to tell, so initialise every time.
        sha.update(String.valueOf(System.nanoTime()).getBytes(StandardCharsets.UTF_8));
      }
      sha.update(String.valueOf(settings.pluginMirror()).getBytes(StandardCharsets.UTF_8));
      sha.update(String.valueOf(settings.cliConfigFile()).getBytes(StandardCharsets.UTF_8));
      sha.update(binary.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    } catch (IOException e) {
      throw new TerraformException(
          dir, "init", "cannot read cdk.tf.json: " + new UncheckedIOException(e).getMessage());
    }
  }
}

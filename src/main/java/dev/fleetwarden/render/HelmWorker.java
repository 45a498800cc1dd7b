package dev.fleetwarden.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Helm process of this JVM ({@link HelmWorkerMain}): started on first use, started again
 * after it stopped, stopped when this JVM exits. Calls are serialized.
 *
 * <p>Why a process: Helm's native code reads the real process environment (KUBECONFIG, {@code
 * ~/.kube/config}, the in-cluster service-account variables) and helm-java 0.0.21 cannot tell it to
 * render client-only, so in-process a chart's {@code lookup} reached the cluster fleetwarden itself
 * talks to, with its credentials. The process starts with an empty environment (only the locale,
 * and a private HOME, TMPDIR and KUBECONFIG); a render that takes longer than its timeout stops the
 * process.
 */
final class HelmWorker {
  private static final Logger LOG = LoggerFactory.getLogger(HelmWorker.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String STOPPED = "\u0000stopped";
  private static final int STDERR_TAIL_LINES = 20;
  private static final List<String> PASSED_ENVIRONMENT = List.of("LANG", "LC_ALL", "LC_CTYPE");
  private static final HelmWorker SHARED = new HelmWorker();

  private volatile Running running;
  private long nextId;

  private HelmWorker() {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(this::stopForShutdown, "fleetwarden-helm-worker-stop"));
  }

  static HelmWorker shared() {
    return SHARED;
  }

  /** Renders a chart in the Helm process; see {@link HelmEngine#template}. */
  synchronized String template(
      Path chartDir,
      Path valuesFile,
      String release,
      String namespace,
      String kubeVersion,
      Duration timeout)
      throws HelmEngine.HelmException {
    Running r = running();
    long id = ++nextId;
    ObjectNode request = JSON.createObjectNode();
    request.put("id", id);
    request.put("chart", chartDir.toAbsolutePath().toString());
    request.put("values", valuesFile.toAbsolutePath().toString());
    request.put("release", release);
    request.put("namespace", namespace);
    request.put("kubeVersion", kubeVersion);
    try {
      r.stdin.write(JSON.writeValueAsString(request));
      r.stdin.write('\n');
      r.stdin.flush();
    } catch (IOException e) {
      stop(r);
      throw new HelmEngine.HelmException(r.describeStop("cannot send the chart to it"), e);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        String line = left <= 0 ? null : r.responses.poll(left, TimeUnit.NANOSECONDS);
        if (line == null) {
          stop(r);
          throw new HelmEngine.HelmException(
              "rendering did not finish within "
                  + timeout.toSeconds()
                  + " s and the Helm process was stopped; look for a template that loops or"
                  + " builds a huge output",
              null);
        }
        if (line == STOPPED) {
          stop(r);
          throw new HelmEngine.HelmException(r.describeStop("it stopped while rendering"), null);
        }
        JsonNode response = JSON.readTree(line);
        if (response.path("id").asLong() != id) {
          continue; // the answer to a request whose caller gave up
        }
        if (response.hasNonNull("error")) {
          throw new HelmEngine.HelmException(response.get("error").asText(), null);
        }
        return response.path("output").asText();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HelmEngine.HelmException("interrupted while waiting for Helm", e);
    } catch (IOException e) {
      stop(r);
      throw new HelmEngine.HelmException(r.describeStop("its answer is unreadable"), e);
    }
  }

  private Running running() throws HelmEngine.HelmException {
    if (running != null && running.process.isAlive()) {
      return running;
    }
    if (running != null) {
      stop(running);
    }
    try {
      running = start();
    } catch (IOException e) {
      throw new HelmEngine.HelmException("cannot start the Helm process: " + e.getMessage(), e);
    }
    return running;
  }

  private static Running start() throws IOException {
    Path scratch = Files.createTempDirectory("fleetwarden-helm-");
    Path home = Files.createDirectories(scratch.resolve("home"));
    Path tmp = Files.createDirectories(scratch.resolve("tmp"));
    Path kubeconfig = scratch.resolve("kubeconfig");
    String jnaTmp = System.getProperty("jna.tmpdir", tmp.toString());
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx384m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-XX:-UsePerfData",
            "-Djava.io.tmpdir=" + tmp,
            "-Djna.tmpdir=" + jnaTmp,
            "-cp",
            classPath(),
            HelmWorkerMain.class.getName(),
            kubeconfig.toString());
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.clear();
    env.putAll(environment(System.getenv(), home, tmp, kubeconfig));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      deleteTree(scratch);
      throw e;
    }
    Running r = new Running(process, scratch);
    process.onExit().thenRun(() -> deleteTree(scratch));
    LOG.debug("started the Helm process (pid {})", process.pid());
    return r;
  }

  /**
   * The whole environment of the Helm process: the parent's locale, and a private home, temporary
   * directory and kubeconfig. Nothing else of the parent (KUBECONFIG, KUBERNETES_SERVICE_HOST,
   * cloud credentials, tokens) reaches Helm.
   */
  static Map<String, String> environment(
      Map<String, String> parent, Path home, Path tmp, Path kubeconfig) {
    Map<String, String> env = new TreeMap<>();
    for (String name : PASSED_ENVIRONMENT) {
      String value = parent.get(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    env.put("HOME", home.toString());
    env.put("TMPDIR", tmp.toString());
    env.put("KUBECONFIG", kubeconfig.toString());
    return env;
  }

  /** The class path of this JVM with absolute entries, for a child whose directory may differ. */
  private static String classPath() {
    return Stream.of(System.getProperty("java.class.path", "").split(File.pathSeparator))
        .filter(s -> !s.isEmpty())
        .map(s -> Path.of(s).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  private void stop(Running r) {
    if (running == r) {
      running = null;
    }
    r.process.destroyForcibly();
  }

  /** Not synchronized: a render in progress must not hold up the JVM's exit. */
  private void stopForShutdown() {
    Running r = running;
    running = null;
    if (r == null) {
      return;
    }
    try {
      r.stdin.close(); // the process exits on end of input and removes its own files
      if (!r.process.waitFor(2, TimeUnit.SECONDS)) {
        r.process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
      }
    } catch (IOException | InterruptedException e) {
      r.process.destroyForcibly();
    }
    deleteTree(r.scratch);
  }

  /** Removes a scratch directory; the exit callback and the shutdown hook may race to it. */
  private static synchronized void deleteTree(Path dir) {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("cannot remove the Helm process's directory {}: {}", dir, e.toString());
    }
  }

  /** A started Helm process, its pipes and its scratch directory. */
  private static final class Running {
    final Process process;
    final Path scratch;
    final Writer stdin;
    final BlockingQueue<String> responses = new LinkedBlockingQueue<>();
    final Deque<String> stderrTail = new ArrayDeque<>();

    Running(Process process, Path scratch) {
      this.process = process;
      this.scratch = scratch;
      this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      drain(
          process.getInputStream(),
          "stdout",
          line -> {
            int mark = line.indexOf(HelmWorkerMain.RESPONSE_MARK);
            if (mark >= 0) {
              responses.add(line.substring(mark + HelmWorkerMain.RESPONSE_MARK.length()));
            } else {
              LOG.debug("helm: {}", line);
            }
          },
          () -> responses.add(STOPPED));
      drain(
          process.getErrorStream(),
          "stderr",
          line -> {
            LOG.debug("helm: {}", line);
            synchronized (stderrTail) {
              stderrTail.addLast(line);
              if (stderrTail.size() > STDERR_TAIL_LINES) {
                stderrTail.removeFirst();
              }
            }
          },
          () -> {});
    }

    /** Why the process is gone: its exit code and the end of what it wrote on stderr. */
    String describeStop(String what) {
      try {
        process.waitFor(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      String exit = process.isAlive() ? "still running" : "exit " + process.exitValue();
      List<String> tail;
      synchronized (stderrTail) {
        tail = new ArrayList<>(stderrTail);
      }
      return "the Helm process failed ("
          + exit
          + "): "
          + what
          + (tail.isEmpty() ? "" : "; its last output: " + String.join(" | ", tail));
    }

    private void drain(InputStream in, String name, Consumer<String> lines, Runnable atEnd) {
      Thread t =
          new Thread(
              () -> {
                try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = reader.readLine()) != null) {
                    lines.accept(line);
                  }
                } catch (IOException e) {
                  // the process is gone
                } finally {
                  atEnd.run();
                }
              },
              "fleetwarden-helm-" + name + "-" + process.pid());
      t.setDaemon(true);
      t.start();
    }
  }
}

package dev.fleetwarden.terraform;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hashicorp.cdktf.App;
import com.hashicorp.cdktf.AppConfig;
import dev.fleetwarden.cdktf.ClusterStack;
import dev.fleetwarden.cdktf.StackInputs;
import dev.fleetwarden.cdktf.StackOptions;
import dev.fleetwarden.cdktf.TerraformLiteral;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link StackSynthesizer} running CDK for Terraform in this JVM. jsii (the bridge to the
 * JavaScript CDKTF runtime) is not thread-safe, so every synthesis runs on one dedicated thread,
 * whatever thread calls, and synthesizers of the same JVM take turns. A cluster is skipped when the
 * hash of its inputs, the stack options and the stack code equals the one recorded next to its
 * {@code cdk.tf.json}.
 */
public final class CdktfStackSynthesizer implements StackSynthesizer, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CdktfStackSynthesizer.class);
  static final String STACK_FILE = "cdk.tf.json";
  static final String HASH_FILE = ".fleetwarden-inputs.sha256";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String STACK_CODE_HASH = stackCodeHash();

  /** The jsii runtime is one per JVM: synthesizers (checker, remediation) take turns. */
  private static final Object JSII = new Object();

  private final Path workDir;
  private final StackOptions options;
  private final ExecutorService jsiiThread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "cdktf-synth");
            t.setDaemon(true);
            return t;
          });

  public CdktfStackSynthesizer(Path workDir, StackOptions options) {
    this.workDir = workDir;
    this.options = options;
    JsiiConsole.install();
  }

  @Override
  public Map<String, Synthesized> synthesize(List<StackInputs> clusters) throws SynthesisException {
    Future<Map<String, Synthesized>> result =
        jsiiThread.submit(
            () -> {
              synchronized (JSII) {
                return synthesizeNow(clusters);
              }
            });
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SynthesisException(names(clusters), "interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SynthesisException se) {
        throw se;
      }
      throw new SynthesisException(names(clusters), String.valueOf(cause.getMessage()), cause);
    }
  }

  private Map<String, Synthesized> synthesizeNow(List<StackInputs> clusters)
      throws SynthesisException, IOException {
    Map<String, Synthesized> out = new LinkedHashMap<>();
    Map<StackInputs, String> changed = new LinkedHashMap<>();
    for (StackInputs in : clusters) {
      Path dir = workDir.resolve(in.cluster());
      String hash = hash(in);
      if (Files.isRegularFile(dir.resolve(STACK_FILE))
          && Files.isRegularFile(dir.resolve(HASH_FILE))
          && Files.readString(dir.resolve(HASH_FILE)).equals(hash)) {
        out.put(in.cluster(), new Synthesized(in.cluster(), dir, false));
      } else {
        changed.put(in, hash);
      }
    }
    if (changed.isEmpty()) {
      return out;
    }
    PrivateFiles.createDirectories(workDir);
    Path outdir = Files.createTempDirectory(workDir, ".synth-");
    long started = System.nanoTime();
    try {
      App app = new App(AppConfig.builder().outdir(outdir.toString()).stackTraces(false).build());
      for (StackInputs in : changed.keySet()) {
        try {
          new ClusterStack(app, in, options);
        } catch (RuntimeException e) {
          throw new SynthesisException(in.cluster(), String.valueOf(e.getMessage()), e);
        }
      }
      try {
        app.synth();
      } catch (RuntimeException e) {
        throw new SynthesisException(names(changed.keySet()), String.valueOf(e.getMessage()), e);
      }
      for (Map.Entry<StackInputs, String> e : changed.entrySet()) {
        String cluster = e.getKey().cluster();
        Path synthesized = outdir.resolve("stacks").resolve(cluster).resolve(STACK_FILE);
        if (!Files.isRegularFile(synthesized)) {
          throw new SynthesisException(cluster, "CDKTF wrote no " + synthesized, null);
        }
        Path dir = PrivateFiles.createDirectories(workDir.resolve(cluster));
        PrivateFiles.restrict(synthesized);
        Files.move(
            synthesized,
            dir.resolve(STACK_FILE),
            StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(dir.resolve(HASH_FILE), e.getValue());
        PrivateFiles.restrict(dir.resolve(HASH_FILE));
        out.put(cluster, new Synthesized(cluster, dir, true));
      }
    } finally {
      deleteTree(outdir);
    }
    LOG.info(
        "synthesized {} stack(s) in {} ms ({} unchanged)",
        changed.size(),
        (System.nanoTime() - started) / 1_000_000,
        clusters.size() - changed.size());
    return out;
  }

  private String hash(StackInputs in) throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(JSON.writeValueAsBytes(in));
      sha.update(JSON.writeValueAsBytes(new java.util.TreeMap<>(options.endpoints())));
      sha.update(JSON.writeValueAsBytes(options.backend()));
      sha.update(STACK_CODE_HASH.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  /** The stack code itself is an input: a new fleetwarden version may build other resources. */
  private static String stackCodeHash() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Class<?> code : List.of(ClusterStack.class, TerraformLiteral.class)) {
        try (InputStream in = code.getResourceAsStream(code.getSimpleName() + ".class")) {
          if (in != null) {
            sha.update(in.readAllBytes());
          }
        }
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (IOException | NoSuchAlgorithmException e) {
      return "unknown";
    }
  }

  private static String names(Iterable<StackInputs> clusters) {
    List<String> names = new ArrayList<>();
    clusters.forEach(c -> names.add(c.cluster()));
    return String.join(", ", names);
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", root, e.getMessage());
    }
  }

  @Override
  public void close() {
    jsiiThread.shutdownNow();
  }
}

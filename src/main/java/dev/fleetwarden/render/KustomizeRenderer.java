package dev.fleetwarden.render;

import dev.fleetwarden.fleet.FleetError;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.LocatedYaml;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds a Kustomize directory with {@code kustomize build <dir>} or, when kustomize is absent,
 * {@code kubectl kustomize <dir>}, whichever is found on PATH first (looked up once). Before the
 * build, {@link KustomizationCheck} refuses every kustomization that would read from the network,
 * run Helm or leave the fleet repo; the build itself runs with kustomize's root-only load
 * restrictor, in a scratch directory, with an environment of its own that holds nothing of
 * fleetwarden's (no credentials), no program on PATH (so no git or helm), a proxy that goes nowhere
 * and an empty kubeconfig. Output is cached by the content of the add-on directory and of every
 * kustomization directory the build reads. Each object's source is the kustomization file.
 */
public final class KustomizeRenderer {
  /** Finds an executable by name (on PATH in production; a fake in tests). */
  @FunctionalInterface
  public interface ExecutableLookup {
    Optional<Path> find(String name);

    /** Looks the name up in the directories of the {@code PATH} environment variable. */
    static ExecutableLookup path() {
      return name -> {
        String path = System.getenv("PATH");
        if (path == null) {
          return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
          if (dir.isEmpty()) {
            continue;
          }
          Path candidate = Path.of(dir, name);
          if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
            return Optional.of(candidate);
          }
        }
        return Optional.empty();
      };
    }
  }

  /** kustomize's flag that keeps every file a kustomization loads under its own directory. */
  static final String LOAD_RESTRICTOR = "--load-restrictor";

  static final String ROOT_ONLY = "LoadRestrictionsRootOnly";

  /** Nothing listens on the discard port of the loopback address: connections fail at once. */
  static final String DEAD_PROXY = "http://127.0.0.1:9";

  private final ExecutableLookup lookup;
  private final Duration timeout;
  private final Map<String, String> cache =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> e) {
              return size() > 256;
            }
          });
  private volatile Optional<List<String>> command;

  public KustomizeRenderer() {
    this(ExecutableLookup.path(), Duration.ofSeconds(60));
  }

  public KustomizeRenderer(ExecutableLookup lookup, Duration timeout) {
    this.lookup = lookup;
    this.timeout = timeout;
  }

  /** The command that builds a directory (without the directory), or empty when none exists. */
  Optional<List<String>> command() {
    Optional<List<String>> c = command;
    if (c == null) {
      synchronized (this) {
        if (command == null) {
          command =
              lookup
                  .find(ExternalTools.KUSTOMIZE)
                  .map(p -> List.of(p.toString(), "build"))
                  .or(
                      () ->
                          lookup
                              .find(ExternalTools.KUBECTL)
                              .map(p -> List.of(p.toString(), "kustomize")));
        }
        c = command;
      }
    }
    return c;
  }

  List<RenderedDocument> render(
      Path repoRoot, String dirRel, String addonDirRel, String addon, ContentHashes hashes)
      throws RenderException {
    List<String> directories = KustomizationCheck.check(repoRoot, dirRel, addon);
    String kustomization = kustomizationFile(repoRoot, dirRel);
    List<String> cmd =
        command()
            .orElseThrow(
                () ->
                    new RenderException(
                        addon,
                        kustomization,
                        0,
                        "cannot build the Kustomize directory "
                            + dirRel
                            + ": neither 'kustomize' nor 'kubectl' is on PATH; install one of"
                            + " them (kustomize build or kubectl kustomize)"));
    List<String> keyParts = new ArrayList<>();
    keyParts.add(String.join(" ", cmd));
    keyParts.add(hashes.directory(repoRoot.resolve(addonDirRel)));
    for (String dir : directories) {
      keyParts.add(dir);
      keyParts.add(hashes.directory(repoRoot.resolve(dir)));
    }
    String key = ContentHashes.sha256(keyParts.toArray(String[]::new));
    String output = cache.get(key);
    if (output == null) {
      output = run(cmd, repoRoot, dirRel, kustomization, addon);
      cache.put(key, output);
    }
    List<LocatedYaml.Document> docs;
    try {
      docs = LocatedYaml.parseAll(kustomization, output);
    } catch (FleetValidationException e) {
      FleetError err = e.errors().get(0);
      throw new RenderException(
          addon, kustomization, 0, "kustomize output is not YAML: " + err.message());
    }
    List<RenderedDocument> out = new ArrayList<>();
    for (LocatedYaml.Document d : docs) {
      ObjectDocuments.add(d.root(), kustomization, addon, 0, out);
    }
    return out;
  }

  private String run(
      List<String> cmd, Path repoRoot, String dirRel, String kustomization, String addon)
      throws RenderException {
    List<String> full = new ArrayList<>(cmd);
    full.addAll(List.of(LOAD_RESTRICTOR, ROOT_ONLY));
    full.add(repoRoot.resolve(dirRel).toAbsolutePath().toString());
    String shown = String.join(" ", cmd);
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory("fleetwarden-kustomize-");
      Map<String, String> env = childEnvironment(scratch);
      Files.createDirectories(Path.of(env.get("PATH")));
      Files.createDirectories(Path.of(env.get("HOME")));
      Files.createDirectories(Path.of(env.get("TMPDIR")));
      Files.createFile(Path.of(env.get("KUBECONFIG")));
      Path stdout = scratch.resolve("stdout");
      Path stderr = scratch.resolve("stderr");
      ProcessBuilder pb =
          new ProcessBuilder(full)
              .directory(scratch.toFile())
              .redirectOutput(stdout.toFile())
              .redirectError(stderr.toFile());
      pb.environment().clear();
      pb.environment().putAll(env);
      Process p = pb.start();
      p.getOutputStream().close();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        throw new RenderException(
            addon,
            kustomization,
            0,
            shown
                + " did not finish within "
                + timeout.toSeconds()
                + " s; make the kustomization smaller or raise the timeout");
      }
      if (p.exitValue() != 0) {
        throw new RenderException(
            addon,
            kustomization,
            0,
            shown
                + " failed (exit "
                + p.exitValue()
                + "): "
                + oneLine(Files.readString(stderr))
                + "; fix the kustomization and check with "
                + shown
                + " "
                + LOAD_RESTRICTOR
                + " "
                + ROOT_ONLY);
      }
      return Files.readString(stdout);
    } catch (IOException e) {
      throw new RenderException(addon, kustomization, 0, "cannot run " + shown + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RenderException(addon, kustomization, 0, "interrupted while running kustomize");
    } finally {
      deleteQuietly(scratch);
    }
  }

  /**
   * The whole environment of the build: nothing inherited (fleetwarden's own variables may hold
   * credentials), a PATH with no programs (a local build needs none; kustomize would need git for
   * remote bases and helm for charts), HOME and temporary files in the scratch directory, an empty
   * kubeconfig (kustomize never talks to a cluster), and proxies that lead nowhere, so that
   * whatever the checks missed cannot reach a remote host.
   */
  static Map<String, String> childEnvironment(Path scratch) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", scratch.resolve("bin").toString());
    env.put("HOME", scratch.resolve("home").toString());
    env.put("TMPDIR", scratch.resolve("tmp").toString());
    env.put("XDG_CONFIG_HOME", scratch.resolve("home/.config").toString());
    env.put("XDG_CACHE_HOME", scratch.resolve("home/.cache").toString());
    env.put("KUBECONFIG", scratch.resolve("kubeconfig").toString());
    for (String proxy :
        List.of(
            "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")) {
      env.put(proxy, DEAD_PROXY);
    }
    env.put("NO_PROXY", "");
    env.put("no_proxy", "");
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_TERMINAL_PROMPT", "0");
    env.put("GIT_ALLOW_PROTOCOL", "none");
    return env;
  }

  private static String oneLine(String s) {
    String t = s.strip().replaceAll("\\s+", " ");
    return t.length() > 2000 ? t.substring(0, 2000) + "..." : t;
  }

  private static String kustomizationFile(Path repoRoot, String dirRel) {
    for (String name : KustomizationCheck.FILE_NAMES) {
      if (Files.isRegularFile(repoRoot.resolve(dirRel).resolve(name))) {
        return dirRel + "/" + name;
      }
    }
    return dirRel + "/kustomization.yaml";
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException ignored) {
      // a leftover scratch directory is harmless
    }
  }
}

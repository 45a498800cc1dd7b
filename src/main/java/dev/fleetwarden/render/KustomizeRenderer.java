package dev.fleetwarden.render;

import dev.fleetwarden.fleet.FleetError;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.LocatedYaml;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Builds a Kustomize directory with {@code kustomize build <dir>} or, when kustomize is absent,
 * {@code kubectl kustomize <dir>}, whichever is found on PATH first (looked up once). Output is
 * cached by the content of the add-on directory and the kustomization directory. Each object's
 * source is the kustomization file.
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
                  .find("kustomize")
                  .map(p -> List.of(p.toString(), "build"))
                  .or(() -> lookup.find("kubectl").map(p -> List.of(p.toString(), "kustomize")));
        }
        c = command;
      }
    }
    return c;
  }

  List<RenderedDocument> render(
      Path repoRoot, String dirRel, String addonDirRel, String addon, ContentHashes hashes)
      throws RenderException {
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
    String key =
        ContentHashes.sha256(
            String.join(" ", cmd),
            hashes.directory(repoRoot.resolve(addonDirRel)),
            hashes.directory(repoRoot.resolve(dirRel)));
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
    full.add(repoRoot.resolve(dirRel).toString());
    Path stdout = null;
    Path stderr = null;
    try {
      stdout = Files.createTempFile("fleetwarden-kustomize-", ".out");
      stderr = Files.createTempFile("fleetwarden-kustomize-", ".err");
      Process p =
          new ProcessBuilder(full)
              .directory(repoRoot.toFile())
              .redirectOutput(stdout.toFile())
              .redirectError(stderr.toFile())
              .start();
      p.getOutputStream().close();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new RenderException(
            addon,
            kustomization,
            0,
            String.join(" ", cmd)
                + " did not finish within "
                + timeout.toSeconds()
                + " s; check for remote bases (the build must work offline)");
      }
      if (p.exitValue() != 0) {
        String err = Files.readString(stderr).trim();
        throw new RenderException(
            addon,
            kustomization,
            0,
            String.join(" ", cmd)
                + " failed (exit "
                + p.exitValue()
                + "): "
                + err
                + "; fix the kustomization and check with the same command");
      }
      return Files.readString(stdout);
    } catch (IOException e) {
      throw new RenderException(
          addon, kustomization, 0, "cannot run " + String.join(" ", cmd) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RenderException(addon, kustomization, 0, "interrupted while running kustomize");
    } finally {
      deleteQuietly(stdout);
      deleteQuietly(stderr);
    }
  }

  private static String kustomizationFile(Path repoRoot, String dirRel) {
    for (String name : List.of("kustomization.yaml", "kustomization.yml", "Kustomization")) {
      if (Files.isRegularFile(repoRoot.resolve(dirRel).resolve(name))) {
        return dirRel + "/" + name;
      }
    }
    return dirRel + "/kustomization.yaml";
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // a leftover temp file is harmless
      }
    }
  }
}

package dev.fleetwarden.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Kustomize child process gets: a real process (a shell script standing in for {@code
 * kustomize}) records its arguments and environment, which must hold nothing of fleetwarden's own
 * environment, no usable PATH, a dead proxy and an empty kubeconfig.
 */
class KustomizeChildProcessIT {
  @TempDir Path tmp;

  private static final Pattern EXPORT =
      Pattern.compile("^export ([A-Za-z_][A-Za-z0-9_]*)(=(.*))?$");

  @Test
  void theBuildRunsWithTheLoadRestrictorAndAMinimalEnvironmentThatCannotReachTheNetwork()
      throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "/bin/sh is needed");
    Path record = tmp.resolve("record");
    Files.createDirectories(record);
    Path probe = tmp.resolve("tools/kustomize");
    Files.createDirectories(probe.getParent());
    // Builtins only: the child's PATH must not find any program.
    Files.writeString(
        probe,
        "#!/bin/sh\n"
            + "export -p > '"
            + record.resolve("env")
            + "'\n"
            + "printf '%s\\n' \"$@\" > '"
            + record.resolve("args")
            + "'\n"
            + "printf '%s\\n' \"$PATH\"/* > '"
            + record.resolve("path-entries")
            + "'\n"
            + "printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: probe\\n'\n");
    Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path repo = tmp.resolve("fleet");
    Files.createDirectories(repo.resolve("addons/a/base"));
    Files.writeString(
        repo.resolve("addons/a/base/kustomization.yaml"), "resources:\n  - cm.yaml\n");
    Files.writeString(
        repo.resolve("addons/a/base/cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");

    KustomizeRenderer renderer =
        new KustomizeRenderer(
            name -> name.equals("kustomize") ? Optional.of(probe) : Optional.empty(),
            Duration.ofSeconds(30));
    List<RenderedDocument> docs =
        renderer.render(repo, "addons/a/base", "addons/a", "a", new ContentHashes(repo));
    assertThat(docs).hasSize(1);

    List<String> args = Files.readAllLines(record.resolve("args"));
    assertThat(args)
        .containsExactly(
            "build",
            "--load-restrictor",
            "LoadRestrictionsRootOnly",
            repo.resolve("addons/a/base").toString());

    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Files.readAllLines(record.resolve("env"))) {
      Matcher m = EXPORT.matcher(line);
      if (m.matches()) {
        String v = m.group(3) == null ? "" : m.group(3);
        if (v.length() >= 2 && v.startsWith("'") && v.endsWith("'")) {
          v = v.substring(1, v.length() - 1);
        }
        env.put(m.group(1), v);
      }
    }
    Set<String> allowed =
        Set.of(
            "PATH",
            "HOME",
            "TMPDIR",
            "XDG_CONFIG_HOME",
            "XDG_CACHE_HOME",
            "KUBECONFIG",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "NO_PROXY",
            "http_proxy",
            "https_proxy",
            "all_proxy",
            "no_proxy",
            "GIT_CONFIG_NOSYSTEM",
            "GIT_TERMINAL_PROMPT",
            "GIT_ALLOW_PROTOCOL",
            // set by the shell itself
            "PWD",
            "OLDPWD",
            "SHLVL",
            "_");
    Set<String> own = new TreeSet<>(System.getenv().keySet());
    own.removeAll(allowed);
    assertThat(own).as("variables of the test JVM that the child must not get").isNotEmpty();
    assertThat(env.keySet()).isSubsetOf(allowed).doesNotContainAnyElementsOf(own);

    assertThat(env.get("HTTP_PROXY")).isEqualTo("http://127.0.0.1:9");
    assertThat(env.get("HTTPS_PROXY")).isEqualTo("http://127.0.0.1:9");
    assertThat(env.get("NO_PROXY")).isEmpty();
    assertThat(env.get("PATH")).isNotEqualTo(System.getenv("PATH"));
    Path scratch = Path.of(env.get("HOME")).getParent();
    assertThat(Path.of(env.get("PATH")).startsWith(scratch)).as("PATH in scratch").isTrue();
    assertThat(Path.of(env.get("KUBECONFIG")).startsWith(scratch)).as("KUBECONFIG").isTrue();
    // The shell leaves an unmatched glob as it is: the PATH directory was empty.
    assertThat(Files.readAllLines(record.resolve("path-entries")))
        .containsExactly(env.get("PATH") + "/*");
    assertThat(scratch).as("the scratch directory is removed after the build").doesNotExist();
  }
}

package dev.fleetwarden.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetwarden.app.Main;
import dev.fleetwarden.fleet.FleetError;
import dev.fleetwarden.fleet.FleetLoader;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.RepoFiles;
import dev.fleetwarden.model.ClusterRender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A fleet repo on disk whose files are symbolic links to host files: a manifest to {@code
 * /etc/passwd}, a chart file read by {@code .Files.Get} (Helm itself follows links) and a values
 * file to a stand-in for a service-account token. Loading refuses every link with its path,
 * rendering refuses one added after loading, and the CLI shows no byte of the targets. Real Helm
 * (helm-java) renders the charts.
 */
class SymlinkRenderIT {
  private static final String HOST_TOKEN = "host-sa-token-0a9d4e";
  private static final String PASSWD_LINE = "root:x:0:0";

  @TempDir Path tmp;
  Path root;
  Path hostToken;

  @BeforeEach
  void writeFleet() throws Exception {
    hostToken = tmp.resolve("host/token");
    Files.createDirectories(hostToken.getParent());
    Files.writeString(hostToken, "controller: {replicas: 1}\n# " + HOST_TOKEN + "\n");
    root = HelmLookupIT.writeFleet(tmp.resolve("fleet"));
    RenderFixtures.write(
        root.resolve("addons/leaky/chart/templates/files.yaml"),
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: chart-files
        data:
          token: {{ .Files.Get "files/token" | quote }}
        """);
    RenderFixtures.write(root.resolve("addons/leaky/chart/files/token"), "chart-owned\n");
    RenderFixtures.write(root.resolve("addons/leaky/chart/values.yaml"), "replicas: 1\n");
    RenderFixtures.write(
        root.resolve("addons/plain/addon.yaml"),
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Addon
        metadata:
          name: plain
        spec:
          namespace: plain
          source:
            manifests: {path: manifests}
          clusterSelector: {}
        """);
    RenderFixtures.write(
        root.resolve("addons/plain/manifests/cm.yaml"),
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: plain
        """);
    assertThat(new FleetRenderer().renderCluster(RenderFixtures.load(root), "mgmt").failed())
        .as("the fleet renders without links")
        .isFalse();
  }

  private void link(String rel, Path target) throws Exception {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.deleteIfExists(p);
    Files.createSymbolicLink(p, target);
  }

  @Test
  void loadingRefusesEveryLinkAndNamesItsPath() throws Exception {
    link("addons/plain/manifests/passwd.yaml", Path.of("/etc/passwd"));
    link("addons/leaky/chart/files/token", hostToken);
    link("clusters/mgmt/values/leaky.yaml", hostToken);

    assertThatThrownBy(() -> FleetLoader.load(root))
        .isInstanceOfSatisfying(
            FleetValidationException.class,
            e -> {
              assertThat(e.errors())
                  .extracting(FleetError::toString)
                  .containsExactly(
                      "addons/leaky/chart/files/token: " + RepoFiles.SYMLINK_MESSAGE,
                      "addons/plain/manifests/passwd.yaml: " + RepoFiles.SYMLINK_MESSAGE,
                      "clusters/mgmt/values/leaky.yaml: " + RepoFiles.SYMLINK_MESSAGE);
              assertThat(e.getMessage()).doesNotContain(HOST_TOKEN).doesNotContain(PASSWD_LINE);
            });
  }

  @Test
  void renderingRefusesALinkInAChartEvenWhenHelmWouldFollowIt() throws Exception {
    var fleet = RenderFixtures.load(root);
    link("addons/leaky/chart/files/token", hostToken);

    ClusterRender render = new FleetRenderer().renderCluster(fleet, "mgmt");

    assertThat(render.failed()).isTrue();
    assertThat(render.error().file()).isEqualTo("addons/leaky/chart/files/token");
    assertThat(render.error().toString())
        .contains("symlinks are not allowed in the fleet repo")
        .doesNotContain(HOST_TOKEN);
    assertThat(render.objects()).isEmpty();
  }

  @Test
  void renderingRefusesLinkedManifestsChartValuesAndDirectories() throws Exception {
    var fleet = RenderFixtures.load(root);
    link("addons/plain/manifests/passwd.yaml", Path.of("/etc/passwd"));
    assertRefused(fleet, "addons/plain/manifests/passwd.yaml");

    Files.delete(root.resolve("addons/plain/manifests/passwd.yaml"));
    link("addons/plain/manifests/etc", Path.of("/etc"));
    assertRefused(fleet, "addons/plain/manifests/etc");

    Files.delete(root.resolve("addons/plain/manifests/etc"));
    link("addons/leaky/chart/values.yaml", hostToken);
    assertRefused(fleet, "addons/leaky/chart/values.yaml");
  }

  private static void assertRefused(dev.fleetwarden.fleet.Fleet fleet, String path) {
    ClusterRender render = new FleetRenderer().renderCluster(fleet, "mgmt");
    assertThat(render.failed()).as("render with %s", path).isTrue();
    assertThat(render.error().file()).isEqualTo(path);
    assertThat(render.error().message()).startsWith("symlinks are not allowed in the fleet repo");
    assertThat(render.error().toString()).doesNotContain(HOST_TOKEN).doesNotContain(PASSWD_LINE);
  }

  @Test
  void theRenderCommandNamesTheLinkAndPrintsNothingOfItsTarget() throws Exception {
    link("addons/plain/manifests/passwd.yaml", Path.of("/etc/passwd"));
    link("addons/leaky/chart/files/token", hostToken);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(new PrintStream(out, true, StandardCharsets.UTF_8), true));
    cli.setErr(new PrintWriter(new PrintStream(err, true, StandardCharsets.UTF_8), true));

    int code = cli.execute("render", "--repo", root.toString(), "-q");

    String all = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    assertThat(code).as(all).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("addons/plain/manifests/passwd.yaml: symlinks are not allowed in the fleet repo")
        .contains("addons/leaky/chart/files/token: symlinks are not allowed in the fleet repo");
    assertThat(all).doesNotContain(HOST_TOKEN).doesNotContain(PASSWD_LINE);
  }
}

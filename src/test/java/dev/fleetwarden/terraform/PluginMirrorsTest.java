package dev.fleetwarden.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginMirrorsTest {
  @TempDir Path tmp;

  private Path mirrorAt(Path root) throws Exception {
    Files.createDirectories(
        root.resolve("registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64"));
    return root;
  }

  @Test
  void configuredMirrorWins() throws Exception {
    Path mirror = mirrorAt(tmp.resolve("configured"));
    Path home = tmp.resolve("home");
    mirrorAt(home.resolve(".terraform.d/plugins"));

    assertThat(
            PluginMirrors.discover(
                Map.of(
                    TerraformSettings.ENV_PLUGIN_MIRROR,
                    mirror.toString(),
                    "HOME",
                    home.toString())))
        .contains(mirror);
  }

  @Test
  void findsTerraformsImpliedLocalMirrors() throws Exception {
    Path home = tmp.resolve("home");
    Path xdg = mirrorAt(home.resolve(".local/share/terraform/plugins"));

    assertThat(PluginMirrors.discover(Map.of("HOME", home.toString()))).contains(xdg);

    Path dataDir = tmp.resolve("share");
    Path shared = mirrorAt(dataDir.resolve("terraform/plugins"));
    assertThat(
            PluginMirrors.discover(
                Map.of(
                    "HOME", tmp.resolve("nohome").toString(), "XDG_DATA_DIRS", dataDir.toString())))
        .contains(shared);
  }

  @Test
  void findsTheFilesystemMirrorOfTheCliConfiguration() throws Exception {
    Path mirror = mirrorAt(tmp.resolve("declared"));
    Path rc = tmp.resolve("terraformrc");
    Files.writeString(
        rc,
        "provider_installation {\n  filesystem_mirror {\n    path = \""
            + mirror
            + "\"\n    include = [\"registry.terraform.io/hashicorp/aws\"]\n  }\n}\n");

    assertThat(PluginMirrors.candidates(Map.of("TF_CLI_CONFIG_FILE", rc.toString())))
        .contains(mirror);
  }

  @Test
  void aDirectoryWithoutTheAwsProviderIsNoMirror() throws Exception {
    Files.createDirectories(tmp.resolve("empty/registry.terraform.io/hashicorp/aws"));
    assertThat(PluginMirrors.holdsAws(tmp.resolve("empty"))).isFalse();
    assertThat(PluginMirrors.holdsAws(mirrorAt(tmp.resolve("full")))).isTrue();
  }
}

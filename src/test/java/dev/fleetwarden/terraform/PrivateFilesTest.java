package dev.fleetwarden.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {
  @TempDir Path tmp;

  static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void newDirectoriesAreOwnerOnlyAndExistingOnesAreTightened() throws Exception {
    Path fresh = tmp.resolve("a/work");
    Path existing = Files.createDirectory(tmp.resolve("open"));
    Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwxrwxrwx"));

    PrivateFiles.createDirectories(fresh);
    PrivateFiles.createDirectories(existing);

    assertThat(mode(fresh)).isEqualTo("rwx------");
    assertThat(mode(existing)).isEqualTo("rwx------");
  }

  @Test
  void aFileInThePlaceOfTheDirectoryIsAnError() throws Exception {
    Path file = Files.writeString(tmp.resolve("work"), "x");

    assertThatThrownBy(() -> PrivateFiles.createDirectories(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a directory");
  }

  @Test
  void aDirectoryOfAnotherUserIsRefusedOneOfRootIsUsedAsItIs() throws Exception {
    UserPrincipal me = Files.getOwner(tmp);
    Path root = Path.of("/");
    if (me.equals(Files.getOwner(root))) {
      // As root: a directory another user created first (in /tmp, say) is refused.
      Path foreign = Files.createDirectory(tmp.resolve("fleetwarden-terraform"));
      Files.setOwner(
          foreign,
          foreign.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("65534"));

      assertThatThrownBy(() -> PrivateFiles.createDirectories(foreign))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(foreign.toString())
          .hasMessageContaining("of your own");
    } else {
      // As anyone else: root's directories (a mounted volume, say) are used unchanged.
      String before = mode(root);

      assertThat(PrivateFiles.createDirectories(root)).isEqualTo(root);
      assertThat(mode(root)).isEqualTo(before);
    }
  }

  @Test
  void aTerraformDirectoryKeepsProvidersRunnableAndHidesStateAndPlans() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("prod-eu-1"));
    for (String f :
        new String[] {
          "terraform.tfstate", "terraform.tfstate.backup", "fleetwarden.tfplan", "cdk.tf.json"
        }) {
      Files.writeString(dir.resolve(f), "{}");
      Files.setPosixFilePermissions(dir.resolve(f), PosixFilePermissions.fromString("rw-r--r--"));
    }
    Path dotTerraform = Files.createDirectories(dir.resolve(".terraform/providers"));
    Path backend = Files.writeString(dir.resolve(".terraform/terraform.tfstate"), "{}");
    Path provider = Files.writeString(dotTerraform.resolve("terraform-provider-aws"), "#!");
    Files.setPosixFilePermissions(provider, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

    PrivateFiles.restrictTerraformDir(dir);

    assertThat(mode(dir)).isEqualTo("rwx------");
    assertThat(mode(dir.resolve(".terraform"))).isEqualTo("rwx------");
    assertThat(mode(backend)).isEqualTo("rw-------");
    for (String f :
        new String[] {
          "terraform.tfstate", "terraform.tfstate.backup", "fleetwarden.tfplan", "cdk.tf.json"
        }) {
      assertThat(mode(dir.resolve(f))).as(f).isEqualTo("rw-------");
    }
    assertThat(mode(provider)).isEqualTo("rwxr-xr-x");
  }
}

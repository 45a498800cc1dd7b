package dev.fleetwarden.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fleet files are read in one place: no symbolic link, regular files only, YAML size checked before
 * reading.
 */
class RepoFilesTest {
  @TempDir Path dir;

  private static final long LIMIT = RepoFiles.MAX_FILE_BYTES;

  /** A file of the given length without writing its bytes (sparse), to show nothing is read. */
  private static Path sized(Path file, long length) throws Exception {
    Files.createDirectories(file.getParent());
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(length);
    }
    return file;
  }

  private static FleetError errorOf(ThrowingRead read) {
    try {
      read.run();
    } catch (FleetValidationException e) {
      assertThat(e.errors()).hasSize(1);
      return e.errors().get(0);
    }
    throw new AssertionError("expected a refusal");
  }

  private interface ThrowingRead {
    void run() throws FleetValidationException;
  }

  @Test
  void aFileOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
    // 8 GiB: reading it into memory would fail long before an answer (the heap is 2 GiB)
    sized(dir.resolve("clusters/a/values/web.yaml"), 8L << 30);
    FleetError e = errorOf(() -> RepoFiles.read(dir, "clusters/a/values/web.yaml"));
    assertThat(e.toString())
        .isEqualTo(
            "clusters/a/values/web.yaml: file is 8589934592 bytes, larger than the limit of "
                + LIMIT
                + " bytes; split it or remove generated content");
  }

  @Test
  void anOperatorFileOverTheLimitIsRefusedBeforeItIsReadAndMayBeALink() throws Exception {
    Path big = dir.resolve("config.yaml");
    sized(big, 8L << 30);
    FleetError e = errorOf(() -> RepoFiles.readOperatorFile(big));
    assertThat(e.message()).startsWith("file is 8589934592 bytes, larger than the limit of ");
    // ConfigMap volumes mount every key through a link: operator files may be links
    Path data = Files.writeString(dir.resolve("data.yaml"), "workDir: x\n");
    Path link = Files.createSymbolicLink(dir.resolve("linked.yaml"), data);
    assertThat(RepoFiles.readOperatorFile(link)).isEqualTo("workDir: x\n");
  }

  @Test
  void theLimitItselfIsAccepted() throws Exception {
    Path file = dir.resolve("big.yaml");
    Files.writeString(file, "a: " + "x".repeat((int) LIMIT - 4) + "\n");
    assertThat(Files.size(file)).isEqualTo(LIMIT);
    assertThat(RepoFiles.read(dir, "big.yaml")).hasSize((int) LIMIT);
    sized(dir.resolve("over.yaml"), LIMIT + 1);
    assertThat(errorOf(() -> RepoFiles.read(dir, "over.yaml")).message())
        .startsWith("file is " + (LIMIT + 1) + " bytes, larger than the limit of " + LIMIT);
  }

  @Test
  void linksAreRefusedWhereverTheyAreOnThePath() throws Exception {
    Path host = Files.writeString(dir.resolve("host-secret"), "secret\n");
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Files.createDirectories(repo.resolve("addons/web"));
    Files.createSymbolicLink(repo.resolve("addons/web/values.yaml"), host);
    Files.createSymbolicLink(repo.resolve("addons/linked"), dir);

    assertThat(errorOf(() -> RepoFiles.read(repo, "addons/web/values.yaml")).toString())
        .isEqualTo("addons/web/values.yaml: " + RepoFiles.SYMLINK_MESSAGE);
    assertThat(errorOf(() -> RepoFiles.read(repo, "addons/linked/host-secret")).toString())
        .as("a linked directory is named, not the file below it")
        .isEqualTo("addons/linked: " + RepoFiles.SYMLINK_MESSAGE);
    assertThat(errorOf(() -> RepoFiles.open(repo, "addons/web/values.yaml")).file())
        .isEqualTo("addons/web/values.yaml");
    assertThatThrownBy(() -> RepoFiles.regularFiles(repo, "addons"))
        .isInstanceOfSatisfying(
            FleetValidationException.class,
            e ->
                assertThat(e.errors())
                    .extracting(FleetError::file)
                    .containsExactlyInAnyOrder("addons/linked", "addons/web/values.yaml"));
    assertThat(errorOf(() -> RepoFiles.read(repo, "../host-secret")).message())
        .startsWith("the path leaves the fleet repo");
  }

  @Test
  void theWalkFindsEveryLinkButSkipsGitAndAllowsALinkedRoot() throws Exception {
    Path repo = Files.createDirectories(dir.resolve("repo"));
    Files.writeString(repo.resolve("fleet.yaml"), "kind: Fleet\n");
    Files.createDirectories(repo.resolve("addons/web/manifests"));
    Files.createSymbolicLink(
        repo.resolve("addons/web/manifests/passwd.yaml"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(repo.resolve("addons/etc"), Path.of("/etc"));
    Files.createSymbolicLink(repo.resolve("dangling.yaml"), repo.resolve("nowhere"));
    Files.createDirectories(repo.resolve(".git"));
    Files.createSymbolicLink(repo.resolve(".git/link"), Path.of("/etc"));
    Path linkedRoot = Files.createSymbolicLink(dir.resolve("fleet-link"), repo);

    List<FleetError> found = RepoFiles.unsafeEntries(linkedRoot);

    assertThat(found)
        .extracting(FleetError::file)
        .containsExactlyInAnyOrder(
            "addons/web/manifests/passwd.yaml", "addons/etc", "dangling.yaml");
    assertThat(found).allSatisfy(e -> assertThat(e.message()).isEqualTo(RepoFiles.SYMLINK_MESSAGE));
  }

  @Test
  void regularFilesAreListedSortedAndReadAsUtf8() throws Exception {
    Files.createDirectories(dir.resolve("m/sub"));
    Files.writeString(dir.resolve("m/b.yaml"), "b: 1\n");
    Files.writeString(dir.resolve("m/sub/a.yaml"), "a: é\n");
    Files.write(dir.resolve("m/latin1.yaml"), new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});
    assertThat(RepoFiles.regularFiles(dir, "m"))
        .containsExactly("m/b.yaml", "m/latin1.yaml", "m/sub/a.yaml");
    assertThat(RepoFiles.read(dir, "m/sub/a.yaml")).isEqualTo("a: é\n");
    assertThat(errorOf(() -> RepoFiles.read(dir, "m/latin1.yaml")).message())
        .isEqualTo("not UTF-8 text; save the file as UTF-8");
  }

  @Test
  void theLoaderChecksTheSizeOfEveryFleetFile() throws Exception {
    FleetFixture f = new FleetFixture(dir);
    sized(dir.resolve("clusters/prod-1/values/web.yaml"), LIMIT + 10);
    assertThatThrownBy(() -> FleetLoader.load(f.root))
        .isInstanceOfSatisfying(
            FleetValidationException.class,
            e ->
                assertThat(e.errors())
                    .extracting(FleetError::toString)
                    .containsExactly(
                        "clusters/prod-1/values/web.yaml: file is "
                            + (LIMIT + 10)
                            + " bytes, larger than the limit of "
                            + LIMIT
                            + " bytes; split it or remove generated content"));
  }

  @Test
  void theLoaderRefusesLinksBeforeReadingAnything() throws Exception {
    FleetFixture f = new FleetFixture(dir.resolve("repo"));
    Path host = Files.writeString(dir.resolve("token"), "apiVersion: [\n");
    Files.delete(f.root.resolve("environments/prod.yaml"));
    Files.createSymbolicLink(f.root.resolve("environments/prod.yaml"), host);
    assertThatThrownBy(() -> FleetLoader.load(f.root))
        .isInstanceOfSatisfying(
            FleetValidationException.class,
            e ->
                assertThat(e.errors())
                    .extracting(FleetError::toString)
                    .containsExactly("environments/prod.yaml: " + RepoFiles.SYMLINK_MESSAGE));
  }
}

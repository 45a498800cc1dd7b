package dev.fleetwarden.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A chart archive is untrusted input: what {@link ChartArchive#extract} unpacks and refuses. */
class ChartArchiveTest {
  @TempDir Path tmp;
  private int runs;

  private Path extract(byte[] archive) throws Exception {
    Path file = Files.write(tmp.resolve("a.tgz"), archive);
    Path target = Files.createDirectories(tmp.resolve("out-" + runs++));
    return ChartArchive.extract(file, target, "app");
  }

  private void assertRefused(byte[] archive, String message) {
    assertThatThrownBy(() -> extract(archive))
        .isInstanceOf(ChartArchive.UnsafeArchiveException.class)
        .hasMessageContaining(message);
  }

  private static TarGz chart() {
    return new TarGz().file("app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n");
  }

  @Test
  void aChartUnpacksIntoItsFolder() throws Exception {
    Path dir =
        extract(
            TarGz.chart(
                "app",
                Map.of(
                    "Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n",
                    "templates/cm.yaml", "kind: ConfigMap\n",
                    "charts/lib/Chart.yaml", "name: lib\n")));
    assertThat(dir).isEqualTo(tmp.resolve("out-0/app"));
    assertThat(dir.resolve("templates/cm.yaml")).hasContent("kind: ConfigMap");
    assertThat(dir.resolve("charts/lib/Chart.yaml")).exists();
  }

  @Test
  void longNamesFromPaxAndGnuHeadersAreRead() throws Exception {
    String deep = "app/templates/" + "x".repeat(120) + ".yaml";
    String gnu = "app/files/" + "y".repeat(120) + ".txt";
    Path dir = extract(chart().paxFile(deep, "a: 1\n").gnuLongFile(gnu, "b\n").gzip());
    assertThat(dir.resolve("templates/" + "x".repeat(120) + ".yaml")).hasContent("a: 1");
    assertThat(dir.resolve("files/" + "y".repeat(120) + ".txt")).hasContent("b");
  }

  @Test
  void linksAreRefusedAndNothingIsFollowed() throws IOException {
    assertRefused(chart().symlink("app/values.yaml", "/etc/passwd").gzip(), "a symbolic link");
    assertRefused(chart().hardlink("app/values.yaml", "/etc/passwd").gzip(), "a hard link");
    assertThat(linksUnder(tmp)).isZero();
  }

  @Test
  void devicesFifosAndUnknownTypesAreRefused() {
    assertRefused(chart().raw("app/dev", '3').gzip(), "a device");
    assertRefused(chart().raw("app/fifo", '6').gzip(), "a FIFO");
    assertRefused(chart().raw("app/sparse", 'S').gzip(), "a sparse file");
  }

  @Test
  void namesLeavingTheChartFolderAreRefused() {
    assertRefused(chart().file("app/../../escape.txt", "x").gzip(), "'..'");
    assertRefused(chart().file("/etc/cron.d/x", "x").gzip(), "absolute");
    assertRefused(chart().file("app/templates/./x.yaml", "x").gzip(), "'..', '.' or '//'");
    assertRefused(chart().file("other/Chart.yaml", "x").gzip(), "outside the folder app/");
    assertRefused(chart().file("app\\..\\x", "x").gzip(), "non-portable");
    assertThat(tmp.getParent().resolve("escape.txt")).doesNotExist();
  }

  @Test
  void anEntryTwiceIsRefused() {
    assertRefused(chart().file("app/Chart.yaml", "again").gzip(), "appears twice");
  }

  @Test
  void anArchiveWithoutChartYamlIsRefused() {
    assertRefused(new TarGz().file("app/values.yaml", "a: 1\n").gzip(), "no app/Chart.yaml");
  }

  @Test
  void aFileOverTheCapIsRefusedBeforeItIsWritten() {
    byte[] big = new byte[(int) ChartArchive.MAX_FILE_BYTES + 1];
    assertRefused(chart().file("app/files/big.bin", big).gzip(), "larger than");
    assertThat(tmp.resolve("out-0/app/files/big.bin")).doesNotExist();
  }

  @Test
  void aGzipBombStopsAtTheTotalCap() throws Exception {
    TarGz bomb = chart();
    byte[] zeros = new byte[(int) ChartArchive.MAX_FILE_BYTES];
    long files = ChartArchive.MAX_TOTAL_BYTES / zeros.length + 2;
    for (int i = 0; i < files; i++) {
      bomb.file("app/files/zero-" + i + ".bin", zeros);
    }
    byte[] archive = bomb.gzip();
    assertThat(archive.length).as("compressed").isLessThan(1024 * 1024);
    assertRefused(archive, "unpacks to more than");
  }

  @Test
  void garbageIsRefused() throws IOException {
    assertRefused(new byte[] {1, 2, 3, 4}, "not a complete gzip-compressed tar file");
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (var out = new java.util.zip.GZIPOutputStream(gz)) {
      byte[] block = new byte[512];
      java.util.Arrays.fill(block, (byte) 'A');
      out.write(block);
    }
    assertRefused(gz.toByteArray(), "not a tar file");
  }

  private static long linksUnder(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> Files.isSymbolicLink(p)).count();
    }
  }
}

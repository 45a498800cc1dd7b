package dev.fleetwarden.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.charts.ChartArchive;
import dev.fleetwarden.charts.TarGz;
import dev.fleetwarden.fleet.ChartLock;
import dev.fleetwarden.fleet.ChartRef;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example repository's committed archives are its chart sources packaged ({@link
 * ExampleChartPackager}), its index gives their true digests, and the example fleet's {@code
 * fleet.lock} locks exactly those.
 */
class ExampleChartRepositoryTest {
  @TempDir Path tmp;

  private static byte[] resource(String file) throws Exception {
    try (InputStream in =
        ExampleChartRepository.class.getResourceAsStream(
            "/dev/fleetwarden/demo/chart-repository/" + file)) {
      assertThat(in).as(file).isNotNull();
      return in.readAllBytes();
    }
  }

  @Test
  void everyArchiveHoldsItsSourcesAndIsLockedByTheExampleFleet() throws Exception {
    ChartLock lock = ChartLock.parse(Files.readString(Path.of("fleet-repo-example/fleet.lock")));
    String index = new String(resource("index.yaml"));
    List<String> archives = new ArrayList<>();
    try (Stream<Path> sources = Files.list(ExampleChartPackager.SOURCES)) {
      for (Path source : sources.sorted().toList()) {
        String folder = source.getFileName().toString();
        String chart = folder.substring(0, folder.lastIndexOf('-'));
        String version = folder.substring(folder.lastIndexOf('-') + 1);
        String name = chart + "-" + version + ".tgz";
        archives.add(name);
        byte[] archive = resource(name);
        Path tgz = Files.write(tmp.resolve(name), archive);
        Path out = Files.createDirectories(tmp.resolve(folder));
        Path dir = ChartArchive.extract(tgz, out, chart);
        assertThat(TarGz.files(dir)).as(name).isEqualTo(TarGz.files(source));
        String digest = TarGz.sha256(archive);
        assertThat(index).contains("digest: " + digest.substring("sha256:".length()));
        assertThat(lock.digestOf(new ChartRef(ExampleChartRepository.URL, chart, version)))
            .as("fleet.lock entry of %s", name)
            .contains(digest);
      }
    }
    List<String> served = new ArrayList<>(archives);
    served.add(0, "index.yaml");
    assertThat(ExampleChartRepository.FILES).containsExactlyInAnyOrderElementsOf(served);
    assertThat(lock.entries()).hasSize(archives.size());
  }
}

package dev.fleetwarden.demo;

import dev.fleetwarden.charts.TarGz;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Packages the example fleet's chart repository: every chart under {@link #SOURCES} (one folder per
 * {@code <chart>-<version>}) into an archive in {@link #REPOSITORY}, and its {@code index.yaml}.
 * The archives are committed (their digests are in {@code fleet-repo-example/fleet.lock} and must
 * not change with the machine's zlib); run this after changing a chart, then run {@code fleetwarden
 * lock --repo fleet-repo-example} (with the example repository allowed, see README) and update the
 * render goldens. {@code ExampleChartRepositoryTest} checks that archives and sources agree.
 *
 * <p>{@code mvn -B -q test-compile exec:exec -Dbench=../demo/ExampleChartPackager} does not apply:
 * run it with {@code java -cp target/test-classes:target/classes
 * dev.fleetwarden.demo.ExampleChartPackager}.
 */
public final class ExampleChartPackager {
  static final Path SOURCES = Path.of("src/test/resources/dev/fleetwarden/demo/example-charts");
  static final Path REPOSITORY =
      Path.of("src/main/resources/dev/fleetwarden/demo/chart-repository");

  private ExampleChartPackager() {}

  public static void main(String[] args) throws IOException {
    Files.createDirectories(REPOSITORY);
    List<TarGz.IndexEntry> entries = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(SOURCES)) {
      for (Path dir : dirs.sorted().toList()) {
        String folder = dir.getFileName().toString();
        int dash = folder.lastIndexOf('-');
        String chart = folder.substring(0, dash);
        String version = folder.substring(dash + 1);
        byte[] archive = TarGz.chart(chart, dir);
        String name = chart + "-" + version + ".tgz";
        Files.write(REPOSITORY.resolve(name), archive);
        entries.add(new TarGz.IndexEntry(chart, version, TarGz.sha256(archive), name));
        System.out.println(name + " " + TarGz.sha256(archive));
      }
    }
    Files.writeString(REPOSITORY.resolve("index.yaml"), TarGz.index(entries));
  }
}

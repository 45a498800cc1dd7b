package dev.fleetwarden.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.ExampleCharts;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.model.ClusterRender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The render of every cluster compared byte for byte with the checked-in golden file. Regenerate
 * with {@code -Dgolden.update=true} after an intended change, and review the diff.
 */
class RenderGoldenIT {
  private static final Path GOLDEN = Path.of("src/test/resources/dev/fleetwarden/render/golden");
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");

  @Test
  void exampleFleetMatchesGolden() throws IOException {
    Path example = RenderFixtures.exampleFleet();
    Assumptions.assumeTrue(
        example != null,
        "fleet-repo-example/ is missing from this checkout: merge the example fleet");
    check(RenderFixtures.load(example), GOLDEN);
  }

  @Test
  void fixtureFleetMatchesGolden() throws IOException {
    check(RenderFixtures.load(RenderFixtures.fixtureFleet()), GOLDEN.resolve("fixture"));
  }

  private static void check(Fleet fleet, Path goldenDir) throws IOException {
    Assumptions.assumeTrue(
        new KustomizeRenderer().command().isPresent(),
        "neither kustomize nor kubectl is on PATH: install one to render the Kustomize add-ons");
    // The example fleet's remote chart comes from its repository, served here as the demo does.
    Map<String, ClusterRender> renders =
        ExampleCharts.rendering().renderAll(fleet, RenderListener.NONE).all();
    assertThat(renders).isNotEmpty();
    for (var e : renders.entrySet()) {
      ClusterRender r = e.getValue();
      String actual =
          r.failed() ? "# render failed: " + r.error() + "\n" : RenderWriter.toYaml(r.objects());
      Path golden = goldenDir.resolve(e.getKey() + ".yaml");
      if (UPDATE) {
        Files.createDirectories(goldenDir);
        Files.writeString(golden, actual);
        continue;
      }
      assertThat(golden)
          .as("golden file for %s; create it with -Dgolden.update=true", e.getKey())
          .exists();
      assertThat(actual)
          .as(
              "render of %s differs from %s; if intended, rerun with -Dgolden.update=true",
              e.getKey(), golden)
          .isEqualTo(Files.readString(golden));
      assertThat(r.failed()).as("%s", r.error()).isFalse();
    }
  }
}

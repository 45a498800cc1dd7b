package dev.fleetwarden.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.model.ObjectDrift;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every paired fixture in {@code cases/}: cosmetic differences must yield no drift, real
 * changes exactly the drifts in {@code expected.json}.
 */
class DriftCasesTest {
  private final Differ differ = new Differ(DriftFixtures.HASHER);

  static Stream<DriftFixtures.Case> cases() throws IOException {
    return DriftFixtures.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void findsExactlyTheExpectedDrifts(DriftFixtures.Case c) {
    List<ObjectDrift> drifts = differ.diff(c.input());

    assertThat(DriftFixtures.toJson(drifts)).as(c.name()).isEqualTo(c.expected());
  }

  @Test
  void everyCaseHasObjectsOnBothSidesOrSaysWhyNot() throws IOException {
    List<DriftFixtures.Case> all = DriftFixtures.all().toList();
    assertThat(all).hasSizeGreaterThanOrEqualTo(40);
    assertThat(all).allSatisfy(c -> assertThat(c.input().desired()).isNotEmpty());
    // cosmetic cases and real changes are both present
    assertThat(all).anySatisfy(c -> assertThat(c.expected()).isEmpty());
    assertThat(all.stream().filter(c -> !c.expected().isEmpty()).count()).isGreaterThan(10);
  }

  /** Every case is modelled on real API-server or controller output and says which. */
  @Test
  void everyCaseNamesTheSourceItIsModelledOn() throws IOException {
    try (var dirs = java.nio.file.Files.list(DriftFixtures.casesDir())) {
      for (java.nio.file.Path dir : dirs.filter(java.nio.file.Files::isDirectory).toList()) {
        assertThat(java.nio.file.Files.readString(dir.resolve("live.yaml")))
            .as(dir.getFileName() + "/live.yaml")
            .containsPattern("(?m)^# source: \\S");
      }
    }
  }
}

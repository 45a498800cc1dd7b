package dev.fleetwarden.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.bench.DiffBenchmark;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The benchmark's generated fleet is realistic API-server output: the diff must find exactly the
 * planted changes and nothing in the cosmetic noise (defaults, managedFields, reordered lists,
 * canonical quantities, int-or-string ports). Speed is printed by the benchmark, never asserted.
 */
class BenchmarkWorkloadTest {
  @ParameterizedTest
  @EnumSource(DiffBenchmark.Applier.class)
  void findsExactlyThePlantedDrifts(DiffBenchmark.Applier applier) {
    DiffBenchmark.Result result = DiffBenchmark.run(1_000, applier);

    assertThat(result.planted()).isPositive();
    assertThat(result.drifts()).isEqualTo(result.planted());
  }
}

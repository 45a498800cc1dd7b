package dev.fleetwarden.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.bench.DiffBenchmark;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's generated fleet is realistic API-server output: the diff must find exactly the
 * planted changes and nothing in the cosmetic noise (defaults, managedFields, reordered lists,
 * canonical quantities, int-or-string ports). Speed is printed by the benchmark, never asserted.
 */
class BenchmarkWorkloadTest {
  @Test
  void findsExactlyThePlantedDrifts() {
    DiffBenchmark.Result result = DiffBenchmark.run(3_000);

    assertThat(result.planted()).isPositive();
    assertThat(result.drifts()).isEqualTo(result.planted());
  }
}

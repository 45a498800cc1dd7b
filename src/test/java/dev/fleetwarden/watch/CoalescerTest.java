package dev.fleetwarden.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CoalescerTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private final Coalescer<String> c = new Coalescer<>(Duration.ofSeconds(1), Duration.ofSeconds(5));

  private static Instant at(long millis) {
    return T0.plusMillis(millis);
  }

  @Test
  void aBurstOnOneObjectIsOneVerdictOnceQuiet() {
    c.offer("cm", at(0), null);
    c.offer("cm", at(300), null);
    c.offer("cm", at(600), null);

    assertThat(c.due(at(1500))).as("quiet for 900 ms only").isEmpty();
    assertThat(c.nextDue()).isEqualTo(at(1600));
    assertThat(c.due(at(1600)))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.key()).isEqualTo("cm");
              assertThat(d.firstEventAt()).isEqualTo(at(0));
            });
    assertThat(c.due(at(10_000))).isEmpty();
    assertThat(c.nextDue()).isNull();
  }

  @Test
  void anObjectEditedWithoutPauseIsJudgedAfterTheMaximumDelay() {
    for (int ms = 0; ms <= 8000; ms += 500) {
      c.offer("busy", at(ms), null);
      if (ms == 5000) {
        assertThat(c.due(at(ms))).extracting(Coalescer.Due::key).containsExactly("busy");
      }
    }
    assertThat(c.isPending("busy")).isTrue();
  }

  @Test
  void keysAreIndependentAndComeOutOldestFirst() {
    c.offer("b", at(100), null);
    c.offer("a", at(200), null);
    c.offer("a", at(900), null);

    assertThat(c.due(at(1100))).extracting(Coalescer.Due::key).containsExactly("b");
    assertThat(c.isPending("a")).isTrue();
    assertThat(c.due(at(1900))).extracting(Coalescer.Due::key).containsExactly("a");
    assertThat(c.size()).isZero();
  }

  @Test
  void theServerWriteTimeIsKeptButNeverInTheFuture() {
    c.offer("x", at(500), at(-2000));
    c.offer("y", at(500), at(9000));
    assertThat(c.due(at(2000)))
        .extracting(Coalescer.Due::firstEventAt)
        .containsExactlyInAnyOrder(at(-2000), at(500));
  }

  @Test
  void droppedKeysAreForgotten() {
    c.offer("a/x", at(0), null);
    c.offer("b/x", at(0), null);
    c.drop(k -> k.startsWith("a/"));
    assertThat(c.due(at(5000))).extracting(Coalescer.Due::key).containsExactly("b/x");
  }
}

package dev.fleetwarden.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MissCheckTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private final MissCheck<String> check = new MissCheck<>(Duration.ofSeconds(5));

  @Test
  void driftTheWatchNeverSawIsAMissOnceTheGraceIsOver() {
    check.suspect("cm", T0);
    assertThat(check.confirmed(T0.plusSeconds(4))).isEmpty();
    assertThat(check.undecided()).isEqualTo(1);
    assertThat(check.confirmed(T0.plusSeconds(5))).containsExactly("cm");
    assertThat(check.undecided()).isZero();
  }

  @Test
  void anEventShortlyBeforeOrAfterTheScanExplainsIt() {
    check.event("before", T0.minusSeconds(3));
    check.suspect("before", T0);
    check.suspect("after", T0);
    check.event("after", T0.plusSeconds(2)); // in flight while the scan recorded it
    check.event("long-ago", T0.minusSeconds(60));
    check.suspect("long-ago", T0);

    assertThat(check.confirmed(T0.plusSeconds(10))).containsExactly("long-ago");
  }

  @Test
  void oldEventsAreForgottenSoMemoryStaysBounded() {
    check.event("x", T0);
    assertThat(check.confirmed(T0.plusSeconds(60))).isEmpty();
    check.suspect("x", T0.plusSeconds(60));
    assertThat(check.confirmed(T0.plusSeconds(70))).containsExactly("x");
  }
}

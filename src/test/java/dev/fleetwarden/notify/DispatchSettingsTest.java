package dev.fleetwarden.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DispatchSettingsTest {
  @Test
  void backoffDoublesFromItsBaseAndStopsAtItsCap() {
    DispatchSettings s = DispatchSettings.DEFAULTS;
    assertThat(s.backoff(0)).isEqualTo(Duration.ofSeconds(15));
    assertThat(s.backoff(1)).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.backoff(2)).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.backoff(7)).isEqualTo(Duration.ofMinutes(30));
    assertThat(s.backoff(10_000)).isEqualTo(Duration.ofMinutes(30));
  }
}

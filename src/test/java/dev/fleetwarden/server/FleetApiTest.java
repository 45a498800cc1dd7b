package dev.fleetwarden.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FleetApiTest {

  @Test
  void clientValuesAreLoggedOnOneLine() {
    assertThat(FleetApi.loggable("refs/heads/main\n12:00:00 INFO forged line\r"))
        .isEqualTo("refs/heads/main?12:00:00 INFO forged line?")
        .doesNotContain("\n", "\r");
    assertThat(FleetApi.loggable("a\u001b[31mred\u2028x")).isEqualTo("a?[31mred?x");
    assertThat(FleetApi.loggable(null)).isEqualTo("-");
    assertThat(FleetApi.loggable("x".repeat(500))).hasSize(103);
  }
}

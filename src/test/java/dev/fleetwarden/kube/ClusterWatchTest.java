package dev.fleetwarden.kube;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The watch cache keeps the newest copy of an object that two watches see. */
class ClusterWatchTest {

  @Test
  void anOlderResourceVersionIsRecognisedAsNumbersOnly() {
    assertThat(ClusterWatch.older("41", "42")).isTrue();
    assertThat(ClusterWatch.older("9", "10")).as("numbers, not text").isTrue();
    assertThat(ClusterWatch.older("42", "42")).isFalse();
    assertThat(ClusterWatch.older("43", "42")).isFalse();
    assertThat(ClusterWatch.older("abc", "42")).as("opaque: never called older").isFalse();
    assertThat(ClusterWatch.older("41", "")).isFalse();
  }
}

package dev.fleetwarden.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecentDeliveriesTest {

  @Test
  void aDeliveryIsADuplicateWhenAnyOfItsKeysWasSeen() {
    RecentDeliveries recent = new RecentDeliveries(10);
    assertThat(recent.claim(List.of("id:1", "body:aa"))).isTrue();
    assertThat(recent.claim(List.of("id:1", "body:aa"))).as("same delivery").isFalse();
    assertThat(recent.claim(List.of("id:2", "body:aa"))).as("same body, new id").isFalse();
    assertThat(recent.claim(List.of("id:1", "body:bb"))).as("same id, new body").isFalse();
    assertThat(recent.claim(List.of("id:3", "body:cc"))).isTrue();
  }

  @Test
  void aReleasedDeliveryMayBeClaimedAgain() {
    RecentDeliveries recent = new RecentDeliveries(10);
    assertThat(recent.claim(List.of("id:1", "body:aa"))).isTrue();
    recent.release(List.of("id:1", "body:aa"));
    assertThat(recent.claim(List.of("id:1", "body:aa"))).isTrue();
  }

  @Test
  void holdsAtMostItsCapacityAndForgetsTheLeastRecentlySeen() {
    RecentDeliveries recent = new RecentDeliveries(3);
    recent.claim(List.of("a"));
    recent.claim(List.of("b"));
    recent.claim(List.of("c"));
    assertThat(recent.claim(List.of("a"))).as("seen again: now the most recent").isFalse();
    recent.claim(List.of("d")); // evicts b, the least recently seen
    assertThat(recent.size()).isEqualTo(3);
    assertThat(recent.claim(List.of("a"))).isFalse();
    assertThat(recent.claim(List.of("b"))).as("forgotten").isTrue();
    for (int i = 0; i < 10_000; i++) {
      recent.claim(List.of("flood-" + i));
    }
    assertThat(recent.size()).isEqualTo(3);
  }
}

package dev.fleetwarden.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OutboxPumpTest {

  @Test
  void aWakeSendsAtOnceInsteadOfAtTheNextTick() throws Exception {
    AtomicInteger passes = new AtomicInteger();
    CountDownLatch ran = new CountDownLatch(1);
    try (OutboxPump pump =
        new OutboxPump(
            () -> {
              passes.incrementAndGet();
              ran.countDown();
            },
            Duration.ofMinutes(10))) {
      long start = System.nanoTime();
      pump.wake();
      assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      Thread.sleep(200);
      assertThat(passes).as("one wake, one pass").hasValue(1);
    }
  }

  @Test
  void wakesDuringAPassAndAFailedPassDoNotStopThePump() throws Exception {
    AtomicInteger passes = new AtomicInteger();
    CountDownLatch inPass = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch ticks = new CountDownLatch(4);
    try (OutboxPump pump =
        new OutboxPump(
            () -> {
              int n = passes.incrementAndGet();
              ticks.countDown();
              if (n == 1) {
                inPass.countDown();
                await(release);
              }
              if (n == 2) {
                throw new IllegalStateException("store down");
              }
            },
            Duration.ofMillis(300))) {
      pump.wake();
      assertThat(inPass.await(5, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 10; i++) {
        pump.wake();
      }
      release.countDown();
      assertThat(ticks.await(10, TimeUnit.SECONDS)).as("the pump survives a failed pass").isTrue();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

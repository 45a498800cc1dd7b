package dev.fleetwarden.app;

import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the service's stop: when it runs over its budget, logs where the stopping thread waits
 * and what every other live thread is doing, so a slow stop can be told apart from a hung one. The
 * stop itself goes on; the orchestrator's grace period ends it.
 */
final class StopWatchdog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StopWatchdog.class);
  private static final int FRAMES = 12;

  private final Thread watcher;

  private StopWatchdog(Thread stopping, Duration budget) {
    watcher =
        new Thread(
            () -> {
              try {
                Thread.sleep(budget.toMillis());
              } catch (InterruptedException done) {
                return;
              }
              LOG.warn(
                  "stopping takes longer than {} s; threads:\n{}",
                  budget.toSeconds(),
                  dump(stopping));
            },
            "fleetwarden-stop-watchdog");
    watcher.setDaemon(true);
  }

  /** Starts watching the stop that {@code stopping} runs. */
  static StopWatchdog watch(Thread stopping, Duration budget) {
    StopWatchdog w = new StopWatchdog(stopping, budget);
    w.watcher.start();
    return w;
  }

  private static String dump(Thread first) {
    StringBuilder out = new StringBuilder();
    Map<Thread, StackTraceElement[]> all = Thread.getAllStackTraces();
    append(out, first, all.getOrDefault(first, first.getStackTrace()));
    all.forEach(
        (t, frames) -> {
          if (t != first
              && t.getThreadGroup() != null
              && !"system".equals(t.getThreadGroup().getName())) {
            append(out, t, frames);
          }
        });
    return out.toString();
  }

  private static void append(StringBuilder out, Thread t, StackTraceElement[] frames) {
    out.append('"').append(t.getName()).append("\" ").append(t.getState());
    out.append(t.isDaemon() ? " daemon" : "").append('\n');
    for (int i = 0; i < Math.min(FRAMES, frames.length); i++) {
      out.append("    at ").append(frames[i]).append('\n');
    }
  }

  @Override
  public void close() {
    watcher.interrupt();
  }
}

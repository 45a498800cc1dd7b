package dev.fleetwarden.schedule;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the outbox dispatcher's pass on its own thread: every {@code period}, and at once when woken
 * (a verdict enqueued an alert), so that an alert leaves within milliseconds instead of waiting for
 * the next tick. Wakes during a pass make one more pass, never more: a burst of findings is sent in
 * few passes. Slack's rate limits still hold: a pass only sends rows that are due, and a
 * rate-limited row is due again only after {@code Retry-After}.
 */
public final class OutboxPump implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxPump.class);

  private final Runnable pass;
  private final Duration period;
  private final Object signal = new Object();
  private boolean woken; // guarded by signal
  private volatile boolean running = true;
  private final Thread thread;

  /**
   * @param pass one dispatcher pass (it sends what is due; a failure is logged and retried later)
   * @param period the longest wait between two passes
   */
  public OutboxPump(Runnable pass, Duration period) {
    this.pass = pass;
    this.period = period;
    this.thread = new Thread(this::loop, "fleetwarden-outbox");
    thread.setDaemon(true);
    thread.start();
  }

  /** Makes a pass happen now (or right after the running one). */
  public void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  private void loop() {
    while (running) {
      synchronized (signal) {
        if (!woken) {
          try {
            signal.wait(period.toMillis());
          } catch (InterruptedException e) {
            return;
          }
        }
        woken = false;
      }
      if (!running) {
        return;
      }
      try {
        pass.run();
      } catch (RuntimeException e) {
        LOG.warn("sending notifications failed, will retry: {}", e.toString());
      }
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}

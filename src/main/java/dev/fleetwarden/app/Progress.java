package dev.fleetwarden.app;

import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.render.RenderListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Progress lines on stderr for long work; silent with {@code -q}. */
final class Progress implements RenderListener {
  private final PrintWriter err;
  private final boolean quiet;
  private final int total;
  private final AtomicInteger done = new AtomicInteger();

  Progress(PrintWriter err, boolean quiet, int total) {
    this.err = err;
    this.quiet = quiet;
    this.total = total;
  }

  void say(String format, Object... args) {
    if (!quiet) {
      synchronized (err) {
        err.printf(format + "%n", args);
        err.flush();
      }
    }
  }

  @Override
  public void clusterStarted(String cluster) {}

  @Override
  public void clusterDone(ClusterRender render, Duration took) {
    int n = done.incrementAndGet();
    if (render.failed()) {
      say("  [%d/%d] %s: render failed: %s", n, total, render.cluster(), render.error());
    } else {
      say(
          "  [%d/%d] %s: %d objects (%d ms)",
          n, total, render.cluster(), render.objects().size(), took.toMillis());
    }
  }
}

package dev.fleetwarden.charts;

import dev.fleetwarden.fleet.ChartRef;

/**
 * A remote chart could not be fetched, or was refused (not allowed, digest mismatch, unsafe
 * archive). The message names the chart and says what to do; it never holds a credential.
 */
public final class ChartFetchException extends Exception {
  private final ChartRef chart;

  public ChartFetchException(ChartRef chart, String message) {
    super(message);
    this.chart = chart;
  }

  public ChartFetchException(ChartRef chart, String message, Throwable cause) {
    super(message, cause);
    this.chart = chart;
  }

  /** The chart that could not be fetched. */
  public ChartRef chart() {
    return chart;
  }
}

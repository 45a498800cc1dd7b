package dev.fleetwarden.watch;

import java.util.Locale;

/**
 * How a cluster's live changes are detected: {@link #WATCHING} (watches on every kind and namespace
 * of its desired state are established: a change is judged within seconds), {@link #SCAN_ONLY}
 * (watching is impossible or failing, e.g. RBAC forbids {@code watch} or the API server is
 * unreachable: only the scheduled scans detect drift), or {@link #UNKNOWN} (not watched by this
 * node: watches are off, not started yet, or another node holds the cluster).
 */
public enum WatchState {
  WATCHING,
  SCAN_ONLY,
  UNKNOWN;

  /**
   * As shown in the status API and metrics: {@code watching}, {@code scan-only}, {@code unknown}.
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}

package dev.fleetwarden.watch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Decides which drift a full scan found that the watches did not report: the safety net's measure
 * of the watches (it should stay 0). A scan's new drift on an object is a suspect; it is confirmed
 * a miss when no watch event on that object arrived within {@code grace} before or after the scan
 * found it (an event in flight means the watch was about to report it). Not thread-safe; time is
 * passed in.
 *
 * @param <K> the key, e.g. a resource id
 */
public final class MissCheck<K> {
  private final Duration grace;
  private final Map<K, Instant> lastEvent = new HashMap<>();
  private final List<Map.Entry<K, Instant>> suspects = new ArrayList<>();

  /**
   * @param grace how far apart a watch event and the scan's finding may be and still be the same
   *     change (at least the coalescing window plus the time a verdict takes)
   */
  public MissCheck(Duration grace) {
    this.grace = grace;
  }

  /** The watch saw an event on {@code key} at {@code at}. */
  public void event(K key, Instant at) {
    lastEvent.merge(key, at, (a, b) -> a.isAfter(b) ? a : b);
  }

  /** A full scan found new drift on {@code key} at {@code at}. */
  public void suspect(K key, Instant at) {
    suspects.add(Map.entry(key, at));
  }

  /** The suspects decided by {@code now} that are misses; forgets events older than needed. */
  public List<K> confirmed(Instant now) {
    List<K> misses = new ArrayList<>();
    for (Iterator<Map.Entry<K, Instant>> it = suspects.iterator(); it.hasNext(); ) {
      Map.Entry<K, Instant> s = it.next();
      if (s.getValue().plus(grace).isAfter(now)) {
        continue;
      }
      it.remove();
      Instant seen = lastEvent.get(s.getKey());
      boolean reported =
          seen != null
              && !seen.isBefore(s.getValue().minus(grace))
              && !seen.isAfter(s.getValue().plus(grace));
      if (!reported) {
        misses.add(s.getKey());
      }
    }
    Instant keepFrom = now.minus(grace.multipliedBy(3));
    for (Map.Entry<K, Instant> s : suspects) {
      Instant from = s.getValue().minus(grace);
      keepFrom = from.isBefore(keepFrom) ? from : keepFrom;
    }
    Instant cut = keepFrom;
    lastEvent.values().removeIf(t -> t.isBefore(cut));
    return misses;
  }

  /** Suspects not decided yet. */
  public int undecided() {
    return suspects.size();
  }
}

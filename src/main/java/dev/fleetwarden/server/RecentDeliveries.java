package dev.fleetwarden.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The webhook deliveries seen recently, so that a delivery sent again (GitHub's redelivery, or a
 * replayed capture) is processed once. A delivery is known by several keys (its {@code
 * X-GitHub-Delivery} id and the digest of its signed body: the id header is not signed, so a replay
 * under a new id still has the same body); it is a duplicate when any key was seen. Holds at most
 * {@code capacity} keys, the least recently seen are forgotten first. Thread-safe.
 */
final class RecentDeliveries {
  private final Map<String, Boolean> seen;

  RecentDeliveries(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive, not " + capacity);
    }
    this.seen =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /**
   * Claims the delivery: true when none of its keys was seen (they are all recorded now), false
   * when it is a duplicate (the keys are refreshed, nothing else changes).
   */
  synchronized boolean claim(List<String> keys) {
    boolean fresh = true;
    for (String k : keys) {
      if (seen.get(k) != null) { // get() also marks it recently used
        fresh = false;
      }
    }
    if (fresh) {
      keys.forEach(k -> seen.put(k, Boolean.TRUE));
    }
    return fresh;
  }

  /** Forgets a claimed delivery whose processing failed, so that a redelivery is processed. */
  synchronized void release(List<String> keys) {
    keys.forEach(seen::remove);
  }

  synchronized int size() {
    return seen.size();
  }
}

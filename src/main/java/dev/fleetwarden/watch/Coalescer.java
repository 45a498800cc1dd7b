package dev.fleetwarden.watch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns bursts of events on one key (an object) into one verdict: a key is due once it has been
 * quiet for the window, or at the latest {@code maxDelay} after its first pending event (so that an
 * object edited without pause is still judged). A key whose edit is reverted within the window is
 * judged once, after the revert, and is then in sync: no finding. Not thread-safe: the caller
 * synchronizes; time is passed in.
 *
 * @param <K> the key, e.g. a resource id
 */
public final class Coalescer<K> {
  private final Duration window;
  private final Duration maxDelay;
  private final Map<K, Pending> pending = new HashMap<>();

  private record Pending(Instant first, Instant last, Instant firstServerTime) {}

  /**
   * A key that became due.
   *
   * @param firstEventAt when the API server wrote the first pending change (for the lag)
   * @param lastArrivedAt when the last pending event arrived here (what the cache holds is at least
   *     that recent)
   */
  public record Due<K>(K key, Instant firstEventAt, Instant lastArrivedAt) {}

  /**
   * @param window quiet time after the last event before a key is judged
   * @param maxDelay longest wait after the first pending event (at least the window)
   */
  public Coalescer(Duration window, Duration maxDelay) {
    this.window = Objects.requireNonNull(window, "window");
    this.maxDelay = maxDelay.compareTo(window) < 0 ? window : maxDelay;
  }

  public Duration window() {
    return window;
  }

  /**
   * An event on {@code key} arrived at {@code now}.
   *
   * @param serverTime when the API server wrote the change (null: unknown, {@code now} is used)
   */
  public void offer(K key, Instant now, Instant serverTime) {
    Instant written = serverTime == null || serverTime.isAfter(now) ? now : serverTime;
    pending.merge(
        key,
        new Pending(now, now, written),
        (old, fresh) -> new Pending(old.first(), now, old.firstServerTime()));
  }

  /** The keys due at {@code now}, removed from the pending set, oldest first. */
  public List<Due<K>> due(Instant now) {
    List<Map.Entry<K, Pending>> ready = new ArrayList<>();
    for (Iterator<Map.Entry<K, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<K, Pending> e = it.next();
      if (!dueAt(e.getValue()).isAfter(now)) {
        ready.add(Map.entry(e.getKey(), e.getValue()));
        it.remove();
      }
    }
    ready.sort((a, b) -> a.getValue().first().compareTo(b.getValue().first()));
    List<Due<K>> out = new ArrayList<>(ready.size());
    ready.forEach(
        e -> out.add(new Due<>(e.getKey(), e.getValue().firstServerTime(), e.getValue().last())));
    return out;
  }

  /** When the next key becomes due; null when nothing is pending. */
  public Instant nextDue() {
    Instant next = null;
    for (Pending p : pending.values()) {
      Instant at = dueAt(p);
      if (next == null || at.isBefore(next)) {
        next = at;
      }
    }
    return next;
  }

  /** Whether an event on {@code key} waits for its verdict. */
  public boolean isPending(K key) {
    return pending.containsKey(key);
  }

  /** Forgets the pending keys that match (a cluster no longer watched). */
  public void drop(java.util.function.Predicate<K> which) {
    pending.keySet().removeIf(which);
  }

  public int size() {
    return pending.size();
  }

  private Instant dueAt(Pending p) {
    Instant quiet = p.last().plus(window);
    Instant latest = p.first().plus(maxDelay);
    return quiet.isBefore(latest) ? quiet : latest;
  }
}

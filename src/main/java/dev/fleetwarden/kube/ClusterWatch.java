package dev.fleetwarden.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.watch.CacheTrim;
import dev.fleetwarden.watch.WatchListener;
import dev.fleetwarden.watch.WatchState;
import dev.fleetwarden.watch.WatchStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watches and the cache of one cluster. The cluster is {@link WatchState#WATCHING} once every
 * watch has listed and started; it turns {@link WatchState#SCAN_ONLY} when a watch cannot be kept
 * (refused, unreachable) and back when every watch is up again, each time telling the listener.
 * Changes are reported only while watching, and only by watches that completed their first list
 * (the listener judges the whole cache when the cluster becomes watching).
 */
final class ClusterWatch {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterWatch.class);

  /**
   * A cached object: trimmed JSON, its resource version, and which of the (at most two) watches
   * that can see it hold it: the one of its kind and namespace, and its kind's ownership-label
   * watch.
   */
  record Cached(byte[] json, String resourceVersion, boolean inScope, boolean inLabel) {
    Cached with(boolean label, boolean held) {
      return label
          ? new Cached(json, resourceVersion, inScope, held)
          : new Cached(json, resourceVersion, held, inLabel);
    }

    boolean held() {
      return inScope || inLabel;
    }
  }

  final String cluster;
  final Fabric8LiveWatches owner;
  private final Map<ResourceId, Cached> cache = new ConcurrentHashMap<>();
  private final AtomicLong bytes = new AtomicLong();
  private final Map<WatchTarget, TargetWatch> targets = new HashMap<>();
  private final Set<ApiKind> unserved = ConcurrentHashMap.newKeySet();
  private volatile Set<ResourceId> keepStatus = Set.of();
  private volatile WatchListener listener;
  private volatile WatchState state = WatchState.UNKNOWN;
  private volatile String reason = "watches starting";
  private volatile Instant since;
  private volatile Instant lastEventAt;
  private boolean announce; // tell the listener "watching" once every target is synced
  private boolean stopped;
  private int generation; // a forbidden restart makes older targets' callbacks stale

  ClusterWatch(String cluster, Fabric8LiveWatches owner) {
    this.cluster = cluster;
    this.owner = owner;
    this.since = owner.clock().instant();
  }

  /** Watches the kinds and namespaces of {@code desired}: new targets start, gone ones stop. */
  synchronized void update(Collection<DesiredObject> desired, WatchListener l) {
    this.listener = l;
    Set<ResourceId> status = new HashSet<>();
    for (DesiredObject d : desired) {
      JsonNode s = d.manifest().get("status");
      if (s != null && !s.isNull() && !s.isEmpty()) {
        status.add(d.id().inCluster(cluster));
      }
    }
    keepStatus = Set.copyOf(status);
    SortedSet<WatchTarget> wanted = WatchTarget.plan(desired);
    boolean added = false;
    for (WatchTarget t : new ArrayList<>(targets.keySet())) {
      if (!wanted.contains(t)) {
        targets.remove(t).stop();
        forget(t);
      }
    }
    // A kind that was not served is tried again: its CRD may exist now.
    for (WatchTarget t : new ArrayList<>(targets.keySet())) {
      if (unserved.contains(t.kind())) {
        targets.remove(t).stop();
      }
    }
    unserved.clear();
    for (WatchTarget t : wanted) {
      if (!targets.containsKey(t)) {
        TargetWatch w = new TargetWatch(this, t, generation);
        targets.put(t, w);
        w.start();
        added = true;
      }
    }
    if (added) {
      announce = true;
    } else {
      maybeWatching();
    }
  }

  synchronized void stop() {
    stopped = true;
    targets.values().forEach(TargetWatch::stop);
    targets.clear();
    cache.clear();
    bytes.set(0);
  }

  synchronized boolean isStopped() {
    return stopped;
  }

  /** Whether changes seen by this target are to be reported. */
  boolean reporting(TargetWatch t) {
    return state == WatchState.WATCHING && t.synced();
  }

  WatchListener listener() {
    return listener;
  }

  // Target callbacks

  /** The target listed and its watch started. */
  synchronized void synced(TargetWatch t) {
    if (stale(t)) {
      return;
    }
    maybeWatching();
  }

  /** The kind is not served (404 on its list): nothing to watch, nothing to judge. */
  synchronized void unserved(TargetWatch t) {
    if (stale(t)) {
      return;
    }
    unserved.add(t.target().kind());
    maybeWatching();
  }

  /** A list or watch failed for a reason that may pass (network, 5xx): the target retries. */
  synchronized void failed(TargetWatch t, String why) {
    if (stale(t)) {
      return;
    }
    if (state != WatchState.SCAN_ONLY) {
      toScanOnly("watch of " + t.target().describe() + " failed: " + why + "; retrying");
    }
  }

  /** RBAC refused list or watch: the whole cluster is scan-only until a later retry. */
  synchronized void forbidden(TargetWatch t, String why) {
    if (stale(t)) {
      return;
    }
    generation++;
    List<WatchTarget> all = new ArrayList<>(targets.keySet());
    targets.values().forEach(TargetWatch::stop);
    targets.clear();
    cache.clear();
    bytes.set(0);
    toScanOnly(
        why
            + "; scheduled scans detect this cluster's drift; watches are tried again in "
            + owner.settings().forbiddenRetry().toMinutes()
            + " min");
    int gen = generation;
    owner.schedule(() -> restart(gen, all), owner.settings().forbiddenRetry());
  }

  private synchronized void restart(int gen, List<WatchTarget> all) {
    if (stopped || gen != generation) {
      return;
    }
    for (WatchTarget t : all) {
      TargetWatch w = new TargetWatch(this, t, generation);
      targets.put(t, w);
      w.start();
    }
    announce = true;
  }

  private boolean stale(TargetWatch t) {
    return stopped || t.generation() != generation || targets.get(t.target()) != t;
  }

  private void maybeWatching() {
    for (TargetWatch w : targets.values()) {
      if (!w.synced() && !unserved.contains(w.target().kind())) {
        return;
      }
    }
    if (state != WatchState.WATCHING || announce) {
      boolean was = state == WatchState.WATCHING;
      state = WatchState.WATCHING;
      reason = null;
      if (!was) {
        since = owner.clock().instant();
        LOG.info("cluster {}: watching {} kind/namespace pair(s)", cluster, targets.size());
      }
      announce = false;
      WatchListener l = listener;
      if (l != null) {
        l.watching(cluster);
      }
    }
  }

  private void toScanOnly(String why) {
    state = WatchState.SCAN_ONLY;
    reason = why;
    since = owner.clock().instant();
    LOG.warn("cluster {}: scan-only: {}", cluster, why);
    WatchListener l = listener;
    if (l != null) {
      l.scanOnly(cluster, why);
    }
  }

  // The cache

  /**
   * Stores what a watch saw of an object; reports a change when it differs from the cached copy.
   */
  void put(TargetWatch t, ObjectNode object) {
    ResourceId id = ResourceId.of(cluster, object);
    boolean label = t.target().ownerLabel();
    String rv = object.path("metadata").path("resourceVersion").asText("");
    Instant written = CacheTrim.lastWrite(object);
    boolean[] changed = {false};
    cache.compute(
        id,
        (k, old) -> {
          if (old != null
              && !rv.isEmpty()
              && (old.resourceVersion().equals(rv) || older(rv, old.resourceVersion()))) {
            // Two watches (namespace and ownership label) can see one object: a copy one of them
            // lists after the other already saw a newer write must not undo that write.
            return old.with(label, true);
          }
          byte[] json = Fabric8LiveWatches.bytes(CacheTrim.trim(object, keepStatus.contains(id)));
          bytes.addAndGet(json.length - (old == null ? 0 : old.json().length));
          changed[0] = true;
          Cached fresh = new Cached(json, rv, false, false).with(label, true);
          return old == null ? fresh : fresh.with(!label, label ? old.inScope() : old.inLabel());
        });
    if (changed[0]) {
      changed(t, id, written);
    }
  }

  /**
   * Whether resource version {@code candidate} is older than {@code cached}. Resource versions are
   * opaque to clients, but one API server's are its storage revisions (integers, growing with every
   * write): compared as numbers when both are; otherwise never called older.
   */
  static boolean older(String candidate, String cached) {
    try {
      return Long.parseLong(candidate) < Long.parseLong(cached);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** A watch no longer sees an object (deleted, or it left the watch's selection). */
  void remove(TargetWatch t, ResourceId id) {
    boolean label = t.target().ownerLabel();
    boolean[] gone = {false};
    cache.computeIfPresent(
        id,
        (k, old) -> {
          Cached left = old.with(label, false);
          if (left.held()) {
            return left;
          }
          bytes.addAndGet(-old.json().length);
          gone[0] = true;
          return null;
        });
    if (gone[0]) {
      changed(t, id, null);
    }
  }

  /** The ids this target holds now (to find what a relist no longer returns). */
  Set<ResourceId> heldBy(TargetWatch t) {
    boolean label = t.target().ownerLabel();
    Set<ResourceId> out = new HashSet<>();
    cache.forEach(
        (id, c) -> {
          if ((label ? c.inLabel() : c.inScope()) && t.target().covers(id)) {
            out.add(id);
          }
        });
    return out;
  }

  private void forget(WatchTarget t) {
    for (ResourceId id : new ArrayList<>(cache.keySet())) {
      if (t.covers(id)) {
        cache.computeIfPresent(
            id,
            (k, old) -> {
              Cached left = old.with(t.ownerLabel(), false);
              if (left.held()) {
                return left;
              }
              bytes.addAndGet(-old.json().length);
              return null;
            });
      }
    }
  }

  private void changed(TargetWatch t, ResourceId id, Instant written) {
    lastEventAt = owner.clock().instant();
    WatchListener l = listener;
    if (l != null && reporting(t)) {
      l.changed(id, written);
    }
  }

  JsonNode cached(ResourceId id) {
    Cached c = cache.get(id.inCluster(cluster));
    return c == null ? null : Fabric8LiveWatches.node(c.json());
  }

  List<JsonNode> cachedObjects() {
    synchronized (this) {
      for (TargetWatch w : targets.values()) {
        if (!w.synced() && !unserved.contains(w.target().kind())) {
          return null;
        }
      }
      if (state != WatchState.WATCHING) {
        return null;
      }
    }
    List<JsonNode> out = new ArrayList<>(cache.size());
    cache.values().forEach(c -> out.add(Fabric8LiveWatches.node(c.json())));
    return out;
  }

  Set<String> unservedKinds() {
    Set<String> out = new TreeSet<>();
    unserved.forEach(k -> out.add(ResourceId.groupKind(k.group(), k.kind())));
    return out;
  }

  synchronized WatchStatus status() {
    int open = 0;
    for (TargetWatch w : targets.values()) {
      if (w.watching()) {
        open++;
      }
    }
    return new WatchStatus(
        state, reason, since, lastEventAt, null, cache.size(), bytes.get(), open);
  }
}

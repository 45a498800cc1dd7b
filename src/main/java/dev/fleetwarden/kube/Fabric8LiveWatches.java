package dev.fleetwarden.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.model.CompactNodes;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.watch.LiveWatches;
import dev.fleetwarden.watch.WatchListener;
import dev.fleetwarden.watch.WatchState;
import dev.fleetwarden.watch.WatchStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LiveWatches} over Fabric8: per cluster, one list followed by one watch per {@link
 * WatchTarget}, with a cache of trimmed objects stored as compact JSON bytes (a few hundred bytes
 * to a few KiB each). Fabric8 does not resume a dropped watch on its own here: every reconnect is a
 * relist, whose differences with the cache are reported as changes, so no change made while a watch
 * was down is lost, whatever the API server keeps of its history. A failing list or watch is
 * retried with exponential backoff; RBAC refusing list or watch ({@code 401}/{@code 403}) stops the
 * cluster's watches (it is scan-only) and retries after {@link Settings#forbiddenRetry()}.
 */
public final class Fabric8LiveWatches implements LiveWatches {
  private static final Logger LOG = LoggerFactory.getLogger(Fabric8LiveWatches.class);
  static final ObjectMapper JSON = new ObjectMapper().setNodeFactory(CompactNodes.DEFAULT);

  /** The client of a cluster (the current one: clients are rebuilt when connections change). */
  @FunctionalInterface
  public interface Clients {
    /**
     * @throws KubeAccessException when the cluster's connection cannot be set up
     */
    KubernetesClient client(String cluster);
  }

  /**
   * How watches retry.
   *
   * @param retryFirst first wait after a failed list or watch (doubling up to {@code retryMax})
   * @param retryMax longest wait between attempts
   * @param forbiddenRetry wait before trying again a cluster whose RBAC refused list or watch
   */
  public record Settings(Duration retryFirst, Duration retryMax, Duration forbiddenRetry) {
    public static final Settings DEFAULTS =
        new Settings(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(5));
  }

  private final Clients clients;
  private final Settings settings;
  private final Clock clock;
  final ScheduledExecutorService executor;
  private final Map<String, ClusterWatch> clusters = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public Fabric8LiveWatches(Clients clients, Settings settings, Clock clock) {
    this.clients = clients;
    this.settings = settings == null ? Settings.DEFAULTS : settings;
    this.clock = clock == null ? Clock.systemUTC() : clock;
    AtomicInteger n = new AtomicInteger();
    ScheduledThreadPoolExecutor pool =
        new ScheduledThreadPoolExecutor(
            2,
            r -> {
              Thread t = new Thread(r, "fleetwarden-watch-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.setRemoveOnCancelPolicy(true);
    this.executor = pool;
  }

  @Override
  public void watch(String cluster, Collection<DesiredObject> desired, WatchListener listener) {
    if (closed) {
      throw new IllegalStateException("watches are closed");
    }
    clusters.computeIfAbsent(cluster, c -> new ClusterWatch(c, this)).update(desired, listener);
  }

  @Override
  public void stop(String cluster) {
    ClusterWatch w = clusters.remove(cluster);
    if (w != null) {
      w.stop();
    }
  }

  @Override
  public Set<String> clusters() {
    return new TreeSet<>(clusters.keySet());
  }

  @Override
  public JsonNode cached(ResourceId id) {
    ClusterWatch w = clusters.get(id.cluster());
    return w == null ? null : w.cached(id);
  }

  @Override
  public List<JsonNode> cachedObjects(String cluster) {
    ClusterWatch w = clusters.get(cluster);
    return w == null ? null : w.cachedObjects();
  }

  @Override
  public Set<String> unservedKinds(String cluster) {
    ClusterWatch w = clusters.get(cluster);
    return w == null ? Set.of() : w.unservedKinds();
  }

  @Override
  public WatchStatus status(String cluster) {
    ClusterWatch w = clusters.get(cluster);
    return w == null ? WatchStatus.unknown("not watched by this node") : w.status();
  }

  /** The watch state of a cluster (for tests and logs). */
  public WatchState state(String cluster) {
    return status(cluster).state();
  }

  @Override
  public void close() {
    closed = true;
    clusters.values().forEach(ClusterWatch::stop);
    clusters.clear();
    executor.shutdownNow();
  }

  // Shared with the cluster and target watches

  Settings settings() {
    return settings;
  }

  Clock clock() {
    return clock;
  }

  boolean isClosed() {
    return closed;
  }

  KubernetesClient client(String cluster) {
    return clients.client(cluster);
  }

  static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode node(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void schedule(Runnable task, Duration delay) {
    if (closed) {
      return;
    }
    try {
      executor.schedule(() -> runQuietly(task), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  private static void runQuietly(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.warn("watch task failed: {}", e.toString(), e);
    }
  }
}

package dev.fleetwarden.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.model.Ownership;
import dev.fleetwarden.model.ResourceId;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One list-then-watch loop of a {@link ClusterWatch}. Every (re)start lists first and reports what
 * differs from the cache, then watches from the list's resource version. Fabric8 is told not to
 * reconnect by itself (it would resume from the last resource version, and a server that kept no
 * history would lose what changed meanwhile): any end of the watch other than our own close
 * relists, at once the first time and with exponential backoff after failures.
 */
final class TargetWatch {
  private static final Logger LOG = LoggerFactory.getLogger(TargetWatch.class);

  /** A watch that stayed open this long, or delivered an event, worked: its end relists at once. */
  private static final Duration HEALTHY = Duration.ofSeconds(5);

  private final ClusterWatch cluster;
  private final WatchTarget target;
  private final int generation;
  private volatile boolean stopped;
  private volatile boolean synced;
  private volatile Watch watch;
  private int failures; // guarded by this
  private long session; // guarded by this: a new list-and-watch makes older callbacks stale

  TargetWatch(ClusterWatch cluster, WatchTarget target, int generation) {
    this.cluster = cluster;
    this.target = target;
    this.generation = generation;
  }

  WatchTarget target() {
    return target;
  }

  int generation() {
    return generation;
  }

  boolean synced() {
    return synced;
  }

  boolean watching() {
    return watch != null && !stopped;
  }

  void start() {
    cluster.owner.schedule(this::listAndWatch, Duration.ZERO);
  }

  void stop() {
    stopped = true;
    closeWatch();
  }

  private void closeWatch() {
    Watch w = watch;
    watch = null;
    if (w != null) {
      try {
        w.close();
      } catch (RuntimeException e) {
        LOG.debug("closing a watch failed", e);
      }
    }
  }

  private synchronized void listAndWatch() {
    if (stopped || cluster.owner.isClosed()) {
      return;
    }
    long mine = ++session;
    closeWatch();
    KubernetesClient client;
    try {
      client = watchClient(cluster.owner.client(cluster.cluster));
    } catch (KubeAccessException e) {
      cluster.forbidden(this, e.getMessage());
      return;
    } catch (RuntimeException e) {
      retry("cannot connect: " + LiveErrors.describe(e));
      return;
    }
    MixedOperation<
            GenericKubernetesResource,
            GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>>
        op = client.genericKubernetesResources(target.kind().context());
    FilterWatchListDeletable<
            GenericKubernetesResource,
            GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>>
        scoped;
    if (target.ownerLabel()) {
      scoped = op.inAnyNamespace().withLabel(Ownership.LABEL);
    } else if (target.namespace() != null) {
      scoped = op.inNamespace(target.namespace());
    } else {
      scoped = op;
    }
    GenericKubernetesResourceList list;
    try {
      list = scoped.list();
    } catch (RuntimeException e) {
      if (LiveErrors.isCode(e, 404)) {
        synced = true;
        cluster.unserved(this);
        return;
      }
      if (refused(e)) {
        cluster.forbidden(this, refusal("list", e));
        return;
      }
      retry("list failed: " + LiveErrors.describe(e));
      return;
    }
    Set<ResourceId> before = cluster.heldBy(this);
    for (GenericKubernetesResource item : list.getItems()) {
      ObjectNode node = toNode(client, item);
      before.remove(ResourceId.of(cluster.cluster, node));
      cluster.put(this, node);
    }
    for (ResourceId gone : before) {
      cluster.remove(this, gone);
    }
    ListOptions options =
        new ListOptionsBuilder()
            .withResourceVersion(list.getMetadata().getResourceVersion())
            .withAllowWatchBookmarks(true)
            .build();
    try {
      Watch w = scoped.watch(options, new Session(mine, client));
      if (stopped) {
        w.close();
        return;
      }
      watch = w;
    } catch (RuntimeException e) {
      if (refused(e)) {
        cluster.forbidden(this, refusal("watch", e));
        return;
      }
      retry("watch failed: " + LiveErrors.describe(e));
      return;
    }
    failures = 0;
    synced = true;
    cluster.synced(this);
  }

  private static boolean refused(Throwable e) {
    return LiveErrors.isCode(e, 401) || LiveErrors.isCode(e, 403);
  }

  private String refusal(String verb, Throwable e) {
    return "cluster "
        + cluster.cluster
        + " refused to "
        + verb
        + " "
        + target.describe()
        + " ("
        + LiveErrors.describe(e)
        + "); give fleetwarden list and watch on "
        + target.kind().resourceName();
  }

  /** Tries again after a backoff: 1 s, 2 s, 4 s... up to the maximum, with some jitter. */
  private void retry(String why) {
    synced = false;
    cluster.failed(this, why);
    Fabric8LiveWatches.Settings s = cluster.owner.settings();
    long first = s.retryFirst().toMillis();
    long wait = Math.min(s.retryMax().toMillis(), first << Math.min(failures, 20));
    failures++;
    wait = wait + ThreadLocalRandom.current().nextLong(Math.max(1, wait / 5));
    LOG.debug("cluster {}: {}; retry in {} ms", cluster.cluster, why, wait);
    cluster.owner.schedule(this::listAndWatch, Duration.ofMillis(wait));
  }

  /**
   * A client sharing the cluster client's connections whose watches do not reconnect on their own.
   */
  private static KubernetesClient watchClient(KubernetesClient client) {
    return client
        .newClient(
            new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
                .withWatchReconnectLimit(0)
                .build())
        .adapt(KubernetesClient.class);
  }

  private ObjectNode toNode(KubernetesClient client, GenericKubernetesResource item) {
    ObjectNode node = client.getKubernetesSerialization().convertValue(item, ObjectNode.class);
    // Real API servers leave apiVersion and kind out of list items of built-in types.
    if (!node.hasNonNull("apiVersion")) {
      node.put("apiVersion", target.kind().apiVersion());
    }
    if (!node.hasNonNull("kind")) {
      node.put("kind", target.kind().kind());
    }
    return node;
  }

  /** The watcher of one list-and-watch session: callbacks of a replaced session are ignored. */
  private final class Session implements Watcher<GenericKubernetesResource> {
    private final long id;
    private final KubernetesClient client;
    private final long started = System.nanoTime();
    private volatile boolean delivered;

    Session(long id, KubernetesClient client) {
      this.id = id;
      this.client = client;
    }

    private boolean current() {
      synchronized (TargetWatch.this) {
        return !stopped && id == session;
      }
    }

    @Override
    public void eventReceived(Action action, GenericKubernetesResource resource) {
      if (!current() || resource == null) {
        return;
      }
      delivered = true;
      ObjectNode node = toNode(client, resource);
      switch (action) {
        case ADDED, MODIFIED -> cluster.put(TargetWatch.this, node);
        case DELETED -> cluster.remove(TargetWatch.this, ResourceId.of(cluster.cluster, node));
        default -> {
          // BOOKMARK and ERROR carry no object change
        }
      }
    }

    @Override
    public void onClose(WatcherException cause) {
      if (!current()) {
        return;
      }
      watch = null;
      if (refused(cause.getCause() != null ? cause.getCause() : cause)) {
        cluster.forbidden(TargetWatch.this, refusal("watch", cause));
        return;
      }
      if (cause.isHttpGone()) {
        LOG.debug("cluster {}: {} watch expired (410 Gone); relisting", cluster.cluster, target);
        cluster.owner.schedule(TargetWatch.this::listAndWatch, Duration.ZERO);
        return;
      }
      LOG.debug("cluster {}: {} watch closed: {}", cluster.cluster, target, cause.getMessage());
      Duration age = Duration.ofNanos(System.nanoTime() - started);
      if (delivered || age.compareTo(HEALTHY) >= 0) {
        // A watch that worked ended (a server timeout, a restart, a proxy): relist at once.
        cluster.owner.schedule(TargetWatch.this::listAndWatch, Duration.ZERO);
      } else {
        // One that never worked (refused, or closed on arrival) backs off: no relist storm.
        synchronized (TargetWatch.this) {
          retry(
              "watch closed: "
                  + LiveErrors.describe(cause.getCause() != null ? cause.getCause() : cause));
        }
      }
    }

    @Override
    public void onClose() {
      // our own close: nothing to do
    }

    @Override
    public boolean reconnecting() {
      return false;
    }
  }
}

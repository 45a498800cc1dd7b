package dev.fleetwarden.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.Ownership;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LiveStateReader} over Fabric8 generic resources. Per cluster it makes, for each kind of
 * the desired state: one list per namespace that holds desired objects (one cluster-wide list for
 * cluster-scoped kinds), plus one cluster-wide list selected by the ownership label for namespaced
 * kinds. Plural and scope come from {@link ApiKind}, so no discovery request is made.
 */
public final class Fabric8LiveStateReader implements LiveStateReader {
  private static final Logger LOG = LoggerFactory.getLogger(Fabric8LiveStateReader.class);

  private final ClusterClients clients;
  private final KubeSettings settings;

  public Fabric8LiveStateReader(ClusterClients clients) {
    this.clients = clients;
    this.settings = clients.settings();
  }

  @Override
  public LiveState read(
      String cluster, Collection<DesiredObject> desired, Collection<ApiKind> orphanKinds) {
    long started = System.nanoTime();
    long deadline = started + settings.clusterReadTimeout().toNanos();
    SortedMap<ApiKind, SortedSet<String>> plan;
    try {
      plan = plan(desired, orphanKinds);
    } catch (IllegalArgumentException e) {
      return LiveState.unknown(cluster, "cannot read cluster " + cluster + ": " + e.getMessage());
    }
    KubernetesClient client;
    try {
      client = clients.client(cluster);
    } catch (KubeAccessException e) {
      return LiveState.unknown(cluster, e.getMessage());
    }
    Reading reading = new Reading(cluster, client, deadline);
    try {
      for (Map.Entry<ApiKind, SortedSet<String>> entry : plan.entrySet()) {
        reading.readKind(entry.getKey(), entry.getValue());
      }
    } catch (Unknown e) {
      LOG.info("cluster {}: live state unknown: {}", cluster, e.getMessage());
      return LiveState.unknown(cluster, e.getMessage());
    }
    LOG.debug(
        "cluster {}: {} objects from {} list calls in {} ms",
        cluster,
        reading.objects.size(),
        reading.calls,
        (System.nanoTime() - started) / 1_000_000);
    return LiveState.known(cluster, reading.objects, reading.findings, reading.unserved.keySet());
  }

  @Override
  public Map<String, LiveState> readAll(
      Map<String, ? extends Collection<DesiredObject>> desiredByCluster) {
    Map<String, LiveState> out = new LinkedHashMap<>();
    if (desiredByCluster.isEmpty()) {
      return out;
    }
    int threads = Math.min(settings.readParallelism(), desiredByCluster.size());
    ExecutorService pool = Executors.newFixedThreadPool(threads, threadFactory());
    try {
      Map<String, Future<LiveState>> futures = new LinkedHashMap<>();
      desiredByCluster.forEach(
          (cluster, desired) -> futures.put(cluster, pool.submit(() -> read(cluster, desired))));
      for (Map.Entry<String, Future<LiveState>> f : futures.entrySet()) {
        out.put(f.getKey(), await(f.getKey(), f.getValue()));
      }
    } finally {
      pool.shutdownNow();
    }
    return out;
  }

  private static LiveState await(String cluster, Future<LiveState> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return LiveState.unknown(cluster, "interrupted while reading cluster " + cluster);
    } catch (ExecutionException e) {
      return LiveState.unknown(
          cluster, "reading cluster " + cluster + " failed: " + LiveErrors.describe(e.getCause()));
    }
  }

  private static ThreadFactory threadFactory() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "fleetwarden-kube-read-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Kinds to list, each with the namespaces to list it in (empty for cluster-scoped kinds). */
  static SortedMap<ApiKind, SortedSet<String>> plan(
      Collection<DesiredObject> desired, Collection<ApiKind> orphanKinds) {
    Map<String, ApiKind> kinds = new HashMap<>();
    SortedMap<ApiKind, SortedSet<String>> plan = new TreeMap<>();
    for (DesiredObject d : desired) {
      ApiKind kind =
          kinds.computeIfAbsent(
              d.apiVersion() + " " + d.id().kind(), k -> ApiKind.of(d.apiVersion(), d.id().kind()));
      SortedSet<String> namespaces = plan.computeIfAbsent(kind, k -> new TreeSet<>());
      if (kind.namespaced()) {
        String ns = d.id().namespaceOrNull();
        namespaces.add(ns == null ? "default" : ns);
      }
    }
    for (ApiKind kind : orphanKinds) {
      plan.computeIfAbsent(kind, k -> new TreeSet<>());
    }
    return plan;
  }

  /** The state of one cluster's read. */
  private final class Reading {
    final String cluster;
    final KubernetesClient client;
    final long deadline;
    final List<ObjectNode> objects = new ArrayList<>();
    final List<LiveFinding> findings = new ArrayList<>();
    final Map<ApiKind, Boolean> unserved = new TreeMap<>();
    int calls;

    Reading(String cluster, KubernetesClient client, long deadline) {
      this.cluster = cluster;
      this.client = client;
      this.deadline = deadline;
    }

    void readKind(ApiKind kind, SortedSet<String> namespaces) {
      MixedOperation<
              GenericKubernetesResource,
              GenericKubernetesResourceList,
              Resource<GenericKubernetesResource>>
          op = client.genericKubernetesResources(kind.context());
      if (!kind.namespaced()) {
        list(kind, null, () -> op.list());
        return;
      }
      for (String ns : namespaces) {
        if (!list(kind, ns, () -> op.inNamespace(ns).list())) {
          return;
        }
      }
      list(kind, null, () -> op.inAnyNamespace().withLabel(Ownership.LABEL).list());
    }

    /** One list call; false when the kind turned out not to be served. */
    boolean list(
        ApiKind kind,
        String namespace,
        java.util.function.Supplier<GenericKubernetesResourceList> call) {
      if (System.nanoTime() > deadline) {
        throw new Unknown(
            "reading cluster "
                + cluster
                + " took longer than "
                + settings.clusterReadTimeout().toSeconds()
                + " s; the API server is too slow or the read too large");
      }
      String where = namespace == null ? "" : " in namespace " + namespace;
      GenericKubernetesResourceList list;
      calls++;
      try {
        list = call.get();
      } catch (KubernetesClientException e) {
        if (LiveErrors.isCode(e, 404)) {
          unserved.put(kind, true);
          findings.add(
              new LiveFinding(
                  kind,
                  namespace,
                  "kind "
                      + kind.kind()
                      + " ("
                      + kind.apiVersion()
                      + ") is not served by the cluster: CRD absent; its desired objects are not"
                      + " checked"));
          return false;
        }
        if (LiveErrors.isCode(e, 401) || LiveErrors.isCode(e, 403)) {
          throw new Unknown(
              "cluster "
                  + cluster
                  + " refused to list "
                  + kind.resourceName()
                  + where
                  + " ("
                  + LiveErrors.describe(e)
                  + "); check the credentials and give fleetwarden get/list on "
                  + kind.resourceName());
        }
        throw new Unknown(
            "cannot list "
                + kind.resourceName()
                + where
                + " in cluster "
                + cluster
                + ": "
                + LiveErrors.describe(e));
      }
      for (GenericKubernetesResource item : list.getItems()) {
        objects.add(toNode(kind, item));
      }
      return true;
    }

    private ObjectNode toNode(ApiKind kind, GenericKubernetesResource item) {
      ObjectNode node = client.getKubernetesSerialization().convertValue(item, ObjectNode.class);
      // Real API servers leave apiVersion and kind out of list items of built-in types.
      if (!node.hasNonNull("apiVersion")) {
        node.put("apiVersion", kind.apiVersion());
      }
      if (!node.hasNonNull("kind")) {
        node.put("kind", kind.kind());
      }
      return node;
    }
  }

  /** Ends the read of a cluster whose state cannot be known. */
  private static final class Unknown extends RuntimeException {
    Unknown(String message) {
      super(message, null, false, false);
    }
  }
}

package dev.fleetwarden.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.model.ApiTypes;
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
 * {@link LiveStateReader} over Fabric8 generic resources. Per cluster it makes, for each kind and
 * {@code apiVersion} of the desired state (so that each object is read in the version Git declares
 * and the API server converts): one list per namespace that holds desired objects (one cluster-wide
 * list for cluster-scoped kinds), plus one cluster-wide list selected by the ownership label for
 * namespaced kinds. Plural and scope come from {@link ApiKind}: the vendored Kubernetes API for
 * built-in kinds; for custom resources the CRDs rendered with them, else those the cluster serves,
 * read with one list of {@code customresourcedefinitions} when the desired state holds a custom
 * resource (a refused or failed CRD list is no error: the desired objects' own scope is used, and
 * lists compare by position).
 */
public final class Fabric8LiveStateReader implements LiveStateReader {
  private static final Logger LOG = LoggerFactory.getLogger(Fabric8LiveStateReader.class);
  private static final ApiKind CRD =
      ApiKind.of("apiextensions.k8s.io/v1", "CustomResourceDefinition");

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
    List<ObjectNode> crds = readCrds(cluster, client, desired);
    if (!crds.isEmpty()) {
      try {
        plan = plan(desired, orphanKinds, crds);
      } catch (IllegalArgumentException e) {
        return LiveState.unknown(cluster, "cannot read cluster " + cluster + ": " + e.getMessage());
      }
    }
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
    return LiveState.known(
        cluster, reading.objects, reading.findings, reading.unserved.keySet(), crds);
  }

  @Override
  public List<ObjectNode> crds(String cluster) {
    KubernetesClient client;
    try {
      client = clients.client(cluster);
    } catch (KubeAccessException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    try {
      return listCrds(client);
    } catch (KubernetesClientException e) {
      throw new IllegalStateException(
          "cannot list the CustomResourceDefinitions of cluster "
              + cluster
              + ": "
              + LiveErrors.describe(e),
          e);
    }
  }

  /**
   * The CRDs of the desired state's custom resources that the desired state does not render itself
   * (those are read as desired objects): one get each by its usual name {@code plural.group}, and
   * one list of all CRDs when a name misses. None when the cluster refuses.
   */
  private List<ObjectNode> readCrds(
      String cluster, KubernetesClient client, Collection<DesiredObject> desired) {
    List<ObjectNode> manifests = new ArrayList<>(desired.size());
    desired.forEach(d -> manifests.add(d.manifest()));
    ApiTypes rendered = ApiTypes.builtIn().withCrds(manifests);
    SortedSet<String> wanted = new TreeSet<>();
    for (DesiredObject d : desired) {
      if (rendered.type(d.id().group(), d.id().kind()) == null) {
        wanted.add(ApiKind.of(d.apiVersion(), d.id().kind()).plural() + "." + d.id().group());
      }
    }
    if (wanted.isEmpty()) {
      return List.of();
    }
    try {
      List<ObjectNode> out = new ArrayList<>();
      var op = client.genericKubernetesResources(CRD.context());
      for (String name : wanted) {
        GenericKubernetesResource crd = op.withName(name).get();
        if (crd == null) {
          return listCrds(client);
        }
        out.add(crdNode(client, crd));
      }
      return out;
    } catch (KubernetesClientException e) {
      LOG.info(
          "cluster {}: CustomResourceDefinitions not read ({}); custom resources keep the scope"
              + " they were rendered with and their lists compare by position",
          cluster,
          LiveErrors.describe(e));
      return List.of();
    }
  }

  private static List<ObjectNode> listCrds(KubernetesClient client) {
    List<ObjectNode> out = new ArrayList<>();
    for (GenericKubernetesResource item :
        client.genericKubernetesResources(CRD.context()).list().getItems()) {
      out.add(crdNode(client, item));
    }
    return out;
  }

  private static ObjectNode crdNode(KubernetesClient client, GenericKubernetesResource item) {
    ObjectNode node = client.getKubernetesSerialization().convertValue(item, ObjectNode.class);
    if (!node.hasNonNull("apiVersion")) {
      node.put("apiVersion", CRD.apiVersion());
    }
    if (!node.hasNonNull("kind")) {
      node.put("kind", CRD.kind());
    }
    return node;
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
    return plan(desired, orphanKinds, List.of());
  }

  /**
   * The plan, custom resources scoped and named by the CRDs among the desired objects and then
   * {@code liveCrds} (the cluster's), else by the desired object's own scope.
   */
  static SortedMap<ApiKind, SortedSet<String>> plan(
      Collection<DesiredObject> desired,
      Collection<ApiKind> orphanKinds,
      List<ObjectNode> liveCrds) {
    List<ObjectNode> manifests = new ArrayList<>(desired.size());
    desired.forEach(d -> manifests.add(d.manifest()));
    ApiTypes types = ApiTypes.builtIn().withCrds(manifests).withCrds(liveCrds);
    Map<String, ApiKind> kinds = new HashMap<>();
    SortedMap<ApiKind, SortedSet<String>> plan = new TreeMap<>();
    for (DesiredObject d : desired) {
      ApiKind kind =
          kinds.computeIfAbsent(
              d.apiVersion() + " " + d.id().kind(),
              k -> ApiKind.of(d.apiVersion(), d.id().kind(), types, !d.id().isClusterScoped()));
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

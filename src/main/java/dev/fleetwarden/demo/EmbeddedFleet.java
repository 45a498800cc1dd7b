package dev.fleetwarden.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.fleet.Connection;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.kube.ApiKind;
import dev.fleetwarden.kube.ClusterClients;
import dev.fleetwarden.kube.HttpClients;
import dev.fleetwarden.kube.KubeconfigPolicy;
import dev.fleetwarden.kube.ObjectNotFoundException;
import dev.fleetwarden.model.ApiTypes;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.YamlStrings;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process Kubernetes API servers standing in for a fleet's clusters: one Fabric8 mock server in
 * CRUD mode per cluster, on 127.0.0.1 and a free port, and a kubeconfig file with one context per
 * cluster pointing at them (usable by {@link ClusterClients}). Workload clusters that connect
 * through a kubeconfig Secret get that Secret in the management cluster.
 *
 * <p>Like a real API server, a custom resource kind is served only once its CRD exists; {@link
 * #apply} installs a minimal CRD for any custom kind it is given. The mock has no server-side
 * apply, defaults, status or managedFields (see the demo drift for those).
 *
 * <p>kubectl works against them: they serve discovery, the {@code scale} subresource and strategic
 * merge patches (see {@link EmbeddedApiDispatcher}).
 *
 * <p>Started with a state directory ({@link Builder#stateDir}), the clusters outlive the process:
 * each cluster's objects are saved to {@code <dir>/<cluster>.json} at most a second after every
 * change and on {@link #close}, and a cluster with a saved file starts from it instead of empty.
 */
public final class EmbeddedFleet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedFleet.class);
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .stringQuotingChecker(YamlStrings.QUOTING)
              .build());

  private final Map<String, Server> servers;
  private final Path kubeconfig;
  private final HttpClient.Factory httpClientFactory = HttpClients.vertx();
  private final Set<String> kubeconfigSecrets = new ConcurrentSkipListSet<>();
  private final Set<String> restored = new LinkedHashSet<>();
  private final Set<String> unsaved = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean savePending = new AtomicBoolean();
  private final Object saveLock = new Object();
  private volatile Path stateDir;
  private boolean stateDirRequested;
  private volatile ScheduledExecutorService saver;

  private EmbeddedFleet(Map<String, Server> servers, Path kubeconfig) {
    this.servers = servers;
    this.kubeconfig = kubeconfig;
  }

  /** A fleet of plain clusters (all reachable through the kubeconfig), written to {@code file}. */
  public static EmbeddedFleet start(Path kubeconfigFile, String... clusters) {
    Builder b = builder(kubeconfigFile);
    for (String c : clusters) {
      b.cluster(c);
    }
    return b.start();
  }

  /**
   * The clusters of a fleet: one server per cluster, contexts named as each cluster's connection
   * says, and a kubeconfig Secret in the management cluster for each {@code kubeconfig-secret}
   * cluster.
   */
  public static EmbeddedFleet forFleet(Fleet fleet, Path kubeconfigFile) {
    return forFleet(fleet, kubeconfigFile, null);
  }

  /**
   * As {@link #forFleet(Fleet, Path)}, kept in {@code stateDir} (null: not kept): the clusters
   * saved there come back as they were, and every cluster is saved there as it changes.
   */
  public static EmbeddedFleet forFleet(Fleet fleet, Path kubeconfigFile, Path stateDir) {
    Builder b = builder(kubeconfigFile).stateDir(stateDir);
    String management = null;
    for (ClusterSpec c : fleet.clusters().values()) {
      if (c.role() == ClusterSpec.Role.MANAGEMENT) {
        management = c.name();
      }
    }
    for (ClusterSpec c : fleet.clusters().values()) {
      Connection conn = c.connection();
      if (conn.type() == Connection.Type.KUBECONFIG_CONTEXT && conn.context() != null) {
        b.cluster(c.name(), conn.context());
      } else {
        b.cluster(c.name());
      }
      if (conn.type() == Connection.Type.KUBECONFIG_SECRET && management != null) {
        b.kubeconfigSecret(
            management, c.name(), conn.secretNamespace(), conn.secretName(), conn.secretKey());
      }
    }
    return b.start();
  }

  public static Builder builder(Path kubeconfigFile) {
    return new Builder(kubeconfigFile);
  }

  /** Collects the clusters to start. */
  public static final class Builder {
    private final Path kubeconfig;
    private final Map<String, String> contexts = new LinkedHashMap<>();
    private final List<String[]> secrets = new ArrayList<>();
    private Path stateDir;
    private Function<Map<ServerRequest, Queue<ServerResponse>>, EmbeddedApiDispatcher> dispatchers =
        EmbeddedApiDispatcher::new;

    private Builder(Path kubeconfig) {
      this.kubeconfig = kubeconfig;
    }

    /** The dispatcher of every cluster's server (tests add fault switches to it). */
    Builder dispatchers(
        Function<Map<ServerRequest, Queue<ServerResponse>>, EmbeddedApiDispatcher> factory) {
      this.dispatchers = factory;
      return this;
    }

    /**
     * Keeps the clusters in {@code dir} (null: not kept): a cluster saved there starts from its
     * saved objects, and every cluster is saved there after each change and on close.
     */
    public Builder stateDir(Path dir) {
      this.stateDir = dir;
      return this;
    }

    /** A cluster whose kubeconfig context is named after it. */
    public Builder cluster(String name) {
      return cluster(name, name);
    }

    /** A cluster whose kubeconfig context has another name. */
    public Builder cluster(String name, String context) {
      contexts.put(name, context);
      return this;
    }

    /**
     * Stores the kubeconfig of {@code cluster} in {@code management} as Secret {@code
     * namespace/name}, key {@code key} (nulls: {@code default}, {@code <cluster>-kubeconfig},
     * {@code value}), as Cluster API does.
     */
    public Builder kubeconfigSecret(
        String management, String cluster, String namespace, String name, String key) {
      secrets.add(
          new String[] {
            management,
            cluster,
            namespace == null ? "default" : namespace,
            name == null ? cluster + "-kubeconfig" : name,
            key == null ? "value" : key
          });
      return this;
    }

    public EmbeddedFleet start() {
      Map<String, Server> servers = new LinkedHashMap<>();
      EmbeddedFleet fleet = new EmbeddedFleet(servers, kubeconfig);
      fleet.stateDirRequested = stateDir != null;
      try {
        Map<String, ClusterSnapshot> saved = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : contexts.entrySet()) {
          Optional<ClusterSnapshot> snapshot =
              stateDir == null ? Optional.empty() : ClusterSnapshot.read(stateDir, e.getKey());
          snapshot.ifPresent(x -> saved.put(e.getKey(), x));
          int port = snapshot.map(ClusterSnapshot::port).orElse(0);
          servers.put(e.getKey(), Server.start(e.getKey(), e.getValue(), dispatchers, port));
        }
        fleet.writeKubeconfig();
        saved.forEach(fleet::restore);
        for (String[] s : secrets) {
          fleet.storeKubeconfigSecret(s[0], s[1], s[2], s[3], s[4]);
        }
        if (stateDir != null) {
          fleet.keepIn(stateDir);
        }
      } catch (RuntimeException e) {
        fleet.close();
        throw e;
      }
      return fleet;
    }
  }

  /** One cluster's mock server and its client. */
  private static final class Server {
    final String cluster;
    final String context;
    final KubernetesMockServer mock;
    final EmbeddedApiDispatcher dispatcher;
    final int port;
    volatile KubernetesClient client;
    volatile boolean running = true;

    private Server(
        String cluster,
        String context,
        KubernetesMockServer mock,
        EmbeddedApiDispatcher dispatcher,
        int port) {
      this.cluster = cluster;
      this.context = context;
      this.mock = mock;
      this.dispatcher = dispatcher;
      this.port = port;
    }

    /** Starts on {@code port}, or on a free port when it is 0 or taken. */
    static Server start(
        String cluster,
        String context,
        Function<Map<ServerRequest, Queue<ServerResponse>>, EmbeddedApiDispatcher> dispatchers,
        int port) {
      if (port != 0) {
        try {
          return startOn(cluster, context, dispatchers, port);
        } catch (RuntimeException e) {
          LOG.info(
              "embedded cluster {}: port {} is taken, listening on another one", cluster, port);
        }
      }
      return startOn(cluster, context, dispatchers, 0);
    }

    private static Server startOn(
        String cluster,
        String context,
        Function<Map<ServerRequest, Queue<ServerResponse>>, EmbeddedApiDispatcher> dispatchers,
        int port) {
      Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
      EmbeddedApiDispatcher dispatcher = dispatchers.apply(responses);
      KubernetesMockServer mock =
          new KubernetesMockServer(
              new Context(io.fabric8.kubernetes.client.utils.Serialization.jsonMapper()),
              new MockWebServer(),
              responses,
              dispatcher,
              false);
      try {
        mock.init(InetAddress.getByName("127.0.0.1"), port);
      } catch (UnknownHostException e) {
        throw new IllegalStateException("cannot resolve 127.0.0.1", e);
      }
      LOG.info("embedded cluster {} listening on 127.0.0.1:{}", cluster, mock.getPort());
      return new Server(cluster, context, mock, dispatcher, mock.getPort());
    }

    String url() {
      return "http://127.0.0.1:" + port;
    }
  }

  /** The clusters that started from a saved state rather than empty. */
  public Set<String> restoredClusters() {
    synchronized (restored) {
      return new LinkedHashSet<>(restored);
    }
  }

  private void restore(String cluster, ClusterSnapshot snapshot) {
    int count = server(cluster).dispatcher.restore(snapshot.objects());
    synchronized (restored) {
      restored.add(cluster);
    }
    LOG.info("embedded cluster {}: restored {} objects", cluster, count);
  }

  /** From now on, saves each cluster to {@code dir} at most a second after it changes. */
  private void keepIn(Path dir) {
    stateDir = dir;
    saver =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "embedded-clusters-save");
              t.setDaemon(true);
              return t;
            });
    for (Server s : servers.values()) {
      s.dispatcher.onChange(() -> changed(s.cluster));
    }
    // Saved now, so that a kill before the first change still finds the clusters next time.
    save();
  }

  private void changed(String cluster) {
    unsaved.add(cluster);
    ScheduledExecutorService s = saver;
    if (s != null && savePending.compareAndSet(false, true)) {
      try {
        s.schedule(this::saveChanged, 1, TimeUnit.SECONDS);
      } catch (RejectedExecutionException e) {
        savePending.set(false); // closing: close() saves
      }
    }
  }

  private void saveChanged() {
    savePending.set(false);
    for (String cluster : List.copyOf(unsaved)) {
      unsaved.remove(cluster);
      try {
        save(cluster);
      } catch (RuntimeException e) {
        unsaved.add(cluster);
        LOG.warn("embedded cluster {} not saved: {}", cluster, e.getMessage());
      }
    }
  }

  /** Saves every cluster now (nothing when the fleet has no state directory). */
  public void save() {
    for (String cluster : servers.keySet()) {
      save(cluster);
    }
  }

  private void save(String cluster) {
    Path dir = stateDir;
    if (dir == null) {
      return;
    }
    Server s = server(cluster);
    synchronized (saveLock) {
      new ClusterSnapshot(cluster, s.port, s.dispatcher.objects()).write(dir);
    }
  }

  /** The kubeconfig file with one context per cluster. */
  public Path kubeconfigPath() {
    return kubeconfig;
  }

  /**
   * The kubeconfig Secrets this fleet stored in its management cluster, as {@code namespace/name}:
   * the allow-list ({@link KubeconfigPolicy#allowingSecrets}) for clients of these clusters.
   */
  public Set<String> kubeconfigSecrets() {
    return Set.copyOf(kubeconfigSecrets);
  }

  /** The cluster names, in start order. */
  public Set<String> clusters() {
    return new LinkedHashSet<>(servers.keySet());
  }

  /** The API server URL of a cluster ({@code http://127.0.0.1:<port>}). */
  public String serverUrl(String cluster) {
    return server(cluster).url();
  }

  /** A client talking straight to the cluster's server (closed with the fleet). */
  public KubernetesClient client(String cluster) {
    Server s = server(cluster);
    KubernetesClient c = s.client;
    if (c == null) {
      synchronized (s) {
        if (s.client == null) {
          s.client = s.mock.createClient(httpClientFactory);
        }
        c = s.client;
      }
    }
    return c;
  }

  /** Stops a cluster's server: from now on it is unreachable (connection refused). */
  public void stop(String cluster) {
    Server s = server(cluster);
    if (s.running) {
      s.running = false;
      s.mock.destroy();
      LOG.info("embedded cluster {} stopped", cluster);
    }
  }

  public boolean isRunning(String cluster) {
    return server(cluster).running;
  }

  /** How many requests the cluster's server has received (to check that reads are lists). */
  public int requestCount(String cluster) {
    return server(cluster).mock.getRequestCount();
  }

  /** The dispatcher of a cluster's server. */
  EmbeddedApiDispatcher dispatcher(String cluster) {
    return server(cluster).dispatcher;
  }

  /** The types the cluster serves: the built-in kinds and those of the CRDs it holds. */
  private ApiTypes served(String cluster) {
    return ApiTypes.builtIn().withCrds(server(cluster).dispatcher.crds());
  }

  /** A kind the cluster serves (a custom kind it holds no CRD for is taken as namespaced). */
  private ApiKind kindOf(String cluster, String apiVersion, String kind) {
    return ApiKind.of(apiVersion, kind, served(cluster), true);
  }

  /** Whether the cluster serves this kind (built-in, or a custom kind whose CRD exists). */
  public boolean serves(String cluster, ApiKind kind) {
    return server(cluster).dispatcher.serves(kind.group(), kind.plural());
  }

  /** Creates a minimal CRD for a custom kind (a no-op for built-in kinds or served kinds). */
  public void installCrd(String cluster, ApiKind kind) {
    if (serves(cluster, kind)) {
      return;
    }
    ObjectNode crd = JsonNodeFactory.instance.objectNode();
    crd.put("apiVersion", "apiextensions.k8s.io/v1");
    crd.put("kind", "CustomResourceDefinition");
    crd.putObject("metadata").put("name", kind.resourceName());
    ObjectNode spec = crd.putObject("spec");
    spec.put("group", kind.group());
    spec.put("scope", kind.namespaced() ? "Namespaced" : "Cluster");
    ObjectNode names = spec.putObject("names");
    names.put("kind", kind.kind());
    names.put("listKind", kind.kind() + "List");
    names.put("plural", kind.plural());
    names.put("singular", kind.kind().toLowerCase(java.util.Locale.ROOT));
    ArrayNode versions = spec.putArray("versions");
    ObjectNode v = versions.addObject();
    v.put("name", kind.version());
    v.put("served", true);
    v.put("storage", true);
    v.putObject("schema")
        .putObject("openAPIV3Schema")
        .put("type", "object")
        .put("x-kubernetes-preserve-unknown-fields", true);
    upsert(cluster, ApiKind.of("apiextensions.k8s.io/v1", "CustomResourceDefinition"), crd);
  }

  /** What {@link #apply} did. */
  public record ApplyResult(int created, int updated) {}

  /**
   * Creates or replaces objects as a GitOps tool would (the mock has no server-side apply):
   * namespaces first (including those the objects live in), then CRDs (installing one for any
   * custom kind not served yet), then the rest.
   */
  public ApplyResult apply(String cluster, Collection<DesiredObject> objects) {
    server(cluster);
    List<JsonNode> manifests = new ArrayList<>();
    objects.forEach(d -> manifests.add(d.manifest()));
    ApiTypes types = served(cluster).withCrds(manifests);
    List<ObjectNode> namespaces = new ArrayList<>();
    List<ObjectNode> crds = new ArrayList<>();
    List<ObjectNode> rest = new ArrayList<>();
    Set<String> namespaceNames = new java.util.TreeSet<>();
    Set<String> declaredNamespaces = new java.util.HashSet<>();
    for (DesiredObject d : objects) {
      ObjectNode m = d.manifest().deepCopy();
      String kind = d.id().kind();
      if (kind.equals("Secret") && d.apiVersion().equals("v1")) {
        encodeStringData(m);
      }
      if (kind.equals("Namespace") && d.apiVersion().equals("v1")) {
        namespaces.add(m);
        declaredNamespaces.add(d.id().name());
      } else if (kind.equals("CustomResourceDefinition")) {
        crds.add(m);
      } else {
        rest.add(m);
        ApiKind k = ApiKind.of(d.apiVersion(), kind, types, !d.id().isClusterScoped());
        if (k.namespaced()) {
          String ns = d.id().namespaceOrNull();
          namespaceNames.add(ns == null ? "default" : ns);
          if (ns == null) {
            m.withObjectProperty("metadata").put("namespace", "default");
          }
        }
      }
    }
    for (String ns : namespaceNames) {
      if (!declaredNamespaces.contains(ns)) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("apiVersion", "v1").put("kind", "Namespace");
        n.putObject("metadata").put("name", ns);
        namespaces.add(0, n);
      }
    }
    int[] counts = new int[2];
    for (List<ObjectNode> group : List.of(namespaces, crds, rest)) {
      for (ObjectNode m : group) {
        ApiKind kind =
            ApiKind.of(
                m.path("apiVersion").asText(),
                m.path("kind").asText(),
                types,
                m.path("metadata").hasNonNull("namespace"));
        installCrd(cluster, kind);
        counts[upsert(cluster, kind, m) ? 0 : 1]++;
      }
    }
    return new ApplyResult(counts[0], counts[1]);
  }

  /** Moves a Secret's stringData into base64 data, as an API server does on write. */
  private static void encodeStringData(ObjectNode secret) {
    if (!secret.path("stringData").isObject()) {
      return;
    }
    ObjectNode data = secret.withObjectProperty("data");
    secret
        .get("stringData")
        .fields()
        .forEachRemaining(
            e ->
                data.put(
                    e.getKey(),
                    Base64.getEncoder()
                        .encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8))));
    secret.remove("stringData");
  }

  /** Creates or updates one object; true when it was created. */
  private boolean upsert(String cluster, ApiKind kind, ObjectNode manifest) {
    KubernetesClient c = client(cluster);
    GenericKubernetesResource resource =
        c.getKubernetesSerialization().convertValue(manifest, GenericKubernetesResource.class);
    var op = c.genericKubernetesResources(kind.context());
    String ns = resource.getMetadata().getNamespace();
    var target = kind.namespaced() ? op.inNamespace(ns).resource(resource) : op.resource(resource);
    try {
      target.create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
    // Already there: replace it, as a GitOps tool's sync would.
    target.update();
    return false;
  }

  /**
   * The object as the cluster holds it.
   *
   * @throws ObjectNotFoundException when it does not exist
   */
  public ObjectNode get(
      String cluster, String apiVersion, String kind, String namespace, String name) {
    ApiKind k = kindOf(cluster, apiVersion, kind);
    KubernetesClient c = client(cluster);
    var op = c.genericKubernetesResources(k.context());
    GenericKubernetesResource r =
        (k.namespaced() ? op.inNamespace(namespace).withName(name) : op.withName(name)).get();
    if (r == null) {
      throw new ObjectNotFoundException(
          new ResourceId(cluster, k.group(), kind, k.namespaced() ? namespace : null, name),
          "apply the desired state to the embedded cluster first");
    }
    return c.getKubernetesSerialization().convertValue(r, ObjectNode.class);
  }

  /** Writes a changed object back (an update carrying its resourceVersion, like kubectl edit). */
  public ObjectNode update(String cluster, ObjectNode object) {
    ApiKind k = kindOf(cluster, object.path("apiVersion").asText(), object.path("kind").asText());
    KubernetesClient c = client(cluster);
    GenericKubernetesResource r =
        c.getKubernetesSerialization().convertValue(object, GenericKubernetesResource.class);
    var op = c.genericKubernetesResources(k.context());
    GenericKubernetesResource out =
        (k.namespaced() ? op.inNamespace(r.getMetadata().getNamespace()) : op).resource(r).update();
    return c.getKubernetesSerialization().convertValue(out, ObjectNode.class);
  }

  /** Creates an object that must not exist yet. */
  public ObjectNode create(String cluster, ObjectNode object) {
    ApiKind k = kindOf(cluster, object.path("apiVersion").asText(), object.path("kind").asText());
    KubernetesClient c = client(cluster);
    GenericKubernetesResource r =
        c.getKubernetesSerialization().convertValue(object, GenericKubernetesResource.class);
    var op = c.genericKubernetesResources(k.context());
    GenericKubernetesResource out =
        (k.namespaced() ? op.inNamespace(r.getMetadata().getNamespace()) : op).resource(r).create();
    return c.getKubernetesSerialization().convertValue(out, ObjectNode.class);
  }

  /**
   * Deletes an object.
   *
   * @throws ObjectNotFoundException when it does not exist
   */
  public void delete(
      String cluster, String apiVersion, String kind, String namespace, String name) {
    get(cluster, apiVersion, kind, namespace, name);
    ApiKind k = kindOf(cluster, apiVersion, kind);
    var op = client(cluster).genericKubernetesResources(k.context());
    (k.namespaced() ? op.inNamespace(namespace).withName(name) : op.withName(name)).delete();
  }

  /**
   * Stores the kubeconfig of {@code cluster} (one context, current) in the management cluster as a
   * Secret, base64-encoded under {@code key}.
   */
  public void storeKubeconfigSecret(
      String management, String cluster, String namespace, String name, String key) {
    String kubeconfigText = kubeconfigYaml(List.of(server(cluster)), cluster);
    KubernetesClient c = client(management);
    if (c.namespaces().withName(namespace).get() == null) {
      c.namespaces()
          .resource(
              new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                  .withNewMetadata()
                  .withName(namespace)
                  .endMetadata()
                  .build())
          .create();
    }
    String value =
        Base64.getEncoder().encodeToString(kubeconfigText.getBytes(StandardCharsets.UTF_8));
    var secret = c.secrets().inNamespace(namespace).withName(name);
    io.fabric8.kubernetes.api.model.Secret existing = secret.get();
    if (existing != null) {
      // Restored from a saved state: keep what was added to it, point it at today's server.
      if (!value.equals(existing.getData() == null ? null : existing.getData().get(key))) {
        secret.edit(
            s -> {
              if (s.getData() == null) {
                s.setData(new HashMap<>());
              }
              s.getData().put(key, value);
              return s;
            });
      }
    } else {
      c.secrets()
          .inNamespace(namespace)
          .resource(
              new SecretBuilder()
                  .withMetadata(
                      new ObjectMetaBuilder()
                          .withName(name)
                          .withNamespace(namespace)
                          .addToLabels("cluster.x-k8s.io/cluster-name", cluster)
                          .build())
                  .withType("cluster.x-k8s.io/secret")
                  .addToData(key, value)
                  .build())
          .create();
    }
    kubeconfigSecrets.add(namespace + "/" + name);
  }

  private void writeKubeconfig() {
    String current = servers.isEmpty() ? null : servers.values().iterator().next().context;
    if (stateDirRequested && Files.isRegularFile(kubeconfig)) {
      // A restart keeps the context chosen with `kubectl config use-context`.
      try {
        String chosen = YAML.readTree(kubeconfig.toFile()).path("current-context").asText("");
        if (servers.values().stream().anyMatch(s -> s.context.equals(chosen))) {
          current = chosen;
        }
      } catch (IOException | RuntimeException e) {
        // Not a kubeconfig we can read: it is rewritten below.
      }
    }
    String text = kubeconfigYaml(new ArrayList<>(servers.values()), current);
    try {
      if (kubeconfig.getParent() != null) {
        Files.createDirectories(kubeconfig.getParent());
      }
      Files.writeString(kubeconfig, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the embedded fleet's kubeconfig " + kubeconfig, e);
    }
  }

  private static String kubeconfigYaml(List<Server> list, String currentContext) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("apiVersion", "v1");
    root.put("kind", "Config");
    List<Object> clusters = new ArrayList<>();
    List<Object> users = new ArrayList<>();
    List<Object> contexts = new ArrayList<>();
    for (Server s : list) {
      clusters.add(Map.of("name", s.context, "cluster", Map.of("server", s.url())));
      users.add(Map.of("name", s.context, "user", Map.of()));
      contexts.add(
          Map.of(
              "name",
              s.context,
              "context",
              new TreeMap<>(
                  Map.of("cluster", s.context, "user", s.context, "namespace", "default"))));
    }
    root.put("clusters", clusters);
    root.put("users", users);
    root.put("contexts", contexts);
    root.put("current-context", currentContext == null ? "" : currentContext);
    root.put("preferences", Map.of());
    try {
      return YAML.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Server server(String cluster) {
    Server s = servers.get(cluster);
    if (s == null) {
      throw new IllegalArgumentException(
          "no embedded cluster named " + cluster + "; the fleet has " + servers.keySet());
    }
    return s;
  }

  @Override
  public void close() {
    ScheduledExecutorService s = saver;
    if (s != null) {
      saver = null;
      s.shutdownNow();
      try {
        s.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try {
        save();
      } catch (RuntimeException e) {
        LOG.warn("embedded clusters not saved on close: {}", e.getMessage());
      }
    }
    for (Server server : servers.values()) {
      KubernetesClient c = server.client;
      if (c != null) {
        c.close();
      }
      if (server.running) {
        server.running = false;
        server.mock.destroy();
      }
    }
  }
}

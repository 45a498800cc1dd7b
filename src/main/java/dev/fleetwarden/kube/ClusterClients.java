package dev.fleetwarden.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.fleet.Connection;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.model.CompactNodes;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Fabric8 client per cluster, created on first use from the cluster's {@link Connection}:
 *
 * <ul>
 *   <li>{@code kubeconfig-context}: the named context of the given kubeconfig file, or of {@code
 *       KUBECONFIG} / {@code ~/.kube/config} when no file is given;
 *   <li>{@code kubeconfig-secret}: the kubeconfig stored base64-encoded in a Secret of the
 *       management cluster (Cluster API style), read through the management cluster's client;
 *   <li>{@code in-cluster}: the service account of the pod fleetwarden runs in.
 * </ul>
 *
 * Every client gets the timeouts and rate limit of {@link KubeSettings} and the Vert.x HTTP client.
 * Thread-safe; closing closes every client created. Kubeconfig contents and tokens never appear in
 * logs or exception messages.
 *
 * <p>The fleet repo chooses the connection, the operator's {@link KubeconfigPolicy} bounds it: a
 * kubeconfig Secret is read only when the policy allows it (checked before any request), and a
 * kubeconfig whose user runs an {@code exec} plugin, uses an {@code auth-provider} or names a local
 * file is refused before Fabric8 parses it, unless the policy allows exec plugins.
 */
public final class ClusterClients implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterClients.class);
  private static final String SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount/";

  private final Map<String, Connection> connections;
  private final String managementCluster;
  private final Path kubeconfig;
  private final KubeSettings settings;
  // One Vert.x instance for the clients of every cluster (closed with them), not one per cluster.
  private final Vertx vertx = HttpClients.sharedVertx();
  private final HttpClient.Factory httpClientFactory = HttpClients.vertx(vertx);
  // One Jackson mapper for every client: each mapper caches what it learned of the model classes
  // (about 2 MB once lists and watches have run), which a fleet of 100 clusters paid 100 times.
  // Objects read become compact trees (CompactNodes): the diff and the watch cache hold them.
  private final KubernetesSerialization serialization =
      new KubernetesSerialization(new ObjectMapper().setNodeFactory(CompactNodes.DEFAULT), true);
  private final ConcurrentHashMap<String, CompletableFuture<KubernetesClient>> clients =
      new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param connections how to reach each cluster, by cluster name
   * @param managementCluster the cluster holding kubeconfig Secrets; may be null when no connection
   *     is {@code kubeconfig-secret}
   * @param kubeconfig the kubeconfig file for {@code kubeconfig-context} connections; null means
   *     {@code KUBECONFIG} or the default location
   */
  public ClusterClients(
      Map<String, Connection> connections,
      String managementCluster,
      Path kubeconfig,
      KubeSettings settings) {
    this.connections = Map.copyOf(connections);
    this.managementCluster = managementCluster;
    this.kubeconfig = kubeconfig;
    this.settings = settings == null ? KubeSettings.DEFAULTS : settings;
  }

  /** Clients for every cluster of a fleet, connected as each cluster's {@code connection} says. */
  public static ClusterClients forFleet(Fleet fleet, Path kubeconfig, KubeSettings settings) {
    Map<String, Connection> connections = new LinkedHashMap<>();
    String management = null;
    for (ClusterSpec cluster : fleet.clusters().values()) {
      connections.put(cluster.name(), cluster.connection());
      if (cluster.role() == ClusterSpec.Role.MANAGEMENT) {
        management = cluster.name();
      }
    }
    return new ClusterClients(connections, management, kubeconfig, settings);
  }

  /** The clusters these clients can reach. */
  public Set<String> clusters() {
    return connections.keySet();
  }

  public KubeSettings settings() {
    return settings;
  }

  /**
   * The client of a cluster, created on first use.
   *
   * @throws KubeAccessException when the cluster is unknown or its connection cannot be set up
   *     (missing context, missing Secret, unreadable kubeconfig...)
   */
  public KubernetesClient client(String cluster) {
    if (closed) {
      throw new IllegalStateException("cluster clients are closed");
    }
    CompletableFuture<KubernetesClient> mine = new CompletableFuture<>();
    CompletableFuture<KubernetesClient> existing = clients.putIfAbsent(cluster, mine);
    if (existing != null) {
      return await(cluster, existing);
    }
    try {
      KubernetesClient client = create(cluster);
      mine.complete(client);
      return client;
    } catch (RuntimeException e) {
      // A failed setup is retried on the next call (the Secret may appear later).
      clients.remove(cluster, mine);
      mine.completeExceptionally(e);
      throw e;
    }
  }

  private static KubernetesClient await(String cluster, CompletableFuture<KubernetesClient> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KubeAccessException(cluster, "interrupted while connecting to cluster " + cluster);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new KubeAccessException(cluster, "cannot connect to cluster " + cluster, e.getCause());
    }
  }

  private KubernetesClient create(String cluster) {
    Connection connection = connections.get(cluster);
    if (connection == null) {
      throw new KubeAccessException(
          cluster, "cluster " + cluster + " is not part of the fleet; check its cluster.yaml");
    }
    Config config =
        switch (connection.type()) {
          case KUBECONFIG_CONTEXT -> contextConfig(cluster, connection);
          case KUBECONFIG_SECRET -> secretConfig(cluster, connection);
          case IN_CLUSTER -> inClusterConfig(cluster);
        };
    applySettings(config, settings);
    LOG.debug(
        "cluster {}: client for {} via {}",
        cluster,
        config.getMasterUrl(),
        connection.type().label());
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(httpClientFactory)
        .withKubernetesSerialization(serialization)
        .build();
  }

  /** Puts the timeouts and rate limit of the settings into a Fabric8 config. */
  static void applySettings(Config config, KubeSettings settings) {
    config.setConnectionTimeout((int) settings.connectTimeout().toMillis());
    config.setRequestTimeout((int) settings.requestTimeout().toMillis());
    config.setMaxConcurrentRequests(settings.maxConcurrentRequests());
    config.setMaxConcurrentRequestsPerHost(settings.maxConcurrentRequestsPerHost());
    config.setRequestRetryBackoffLimit(settings.retryBackoffLimit());
    config.setRequestRetryBackoffInterval((int) settings.retryBackoffInterval().toMillis());
  }

  private Config contextConfig(String cluster, Connection connection) {
    String context = connection.context() == null ? cluster : connection.context();
    List<Path> files;
    String where;
    if (kubeconfig != null) {
      files = List.of(kubeconfig);
      where = "kubeconfig " + kubeconfig;
    } else {
      // Not Config.autoConfigure: it would parse (and run) whatever it finds before any check.
      String home = System.getenv("HOME");
      files =
          KubeconfigCheck.locate(
              System.getenv("KUBECONFIG"),
              home == null || home.isBlank() ? System.getProperty("user.home") : home);
      if (files.isEmpty()) {
        throw new KubeAccessException(
            cluster,
            "cluster "
                + cluster
                + " connects through kubeconfig context '"
                + context
                + "' but no kubeconfig was found (KUBECONFIG names no existing file and"
                + " ~/.kube/config does not exist); set kube.kubeconfig or --kubeconfig");
      }
      where =
          files.size() == 1
              ? "kubeconfig " + files.get(0)
              : "the kubeconfigs of KUBECONFIG " + files;
    }
    List<KubeconfigCheck.Document> docs = new ArrayList<>();
    for (Path file : files) {
      String contents;
      try {
        contents = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new KubeAccessException(
            cluster,
            "cannot read kubeconfig "
                + file
                + " for cluster "
                + cluster
                + " ("
                + e.getClass().getSimpleName()
                + "); check the --kubeconfig path");
      }
      docs.add(parse(cluster, "kubeconfig " + file, contents));
    }
    if (KubeconfigCheck.contextName(docs, context) == null) {
      throw contextMissing(cluster, context, where);
    }
    Config config = toFabric8(cluster, docs, context, files, where);
    NamedContext current = config.getCurrentContext();
    if (current == null || !context.equals(current.getName())) {
      throw contextMissing(cluster, context, where);
    }
    return config;
  }

  private static KubeAccessException contextMissing(String cluster, String context, String where) {
    return new KubeAccessException(
        cluster,
        "context '"
            + context
            + "' of cluster "
            + cluster
            + " is not in "
            + where
            + "; add it or set connection.context in the cluster's cluster.yaml");
  }

  private Config secretConfig(String cluster, Connection connection) {
    if (managementCluster == null) {
      throw new KubeAccessException(
          cluster,
          "cluster "
              + cluster
              + " connects through a kubeconfig Secret but the fleet has no management cluster");
    }
    if (managementCluster.equals(cluster)) {
      throw new KubeAccessException(
          cluster,
          "the management cluster "
              + cluster
              + " cannot connect through a Secret stored in itself; use kubeconfig-context or"
              + " in-cluster");
    }
    String namespace = orDefault(connection.secretNamespace(), "default");
    String name = orDefault(connection.secretName(), cluster + "-kubeconfig");
    String key = orDefault(connection.secretKey(), "value");
    String ref = "Secret " + namespace + "/" + name;
    KubeconfigPolicy policy = settings.kubeconfigPolicy();
    boolean listed = policy.listsSecret(namespace, name);
    if (!listed && !policy.selectorCovers(namespace)) {
      // Checked before any request: the fleet repo names the Secret, the operator allows it.
      throw notAllowed(cluster, namespace, name, "");
    }
    KubernetesClient management;
    try {
      management = client(managementCluster);
    } catch (KubeAccessException e) {
      // Without this, the workload cluster would show the management cluster's reason as its own.
      throw new KubeAccessException(
          cluster,
          "its kubeconfig is "
              + ref
              + " on management cluster "
              + managementCluster
              + ", which cannot be reached: "
              + e.getMessage(),
          null);
    }
    Secret secret;
    try {
      var secrets = management.secrets().inNamespace(namespace);
      if (listed) {
        secret = secrets.withName(name).get();
      } else {
        // The API server filters by label: a Secret without the labels is never sent to us.
        List<Secret> matching =
            secrets
                .withLabels(policy.selector())
                .withField("metadata.name", name)
                .list()
                .getItems();
        if (matching.isEmpty()) {
          throw notAllowed(
              cluster,
              namespace,
              name,
              " (it does not exist, or lacks the labels of kube.kubeconfigSecrets.selector)");
        }
        secret = matching.get(0);
      }
    } catch (KubernetesClientException e) {
      throw new KubeAccessException(
          cluster,
          "cannot read "
              + ref
              + " of cluster "
              + cluster
              + " from management cluster "
              + managementCluster
              + ": "
              + LiveErrors.describe(e),
          null);
    }
    if (secret == null) {
      throw new KubeAccessException(
          cluster,
          ref
              + " (kubeconfig of cluster "
              + cluster
              + ") does not exist in management cluster "
              + managementCluster
              + "; create it or fix connection.secretRef");
    }
    String encoded = secret.getData() == null ? null : secret.getData().get(key);
    if (encoded == null) {
      throw new KubeAccessException(
          cluster,
          ref
              + " in management cluster "
              + managementCluster
              + " has no key '"
              + key
              + "'; fix connection.secretRef.key of cluster "
              + cluster);
    }
    String contents;
    try {
      contents = new String(Base64.getDecoder().decode(encoded.trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new KubeAccessException(
          cluster, "key '" + key + "' of " + ref + " is not valid base64; rewrite the Secret");
    }
    String where = "key '" + key + "' of " + ref;
    List<KubeconfigCheck.Document> docs = List.of(parse(cluster, where, contents));
    String context = KubeconfigCheck.contextName(docs, null);
    if (context == null) {
      throw new KubeAccessException(
          cluster,
          "the kubeconfig in "
              + where
              + " (cluster "
              + cluster
              + ") has no current-context naming one of its contexts; rewrite the Secret");
    }
    return toFabric8(cluster, docs, context, null, where);
  }

  private static KubeAccessException notAllowed(
      String cluster, String namespace, String name, String why) {
    return new KubeAccessException(
        cluster,
        "cluster "
            + cluster
            + ": Secret "
            + namespace
            + "/"
            + name
            + " named by connection.secretRef is not on fleetwarden's kubeconfig Secret"
            + " allow-list"
            + why
            + "; add "
            + namespace
            + "/"
            + name
            + " to "
            + KubeconfigPolicy.KEY_NAMES
            + " (the chart: rbac.kubeconfigSecrets.names) or fix connection.secretRef in the"
            + " cluster's cluster.yaml");
  }

  private static KubeconfigCheck.Document parse(String cluster, String where, String contents) {
    try {
      return KubeconfigCheck.parse(where, contents);
    } catch (KubeconfigCheck.Refused e) {
      throw new KubeAccessException(cluster, "cluster " + cluster + ": " + e.getMessage());
    }
  }

  /**
   * The Fabric8 config of a checked kubeconfig. Unless the operator allows exec plugins, a user or
   * cluster that would act on the host is refused, and Fabric8 parses the checked tree, not the
   * original text, so it sees exactly what was checked.
   *
   * @param files the files the documents were read from (null for a Secret)
   */
  private Config toFabric8(
      String cluster,
      List<KubeconfigCheck.Document> docs,
      String context,
      List<Path> files,
      String where) {
    boolean trusted = settings.kubeconfigPolicy().allowExecPlugins();
    if (!trusted) {
      String access = KubeconfigCheck.hostAccess(docs, context);
      if (access != null) {
        throw new KubeAccessException(
            cluster,
            "cluster "
                + cluster
                + ": "
                + access
                + "; fleetwarden refuses that unless the operator sets "
                + KubeconfigPolicy.KEY_EXEC
                + " to true. Use inline credentials instead (token, client-certificate-data,"
                + " client-key-data, certificate-authority-data)");
      }
    }
    try {
      List<io.fabric8.kubernetes.api.model.Config> models = new ArrayList<>();
      if (trusted && files != null) {
        // Fabric8 reads the files itself: relative paths resolve next to them, and an exec
        // plugin runs again when its token expires.
        for (Path file : files) {
          models.add(KubeConfigUtils.parseConfig(file.toFile()));
        }
      } else {
        for (KubeconfigCheck.Document d : docs) {
          models.add(KubeConfigUtils.parseConfigFromString(d.json()));
        }
      }
      // Config.empty(): no environment or system property overrides, no service account.
      Config config = Config.empty();
      KubeConfigUtils.merge(
          config, context, models.toArray(new io.fabric8.kubernetes.api.model.Config[0]));
      return config;
    } catch (RuntimeException e) {
      // The parser's message may quote the file: keep only its type.
      throw new KubeAccessException(
          cluster,
          "the kubeconfig in "
              + where
              + " (cluster "
              + cluster
              + ") cannot be used ("
              + e.getClass().getSimpleName()
              + "); check that it is a valid kubeconfig");
    }
  }

  private static Config inClusterConfig(String cluster) {
    String host = System.getenv("KUBERNETES_SERVICE_HOST");
    String port = System.getenv("KUBERNETES_SERVICE_PORT");
    if (host == null || port == null) {
      throw new KubeAccessException(
          cluster,
          "cluster "
              + cluster
              + " uses an in-cluster connection but fleetwarden is not running in a pod"
              + " (KUBERNETES_SERVICE_HOST is not set); use kubeconfig-context instead");
    }
    Path token = Path.of(SA_DIR, "token");
    if (!Files.isReadable(token)) {
      throw new KubeAccessException(
          cluster,
          "cluster "
              + cluster
              + ": no service account token at "
              + token
              + "; enable automountServiceAccountToken for fleetwarden's pod");
    }
    String hostPart = host.contains(":") ? "[" + host + "]" : host;
    return new ConfigBuilder(Config.empty())
        .withMasterUrl("https://" + hostPart + ":" + port)
        .withCaCertFile(SA_DIR + "ca.crt")
        // Projected tokens rotate: read the file on every request instead of once.
        .withOauthTokenProvider(() -> readToken(token))
        .build();
  }

  private static String readToken(Path token) {
    try {
      return Files.readString(token, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the service account token", e);
    }
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }

  @Override
  public void close() {
    closed = true;
    for (CompletableFuture<KubernetesClient> f : clients.values()) {
      KubernetesClient client = f.getNow(null);
      if (client != null) {
        try {
          client.close();
        } catch (RuntimeException e) {
          LOG.debug("closing a cluster client failed", e);
        }
      }
    }
    clients.clear();
    vertx.close();
  }
}

package dev.fleetwarden.reconcile;

import dev.fleetwarden.demo.EmbeddedFleet;
import dev.fleetwarden.demo.FaultyFleet;
import dev.fleetwarden.fleet.Connection;
import dev.fleetwarden.git.GitSettings;
import dev.fleetwarden.git.JGitFleetRepository;
import dev.fleetwarden.kube.ClusterClients;
import dev.fleetwarden.kube.Fabric8LiveStateReader;
import dev.fleetwarden.kube.Fabric8LiveWatches;
import dev.fleetwarden.kube.KubeSettings;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.render.FleetRenderer;
import dev.fleetwarden.store.JdbcStore;
import dev.fleetwarden.store.StoreConfig;
import dev.fleetwarden.watch.ClusterLeases;
import dev.fleetwarden.watch.WatchState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.eclipse.jgit.api.Git;

/**
 * A small fleet (clusters {@code a} and {@code b}, add-on {@code web}: a ConfigMap and a Deployment
 * in namespace {@code web}; add-on {@code extras}, a Role, selected by no cluster yet) in a real
 * Git remote, its embedded clusters with fault switches, an H2 store, the service and its watch
 * loop with short windows. Commits are synced to the clusters as a GitOps tool would.
 */
final class WatchFixture implements AutoCloseable {
  static final List<String> CLUSTERS = List.of("a", "b");
  static final Duration WINDOW = Duration.ofMillis(600);

  final Path dir;
  final Git remote;
  final EmbeddedFleet clusters;
  final ClusterClients clients;
  final JdbcStore store;
  final JGitFleetRepository repo;
  final FleetService service;
  final Fabric8LiveWatches watches;
  final WatchLoop loop;
  final List<String> missed = new CopyOnWriteArrayList<>();
  final List<String> skipped = new CopyOnWriteArrayList<>();

  WatchFixture(Path dir) throws Exception {
    this(dir, ClusterLeases.single(), null);
  }

  /**
   * @param beforeWatching called after the first scans, before the watch loop starts (to switch
   *     faults on)
   */
  WatchFixture(Path dir, ClusterLeases leases, Runnable beforeWatching) throws Exception {
    this.dir = dir;
    Path remoteDir = dir.resolve("remote");
    writeFleet(remoteDir);
    remote = Git.init().setDirectory(remoteDir.toFile()).setInitialBranch("main").call();
    commit("a small fleet");
    clusters = FaultyFleet.start(dir.resolve("kubeconfig"), CLUSTERS.toArray(String[]::new));
    Map<String, Connection> connections = new LinkedHashMap<>();
    CLUSTERS.forEach(c -> connections.put(c, Connection.context(c)));
    clients =
        new ClusterClients(
            connections,
            null,
            clusters.kubeconfigPath(),
            KubeSettings.DEFAULTS
                .withConnectTimeout(Duration.ofSeconds(2))
                .withRequestTimeout(Duration.ofSeconds(5))
                .withRetries(1, Duration.ofMillis(100)));
    store = JdbcStore.open(StoreConfig.embedded(dir.resolve("db")));
    repo =
        new JGitFleetRepository(
            GitSettings.of(remoteDir.toUri().toString(), "main", dir.resolve("clone")));
    Alerts alerts = new Alerts(store.alertStates(), store.outbox(), "#fallback", null);
    service =
        new FleetService(
            repo,
            new FleetRenderer(),
            new KubeLiveSource(new Fabric8LiveStateReader(clients)),
            null,
            store,
            alerts,
            Clock.systemUTC(),
            null);
    service.start();
    for (String c : CLUSTERS) {
      clusters.apply(c, service.render(c).objects());
      service.scanKubernetes(c);
    }
    watches =
        new Fabric8LiveWatches(
            clients::client,
            new Fabric8LiveWatches.Settings(
                Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(2)),
            Clock.systemUTC());
    loop =
        new WatchLoop(
            service,
            watches,
            leases,
            new WatchLoop.Settings(
                WINDOW, Duration.ofSeconds(3), Duration.ofMinutes(15), Duration.ofMillis(200)),
            Clock.systemUTC(),
            new WatchLoop.Listener() {
              @Override
              public void missed(String cluster, ResourceId id) {
                missed.add(id.toString());
              }

              @Override
              public void skipped(String cluster) {
                skipped.add(cluster);
              }
            });
    service.onAffected(
        affected -> {
          for (String c : affected) {
            ClusterRender r = service.render(c);
            if (r != null && !r.failed()) {
              clusters.apply(c, r.objects());
            }
          }
          loop.desiredChanged(affected);
        });
    if (beforeWatching != null) {
      beforeWatching.run();
    }
    loop.start();
  }

  void awaitWatching(String... names) {
    for (String c : names) {
      await("cluster " + c + " watching", () -> loop.status(c).state() == WatchState.WATCHING);
    }
  }

  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }

  static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sets a data value of the add-on's ConfigMap, as a person with kubectl would. */
  void editConfigMap(String cluster, String value) {
    clusters
        .client(cluster)
        .configMaps()
        .inNamespace("web")
        .withName("web-settings")
        .edit(
            cm -> {
              cm.getData().put("mode", value);
              return cm;
            });
  }

  void commit(String message) throws Exception {
    remote.add().addFilepattern(".").call();
    remote.add().addFilepattern(".").setUpdate(true).call();
    remote.commit().setMessage(message).setSign(false).setAuthor("dev", "dev@example.org").call();
  }

  void write(String rel, String content) {
    write(dir.resolve("remote"), rel, content);
  }

  private static void write(Path root, String rel, String content) {
    try {
      Path p = root.resolve(rel);
      Files.createDirectories(p.getParent());
      Files.writeString(p, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeFleet(Path root) {
    write(
        root,
        "fleet.yaml",
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Fleet
        metadata:
          name: watched-fleet
        spec:
          defaults:
            kubeVersion: "1.30.0"
        """);
    write(
        root,
        "environments/dev.yaml",
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Environment
        metadata:
          name: dev
        spec: {}
        """);
    for (String c : CLUSTERS) {
      write(
          root,
          "clusters/" + c + "/cluster.yaml",
          """
          apiVersion: fleetwarden.dev/v1alpha1
          kind: Cluster
          metadata:
            name: %s
          spec:
            role: workload
            environment: dev
            addons:
              - name: web
          """
              .formatted(c));
    }
    write(
        root,
        "addons/web/addon.yaml",
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Addon
        metadata:
          name: web
        spec:
          namespace: web
          source:
            manifests: {path: manifests}
        """);
    write(
        root,
        "addons/web/manifests/settings.yaml",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: web-settings
        data:
          mode: normal
        """);
    write(
        root,
        "addons/web/manifests/deployment.yaml",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 2
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
                - name: web
                  image: nginx:1.27
        """);
    write(
        root,
        "addons/extras/addon.yaml",
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Addon
        metadata:
          name: extras
        spec:
          namespace: web
          source:
            manifests: {path: manifests}
        """);
    write(
        root,
        "addons/extras/manifests/role.yaml",
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata:
          name: web-reader
        rules:
          - apiGroups: [""]
            resources: [configmaps]
            verbs: [get]
        """);
  }

  @Override
  public void close() throws Exception {
    loop.close();
    clients.close();
    clusters.close();
    repo.close();
    store.close();
    remote.close();
  }
}

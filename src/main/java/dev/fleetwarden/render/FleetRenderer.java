package dev.fleetwarden.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.fleet.AddonSource;
import dev.fleetwarden.fleet.AddonSpec;
import dev.fleetwarden.fleet.ClusterSpec;
import dev.fleetwarden.fleet.Fleet;
import dev.fleetwarden.model.ApiTypes;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.Ownership;
import dev.fleetwarden.model.Provenance;
import dev.fleetwarden.model.RenderError;
import dev.fleetwarden.model.ResourceId;
import dev.fleetwarden.model.ValueOrigin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Renders the desired state of clusters: each cluster's add-ons ({@link Fleet#addonsOf}) rendered
 * from their source (Helm chart, plain manifests, Kustomize), post-processed (scope, ownership
 * label {@value Ownership#LABEL}, per-cluster patches) and merged into one {@link ClusterRender}
 * with objects sorted by {@link ResourceId}. Clusters render in parallel on a bounded pool; a
 * failing add-on fails its cluster only. The same fleet tree always renders the same objects, byte
 * for byte. Instances are thread-safe and keep caches across renders (keyed by content, so an
 * edited repo is never served stale output).
 *
 * <p>Scope comes from the API, never from a guess: a namespaced kind without a namespace gets its
 * add-on's namespace, a cluster-scoped kind never has one (a namespace written on it is dropped, as
 * the API server drops it). The kind's scope is the vendored Kubernetes API's ({@link
 * ApiTypes#builtIn()}) for built-in kinds, else that of a CustomResourceDefinition rendered for the
 * same cluster, else (when the renderer was given one) that of a CRD the cluster itself serves
 * ({@link ClusterCrds}). Any other kind fails the cluster's render with an error naming the file
 * and line that produced the object.
 */
public final class FleetRenderer {
  /** The ownership mark added to every rendered object; its value is the add-on name. */
  private final int parallelism;

  private final HelmRenderer helm;
  private final ManifestRenderer manifests = new ManifestRenderer();
  private final KustomizeRenderer kustomize;
  private final ClusterCrds clusterCrds;

  /** Helm in its own process, Kustomize from PATH, one worker per available processor. */
  public FleetRenderer() {
    this(
        Runtime.getRuntime().availableProcessors(),
        new HelmRenderer(new HelmJavaEngine()),
        new KustomizeRenderer());
  }

  public FleetRenderer(int parallelism, HelmRenderer helm, KustomizeRenderer kustomize) {
    this(parallelism, helm, kustomize, null);
  }

  /**
   * @param clusterCrds the CRDs a cluster serves, asked only for a kind the vendored API and the
   *     fleet's own CRDs do not know; null: rendering stays offline and such a kind is an error
   */
  public FleetRenderer(
      int parallelism, HelmRenderer helm, KustomizeRenderer kustomize, ClusterCrds clusterCrds) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
    }
    this.parallelism = parallelism;
    this.helm = helm;
    this.kustomize = kustomize;
    this.clusterCrds = clusterCrds;
  }

  /** The same renderer (sharing its Helm and Kustomize renderers) asking clusters for CRDs. */
  public FleetRenderer withClusterCrds(ClusterCrds crds) {
    return new FleetRenderer(parallelism, helm, kustomize, crds);
  }

  public HelmRenderer helm() {
    return helm;
  }

  /** Renders every cluster of the fleet. */
  public SortedMap<String, ClusterRender> renderAll(Fleet fleet, RenderListener progress) {
    return render(fleet, fleet.clusters().keySet(), progress);
  }

  /**
   * Renders the named clusters in parallel; the result is keyed and sorted by cluster name. An
   * unknown name yields a failed render naming the known clusters.
   */
  public SortedMap<String, ClusterRender> render(
      Fleet fleet, Collection<String> clusterNames, RenderListener progress) {
    RenderListener listener = progress == null ? RenderListener.NONE : progress;
    List<String> names = new ArrayList<>(new TreeSet<>(clusterNames));
    SortedMap<String, ClusterRender> result = new TreeMap<>();
    if (names.isEmpty()) {
      return result;
    }
    ContentHashes hashes = new ContentHashes(fleet.root());
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.min(parallelism, names.size()), threads());
    try {
      Map<String, Future<ClusterRender>> futures = new LinkedHashMap<>();
      for (String name : names) {
        futures.put(name, pool.submit(() -> renderObserved(fleet, name, hashes, listener)));
      }
      for (Map.Entry<String, Future<ClusterRender>> e : futures.entrySet()) {
        result.put(e.getKey(), await(e.getKey(), e.getValue()));
      }
    } finally {
      pool.shutdownNow();
    }
    return Collections.unmodifiableSortedMap(result);
  }

  /** Renders one cluster on the calling thread. */
  public ClusterRender renderCluster(Fleet fleet, String cluster) {
    return renderOne(fleet, cluster, new ContentHashes(fleet.root()));
  }

  private ClusterRender renderObserved(
      Fleet fleet, String name, ContentHashes hashes, RenderListener listener) {
    long start = System.nanoTime();
    try {
      listener.clusterStarted(name);
    } catch (RuntimeException ignored) {
      // progress output must never break a render
    }
    ClusterRender render = renderOne(fleet, name, hashes);
    try {
      listener.clusterDone(render, Duration.ofNanos(System.nanoTime() - start));
    } catch (RuntimeException ignored) {
      // progress output must never break a render
    }
    return render;
  }

  private static ClusterRender await(String cluster, Future<ClusterRender> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ClusterRender.failed(
          new RenderError(cluster, null, null, 0, "render interrupted; run it again"));
    } catch (ExecutionException e) {
      return ClusterRender.failed(
          new RenderError(
              cluster, null, null, 0, "internal error while rendering: " + e.getCause()));
    }
  }

  private ClusterRender renderOne(Fleet fleet, String name, ContentHashes hashes) {
    ClusterSpec cluster = fleet.clusters().get(name);
    if (cluster == null) {
      return ClusterRender.failed(
          new RenderError(
              name,
              null,
              null,
              0,
              "no cluster named '" + name + "'; known clusters: " + fleet.clusters().keySet()));
    }
    try {
      List<WorkingObject> rendered = new ArrayList<>();
      for (AddonSpec addon : fleet.addonsOf(cluster)) {
        rendered.addAll(renderAddon(fleet, cluster, addon, hashes));
      }
      List<WorkingObject> objects = scoped(name, rendered);
      SortedMap<ResourceId, WorkingObject> byId = indexRejectingDuplicates(objects);
      Patches.apply(fleet.root(), cluster, byId);
      List<DesiredObject> desired = new ArrayList<>(byId.size());
      for (WorkingObject o : byId.values()) {
        markOwner(o.manifest, o.addon);
        desired.add(
            new DesiredObject(o.id, o.manifest, new Provenance(o.addon, o.source, o.origins)));
      }
      return ClusterRender.ok(name, desired);
    } catch (RenderException e) {
      return ClusterRender.failed(e.toError(name));
    }
  }

  private List<WorkingObject> renderAddon(
      Fleet fleet, ClusterSpec cluster, AddonSpec addon, ContentHashes hashes)
      throws RenderException {
    try {
      AddonSource source = addon.source();
      if (source == null) {
        throw new RenderException(
            addon.name(), addon.file(), 0, "the add-on has no source; set spec.source");
      }
      List<RenderedDocument> docs;
      FieldAttribution attribution = null;
      switch (source.type()) {
        case HELM -> {
          var defaults = helm.chartDefaults(fleet.root(), source.path(), addon.name(), hashes);
          ValuesLayers.Merged merged =
              ValuesLayers.merge(ValuesLayers.layersFor(fleet, cluster, addon, defaults));
          docs =
              helm.render(
                  fleet.root(),
                  source.path(),
                  merged.helmInput(),
                  addon.name(),
                  addon.namespace(),
                  fleet.kubeVersion(cluster),
                  hashes);
          attribution = new FieldAttribution(merged);
        }
        case MANIFESTS -> docs = manifests.render(fleet.root(), source.path(), addon.name());
        case KUSTOMIZE ->
            docs =
                kustomize.render(
                    fleet.root(), source.path(), addon.directory(), addon.name(), hashes);
        default -> throw new IllegalStateException("unknown source type " + source.type());
      }
      List<WorkingObject> out = new ArrayList<>(docs.size());
      for (RenderedDocument doc : docs) {
        Map<String, ValueOrigin> origins =
            attribution == null ? new TreeMap<>() : attribution.attribute(doc.manifest());
        ObjectNode manifest = doc.manifest();
        markOwner(manifest, addon.name());
        out.add(
            new WorkingObject(
                null,
                manifest,
                addon.name(),
                doc.sourceFile(),
                new TreeMap<>(origins),
                addon.namespace(),
                doc.line()));
      }
      return out;
    } catch (RenderException e) {
      throw e.forAddon(addon.name());
    } catch (RuntimeException e) {
      throw new RenderException(
          addon.name(),
          addon.file(),
          0,
          "unexpected failure while rendering: " + e + "; check the add-on's source",
          e);
    }
  }

  private static SortedMap<ResourceId, WorkingObject> indexRejectingDuplicates(
      List<WorkingObject> objects) throws RenderException {
    SortedMap<ResourceId, WorkingObject> byId = new TreeMap<>();
    for (WorkingObject o : objects) {
      WorkingObject previous = byId.putIfAbsent(o.id, o);
      if (previous != null) {
        throw new RenderException(
            o.addon,
            o.source,
            0,
            "duplicate object "
                + o.id.withinCluster()
                + ": rendered by add-on "
                + previous.addon
                + " ("
                + previous.source
                + ") and by add-on "
                + o.addon
                + " ("
                + o.source
                + "); remove one of them or give them different names or namespaces");
      }
    }
    return byId;
  }

  /**
   * Gives each rendered object of a cluster its scope and id: the add-on's namespace on namespaced
   * objects that set none, no namespace on cluster-scoped ones. The scope of each kind comes from
   * the vendored API, the CRDs rendered for the cluster, or the cluster's own CRDs; an unknown kind
   * is an error at the object's file and line.
   */
  private List<WorkingObject> scoped(String cluster, List<WorkingObject> rendered)
      throws RenderException {
    ApiTypes types = ApiTypes.builtIn().withCrds(manifestsOf(rendered));
    ApiTypes served = null;
    String unread = null;
    List<WorkingObject> out = new ArrayList<>(rendered.size());
    for (WorkingObject o : rendered) {
      String apiVersion = o.manifest.path("apiVersion").asText("");
      String group = ResourceId.groupOf(apiVersion);
      String kind = o.manifest.path("kind").asText();
      Boolean namespaced = types.namespaced(group, kind);
      if (namespaced == null && clusterCrds != null) {
        if (served == null && unread == null) {
          try {
            served = types.withCrds(clusterCrds.crds(cluster));
          } catch (RuntimeException e) {
            unread = e.getMessage();
          }
        }
        namespaced = served == null ? null : served.namespaced(group, kind);
      }
      if (namespaced == null) {
        throw new RenderException(
            o.addon, o.source, o.line, unknownKind(cluster, apiVersion, kind, unread));
      }
      ObjectNode manifest =
          namespaced
              ? withDefaultNamespace(o.manifest, o.addonNamespace)
              : withoutNamespace(o.manifest);
      out.add(
          new WorkingObject(
              ResourceId.of(cluster, manifest),
              manifest,
              o.addon,
              o.source,
              o.origins,
              o.addonNamespace,
              o.line));
    }
    return out;
  }

  private String unknownKind(String cluster, String apiVersion, String kind, String unread) {
    String releases = String.join(", ", ApiTypes.builtIn().releases());
    StringBuilder sb =
        new StringBuilder("unknown kind ")
            .append(kind)
            .append(" (apiVersion ")
            .append(apiVersion.isEmpty() ? "missing" : apiVersion)
            .append("): not a built-in kind of Kubernetes ")
            .append(releases)
            .append(", and no CustomResourceDefinition rendered for cluster ")
            .append(cluster)
            .append(" defines it");
    if (clusterCrds != null) {
      sb.append(
          unread == null
              ? ", nor one the cluster serves"
              : " (the cluster's own CRDs could not be read: " + unread + ")");
    }
    return sb.append(
            "; fix apiVersion/kind, or add the CRD to the fleet repo (e.g. in the add-on that"
                + " needs it) so its scope is known")
        .toString();
  }

  private static List<ObjectNode> manifestsOf(List<WorkingObject> objects) {
    List<ObjectNode> out = new ArrayList<>(objects.size());
    objects.forEach(o -> out.add(o.manifest));
    return out;
  }

  /** Drops the namespace of a cluster-scoped object, as the API server does on create. */
  static ObjectNode withoutNamespace(ObjectNode manifest) {
    JsonNode meta = manifest.path("metadata");
    if (meta instanceof ObjectNode m && m.has("namespace")) {
      m.remove("namespace");
    }
    return manifest;
  }

  /** Sets the add-on namespace on a namespaced object that sets none, right after the name. */
  static ObjectNode withDefaultNamespace(ObjectNode manifest, String namespace) {
    JsonNode meta = manifest.path("metadata");
    if (namespace == null || !meta.isObject() || !meta.path("namespace").asText("").isEmpty()) {
      return manifest;
    }
    ObjectNode old = (ObjectNode) meta;
    ObjectNode rebuilt = manifest.objectNode();
    boolean placed = false;
    for (var it = old.fields(); it.hasNext(); ) {
      var f = it.next();
      if (f.getKey().equals("namespace")) {
        continue;
      }
      rebuilt.set(f.getKey(), f.getValue());
      if (f.getKey().equals("name")) {
        rebuilt.put("namespace", namespace);
        placed = true;
      }
    }
    if (!placed) {
      rebuilt.put("namespace", namespace);
    }
    manifest.set("metadata", rebuilt);
    return manifest;
  }

  static void markOwner(ObjectNode manifest, String addon) {
    JsonNode meta = manifest.path("metadata");
    if (!meta.isObject()) {
      return;
    }
    JsonNode labels = meta.get("labels");
    ObjectNode l = labels instanceof ObjectNode o ? o : ((ObjectNode) meta).putObject("labels");
    l.put(Ownership.LABEL, addon);
  }

  private static ThreadFactory threads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "fleetwarden-render-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** A rendered object while post-processing (its id is null until its scope is known). */
  static final class WorkingObject {
    final ResourceId id;
    final ObjectNode manifest;
    final String addon;
    final String source;
    final Map<String, ValueOrigin> origins;
    final String addonNamespace;
    final int line;

    WorkingObject(
        ResourceId id,
        ObjectNode manifest,
        String addon,
        String source,
        Map<String, ValueOrigin> origins,
        String addonNamespace,
        int line) {
      this.id = id;
      this.manifest = manifest;
      this.addon = addon;
      this.source = source;
      this.origins = origins;
      this.addonNamespace = addonNamespace;
      this.line = line;
    }
  }
}

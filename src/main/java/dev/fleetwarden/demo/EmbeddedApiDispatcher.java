package dev.fleetwarden.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.kube.ApiKind;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded cluster's API: the CRUD mock's store, made to behave like a real API server in the
 * ways the drift checks and kubectl rely on.
 *
 * <ul>
 *   <li>A custom resource is served only once its CRD exists (otherwise 404, as with a CRD absent).
 *   <li>Discovery ({@code /api}, {@code /apis}, {@code /apis/<group>/<version>}, {@code /version})
 *       lists the built-in kinds and the CRDs held (see {@link ApiDiscovery}); the aggregated
 *       discovery kubectl asks for first is answered in the legacy format, which it accepts.
 *   <li>The {@code scale} subresource of Deployments, StatefulSets, ReplicaSets and
 *       ReplicationControllers reads and writes the object's {@code spec.replicas}.
 *   <li>JSON merge patches follow RFC 7386 and strategic merge patches are applied to built-in
 *       kinds ({@link Patches}); custom resources refuse them (415), as real API servers do.
 *   <li>A write by a named field manager (kubectl's {@code fieldManager}, or kubectl itself) is
 *       recorded in the object's managedFields ({@link FieldSets}), so drift found after {@code
 *       kubectl edit} names {@code kubectl-edit}.
 *   <li>A server-side dry run is refused (400): the store would write it. So is a protobuf body
 *       (415), which the store cannot read, and a watch that is not a WebSocket (400), which the
 *       store cannot stream.
 *   <li>A request that fails inside is answered with a 500 Status, never left without an answer.
 * </ul>
 *
 * Every object held can be listed ({@link #objects}) and every change is reported ({@link
 * #onChange}), so the embedded clusters can be saved. Tests extend it with fault switches.
 */
class EmbeddedApiDispatcher extends Dispatcher {
  private static final String CRD_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  private static final String MERGE_PATCH = "application/merge-patch+json";
  private static final String STRATEGIC_PATCH = "application/strategic-merge-patch+json";
  private static final String JSON_PATCH = "application/json-patch+json";
  private static final String PROTOBUF = "application/vnd.kubernetes.protobuf";
  private static final Set<String> BUILT_IN_GROUPS =
      Set.of(
          "apps",
          "batch",
          "autoscaling",
          "policy",
          "extensions",
          "networking.k8s.io",
          "rbac.authorization.k8s.io",
          "storage.k8s.io",
          "scheduling.k8s.io",
          "node.k8s.io",
          "admissionregistration.k8s.io",
          "apiextensions.k8s.io",
          "apiregistration.k8s.io",
          "coordination.k8s.io",
          "discovery.k8s.io",
          "events.k8s.io",
          "certificates.k8s.io",
          "flowcontrol.apiserver.k8s.io",
          "authentication.k8s.io",
          "authorization.k8s.io",
          "resource.k8s.io",
          "storagemigration.k8s.io",
          "internal.apiserver.k8s.io");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedApiDispatcher.class);
  // The CRUD mock keeps the watches to notify in a private field and offers no way to forget one.
  private static final Field WATCHES = watchListField();

  private static Field watchListField() {
    try {
      Field f = KubernetesCrudDispatcher.class.getDeclaredField("watchEventListeners");
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("closing watches of the embedded clusters may fail writes: {}", e.toString());
      return null;
    }
  }

  private final Map<ServerRequest, Queue<ServerResponse>> responses;
  private final MockDispatcher expectations;
  private final KubernetesCrudDispatcher store = new KubernetesCrudDispatcher();
  // Held around every write and every snapshot: the store replaces an object by a remove and a
  // put, which a snapshot must not see half done.
  private final ReentrantLock writes = new ReentrantLock();
  private volatile List<JsonNode> crds = List.of();
  private volatile Set<String> servedCustomResources = Set.of();
  private volatile Runnable onChange = () -> {};

  EmbeddedApiDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses) {
    this.responses = responses;
    this.expectations = new MockDispatcher(responses);
  }

  /** The CRDs the cluster holds. */
  List<JsonNode> crds() {
    return crds;
  }

  /** Whether the cluster serves this group's resource (built-in, or a CRD exists). */
  boolean serves(String group, String plural) {
    return group.isEmpty()
        || BUILT_IN_GROUPS.contains(group)
        || servedCustomResources.contains(plural + "." + group);
  }

  /** Called after every successful write (from the thread that served it). */
  void onChange(Runnable listener) {
    this.onChange = listener == null ? () -> {} : listener;
  }

  /** Every object the cluster holds, as it holds them. */
  List<ObjectNode> objects() {
    List<String> values;
    writes.lock();
    try {
      Map<?, String> map = store.getMap();
      synchronized (map) {
        values = new ArrayList<>(map.values());
      }
    } finally {
      writes.unlock();
    }
    List<ObjectNode> out = new ArrayList<>(values.size());
    for (String v : values) {
      try {
        out.add((ObjectNode) JSON.readTree(v));
      } catch (IOException e) {
        throw new IllegalStateException("the embedded cluster holds an object that is not JSON", e);
      }
    }
    return out;
  }

  /**
   * Creates saved objects (namespaces and CRDs first, as a {@link ClusterSnapshot} orders them).
   * The server gives them a new uid, resourceVersion, creationTimestamp and generation; all else,
   * managedFields, labels, annotations and status included, is as saved. A custom resource whose
   * CRD is not among them is left out (logged).
   *
   * @return how many objects were restored
   */
  int restore(List<ObjectNode> objects) {
    int restored = 0;
    for (ObjectNode saved : objects) {
      ObjectNode object = saved.deepCopy();
      ObjectNode meta = object.withObjectProperty("metadata");
      meta.remove("resourceVersion");
      String apiVersion = object.path("apiVersion").asText();
      String kind = object.path("kind").asText();
      String namespace = meta.path("namespace").asText(null);
      String name = meta.path("name").asText();
      Optional<ApiPath> collection = collection(apiVersion, kind, namespace);
      if (collection.isEmpty()) {
        LOG.warn(
            "{} {} {}/{} not restored: the cluster no longer serves that kind (its CRD is gone)",
            apiVersion,
            kind,
            namespace,
            name);
        continue;
      }
      ApiPath at = collection.get();
      MockResponse created = dispatch(internal(HttpMethod.POST, at.objectPath(), object));
      if (created.code() == 409) {
        ApiPath item =
            new ApiPath(at.group(), at.version(), at.namespace(), at.plural(), name, null);
        created = dispatch(internal(HttpMethod.PUT, item.objectPath(), object));
      }
      if (created.code() < 200 || created.code() >= 300) {
        throw new IllegalStateException(
            "cannot restore "
                + kind
                + " "
                + (namespace == null ? "" : namespace + "/")
                + name
                + ": the embedded server answered "
                + created.code()
                + " "
                + (created.getBody() == null ? "" : created.getBody().readUtf8()));
      }
      restoreStatus(object, created, at, name);
      restored++;
    }
    return restored;
  }

  /** A custom resource's status is dropped on create when it is a subresource: put it back. */
  private void restoreStatus(ObjectNode saved, MockResponse created, ApiPath at, String name) {
    if (!saved.has("status") || created.getBody() == null) {
      return;
    }
    try {
      ObjectNode now = (ObjectNode) JSON.readTree(created.getBody().getBytes());
      if (now.has("status")) {
        return;
      }
      now.set("status", saved.get("status"));
      ApiPath status =
          new ApiPath(at.group(), at.version(), at.namespace(), at.plural(), name, "status");
      dispatch(internal(HttpMethod.PUT, status.path(), now));
    } catch (IOException e) {
      throw new IllegalStateException("the embedded server answered a create with no JSON", e);
    }
  }

  /** The collection a kind is created in: CRDs held, the discovery table, Fabric8's model. */
  private Optional<ApiPath> collection(String apiVersion, String kind, String namespace) {
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    String plural = null;
    boolean namespaced = true;
    for (ApiDiscovery.Resource r : ApiDiscovery.resources(crds)) {
      if (r.group().equals(group) && r.version().equals(version) && r.kind().equals(kind)) {
        plural = r.plural();
        namespaced = r.namespaced();
        break;
      }
    }
    if (plural == null && (group.isEmpty() || BUILT_IN_GROUPS.contains(group))) {
      ApiKind k = ApiKind.of(apiVersion, kind);
      plural = k.plural();
      namespaced = k.namespaced();
    }
    if (plural == null) {
      return Optional.empty();
    }
    return Optional.of(
        new ApiPath(group, version, namespaced ? namespace : null, plural, null, null));
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    try {
      MockResponse response = serve(request);
      WebSocketListener watch = response.getWebSocketListener();
      if (watch != null && !(watch instanceof ClosingOffLoop)) {
        response.withWebSocketUpgrade(new ClosingOffLoop(watch, () -> forgetWatch(watch)));
      }
      return response;
    } catch (RuntimeException e) {
      // An unanswered request leaves the client waiting for ever (kubectl has no default timeout).
      LOG.warn("embedded cluster: {} {} failed", request.getMethod(), request.getPath(), e);
      return status(500, "the embedded cluster could not handle the request: " + e.getMessage());
    }
  }

  /**
   * Takes a closing watch off the list of watches the store's writes notify, between two writes:
   * the store notifies every watch of its list in turn, and one whose sender was shut down fails
   * the write and the watches after it.
   */
  private void forgetWatch(WebSocketListener watch) {
    if (WATCHES == null) {
      return;
    }
    writes.lock();
    try {
      ((Set<?>) WATCHES.get(store)).remove(watch);
    } catch (IllegalAccessException e) {
      LOG.debug("the store's watch list is out of reach", e);
    } finally {
      writes.unlock();
    }
  }

  private MockResponse serve(RecordedRequest request) {
    String path = request.getPath();
    int q = path.indexOf('?');
    String bare = q >= 0 ? path.substring(0, q) : path;
    String method = request.getMethod();
    if (method.equals("GET")) {
      Optional<MockResponse> discovery = discovery(bare, request.getHeader("Host"));
      if (discovery.isPresent()) {
        return discovery.get();
      }
      Queue<ServerResponse> expected =
          responses.get(new SimpleRequest(HttpMethod.GET, request.getPath()));
      if (expected != null && !expected.isEmpty()) {
        return expectations.dispatch(request);
      }
    }
    String contentType = request.getHeader("Content-Type");
    if (contentType != null && contentType.startsWith(PROTOBUF)) {
      return status(
          415,
          "the embedded clusters read JSON only, and this kubectl command sends protobuf (the"
              + " typed `kubectl create <kind> ...` forms do); write the object with `kubectl"
              + " create -f` or `kubectl apply -f` instead");
    }
    if (!method.equals("GET") && q >= 0 && ("&" + path.substring(q + 1)).contains("&dryRun=")) {
      // The store would really write: refuse rather than change what a dry run only shows.
      return status(
          400,
          "the embedded clusters do not support dry runs (kubectl --dry-run=server, kubectl"
              + " diff); use --dry-run=client");
    }
    ApiPath api = ApiPath.parse(bare);
    if (api != null && !serves(api.group(), api.plural())) {
      return status(404, "the server could not find the requested resource");
    }
    if (api != null && "scale".equals(api.subresource())) {
      return scale(request, api);
    }
    if (method.equals("GET")) {
      if (q >= 0
          && ("&" + path.substring(q + 1)).contains("&watch=true")
          && !"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
        return status(
            400,
            "the embedded clusters serve watches over WebSocket only (as Fabric8 clients ask);"
                + " kubectl get --watch, rollout status and wait are not supported");
      }
      return asApiResponse(store.dispatch(request), api);
    }
    writes.lock();
    try {
      MockResponse response;
      String type = mediaType(request.getHeader("Content-Type"));
      String manager = manager(request);
      if (method.equals("PATCH") && api != null && api.name() != null && type != null) {
        response = patch(request, api, type, manager);
      } else if (api != null
          && (manager != null || ControllerFills.fillsOnWrite(api.group(), api.plural()))
          && !"status".equals(api.subresource())
          && (method.equals("PUT") || method.equals("POST"))) {
        response = write(request, api, manager);
      } else {
        response = asApiResponse(store.dispatch(request), api);
      }
      if (response.code() >= 200 && response.code() < 300) {
        if (bare.startsWith(CRD_PATH)) {
          refreshCrds();
        }
        if (api != null && ControllerFills.aggregates(api.group(), api.plural())) {
          aggregateClusterRoles();
        }
        onChange.run();
      }
      return response;
    } finally {
      writes.unlock();
    }
  }

  @Override
  public void shutdown() {
    expectations.shutdown();
    store.shutdown();
  }

  @Override
  public void releaseResources() {
    expectations.releaseResources();
    store.releaseResources();
  }

  private Optional<MockResponse> discovery(String path, String host) {
    List<JsonNode> known = crds;
    Optional<ObjectNode> doc = Optional.empty();
    if (path.equals("/version")) {
      doc = Optional.of(ApiDiscovery.version());
    } else if (path.equals("/api")) {
      doc = Optional.of(ApiDiscovery.coreVersions(host == null ? "127.0.0.1" : host));
    } else if (path.equals("/api/v1")) {
      doc = ApiDiscovery.resourceList("", "v1", known);
    } else if (path.equals("/apis")) {
      doc = Optional.of(ApiDiscovery.groupList(known));
    } else if (path.startsWith("/apis/")) {
      String[] seg = path.substring("/apis/".length()).split("/");
      if (seg.length == 1) {
        doc = ApiDiscovery.group(seg[0], known);
      } else if (seg.length == 2) {
        doc = ApiDiscovery.resourceList(seg[0], seg[1], known);
      } else {
        return Optional.empty();
      }
      if (doc.isEmpty()) {
        return Optional.of(status(404, "the server could not find the requested resource"));
      }
    } else if (path.equals("/openapi/v3")) {
      doc = Optional.of(ApiDiscovery.openApiRoot(known));
    } else if (path.startsWith("/openapi/v3/api")) {
      ApiPath gv = ApiPath.parse(path.substring("/openapi/v3".length()) + "/-");
      doc =
          gv == null
              ? Optional.empty()
              : ApiDiscovery.openApiGroupVersion(gv.group(), gv.version(), known);
      if (doc.isEmpty()) {
        return Optional.of(status(404, "the server could not find the requested resource"));
      }
    } else if (path.startsWith("/openapi/")) {
      // No OpenAPI v2: kubectl uses v3 (above) or the types compiled into it.
      return Optional.of(status(404, "the server could not find the requested resource"));
    } else {
      return Optional.empty();
    }
    return doc.map(d -> json(200, d));
  }

  /** A merge or strategic merge patch of an object, written back as an update. */
  private MockResponse patch(RecordedRequest request, ApiPath api, String type, String manager) {
    boolean strategic = STRATEGIC_PATCH.equals(type);
    boolean jsonPatch = JSON_PATCH.equals(type);
    if (!strategic && !jsonPatch && !MERGE_PATCH.equals(type)) {
      return status(
          415,
          "the body of the request was in an unknown format - accepted media types include: "
              + JSON_PATCH
              + ", "
              + MERGE_PATCH
              + ", "
              + STRATEGIC_PATCH);
    }
    if (strategic && !BUILT_IN_GROUPS.contains(api.group()) && !api.group().isEmpty()) {
      return status(
          415,
          "the body of the request was in an unknown format - accepted media types include: "
              + JSON_PATCH
              + ", "
              + MERGE_PATCH
              + " (strategic merge patch is not supported for custom resources)");
    }
    JsonNode patch;
    try {
      patch = JSON.readTree(request.getBody() == null ? new byte[0] : request.getBody().getBytes());
    } catch (IOException e) {
      return status(400, "the patch is not JSON: " + e.getMessage());
    }
    if (patch == null || (jsonPatch ? !patch.isArray() : !patch.isObject())) {
      return status(400, "the patch must be a JSON " + (jsonPatch ? "array" : "object"));
    }
    Optional<ObjectNode> current = read(api.objectPath());
    if (current.isEmpty()) {
      return notFound(api);
    }
    JsonNode patched;
    try {
      patched =
          jsonPatch
              ? JsonPatch.apply(patch, current.get())
              : strategic
                  ? Patches.strategic(current.get(), patch)
                  : Patches.merge(current.get(), patch);
    } catch (RuntimeException e) {
      return status(422, "the patch cannot be applied: " + e.getMessage());
    }
    if (!(patched instanceof ObjectNode object)) {
      return status(422, "the patched object is not a JSON object");
    }
    if (manager != null && api.subresource() == null) {
      object = FieldSets.record(current.get(), object, manager, Instant.now());
    }
    if (api.subresource() == null) {
      object = ControllerFills.onWrite(api.plural(), current.get(), object, Instant.now());
    }
    return asApiResponse(store.dispatch(internal(HttpMethod.PUT, api.path(), object)), api);
  }

  /**
   * A create or update by a named field manager (recorded in the object's managedFields), or of an
   * object the cluster fills in on write ({@link ControllerFills}; manager null: nothing recorded).
   */
  private MockResponse write(RecordedRequest request, ApiPath api, String manager) {
    ObjectNode body;
    try {
      JsonNode parsed =
          JSON.readTree(request.getBody() == null ? new byte[0] : request.getBody().getBytes());
      if (!(parsed instanceof ObjectNode o)) {
        return status(400, "the body must be a JSON object");
      }
      body = o;
    } catch (IOException e) {
      return status(400, "the body is not JSON: " + e.getMessage());
    }
    JsonNode before = null;
    if (request.getMethod().equals("PUT")) {
      Optional<ObjectNode> current = read(api.objectPath());
      if (current.isEmpty()) {
        return notFound(api);
      }
      before = current.get();
    }
    Instant now = Instant.now();
    ObjectNode recorded = manager == null ? body : FieldSets.record(before, body, manager, now);
    recorded = ControllerFills.onWrite(api.plural(), before, recorded, now);
    HttpMethod method = HttpMethod.valueOf(request.getMethod());
    return asApiResponse(store.dispatch(internal(method, api.path(), recorded)), api);
  }

  /**
   * The field manager of a write: the {@code fieldManager} parameter, else {@code kubectl} for
   * kubectl (as a real server derives it from the user agent); null for other clients, whose writes
   * (fleetwarden's own, through Fabric8) keep the managedFields they carry.
   */
  private static String manager(RecordedRequest request) {
    String path = request.getPath();
    int q = path.indexOf('?');
    if (q >= 0) {
      for (String param : path.substring(q + 1).split("&")) {
        if (param.startsWith("fieldManager=")) {
          String value =
              URLDecoder.decode(param.substring("fieldManager=".length()), StandardCharsets.UTF_8);
          if (!value.isBlank()) {
            return value;
          }
        }
      }
    }
    String agent = request.getHeader("User-Agent");
    return agent != null && agent.startsWith("kubectl/") ? "kubectl" : null;
  }

  /** The {@code scale} subresource: a view of the object's {@code spec.replicas}. */
  private MockResponse scale(RecordedRequest request, ApiPath api) {
    Optional<ApiDiscovery.Resource> type =
        ApiDiscovery.find(api.group(), api.version(), api.plural(), crds);
    if (type.isEmpty() || !type.get().scale()) {
      return status(404, "the server could not find the requested resource");
    }
    String method = request.getMethod();
    if (method.equals("GET")) {
      return read(api.objectPath()).map(o -> json(200, scaleOf(o))).orElseGet(() -> notFound(api));
    }
    if (!method.equals("PUT") && !method.equals("PATCH")) {
      return status(405, "the scale subresource supports get, update and patch");
    }
    writes.lock();
    try {
      Optional<ObjectNode> current = read(api.objectPath());
      if (current.isEmpty()) {
        return notFound(api);
      }
      ObjectNode scale = scaleOf(current.get());
      JsonNode body =
          JSON.readTree(request.getBody() == null ? new byte[0] : request.getBody().getBytes());
      JsonNode wanted;
      if (method.equals("PUT")) {
        wanted = body;
      } else {
        String type2 = mediaType(request.getHeader("Content-Type"));
        wanted =
            JSON_PATCH.equals(type2)
                ? JsonPatch.apply(body, scale)
                : STRATEGIC_PATCH.equals(type2)
                    ? Patches.strategic(scale, body)
                    : Patches.merge(scale, body);
      }
      String expectedVersion = wanted.path("metadata").path("resourceVersion").asText("");
      String version = current.get().path("metadata").path("resourceVersion").asText("");
      if (!expectedVersion.isEmpty() && !expectedVersion.equals(version)) {
        return status(
            409,
            "Operation cannot be fulfilled on "
                + api.resourceName()
                + " \""
                + api.name()
                + "\": the object has been modified; please apply your changes to the latest"
                + " version and try again");
      }
      if (!wanted.path("spec").path("replicas").canConvertToInt()) {
        return status(422, "spec.replicas of the Scale must be an integer");
      }
      ObjectNode updated = current.get().deepCopy();
      updated
          .withObjectProperty("spec")
          .put("replicas", wanted.path("spec").path("replicas").asInt());
      String manager = manager(request);
      if (manager != null) {
        updated = FieldSets.record(current.get(), updated, manager, Instant.now());
      }
      MockResponse response = store.dispatch(internal(HttpMethod.PUT, api.objectPath(), updated));
      if (response.code() != 200) {
        return response;
      }
      onChange.run();
      return json(200, scaleOf((ObjectNode) JSON.readTree(response.getBody().getBytes())));
    } catch (IOException | RuntimeException e) {
      return status(400, "cannot apply the scale change: " + e.getMessage());
    } finally {
      writes.unlock();
    }
  }

  static ObjectNode scaleOf(ObjectNode object) {
    ObjectNode scale = JsonNodeFactory.instance.objectNode();
    scale.put("kind", "Scale");
    scale.put("apiVersion", "autoscaling/v1");
    ObjectNode meta = scale.putObject("metadata");
    JsonNode m = object.path("metadata");
    for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
      if (m.hasNonNull(f)) {
        meta.set(f, m.get(f));
      }
    }
    scale.putObject("spec").put("replicas", object.path("spec").path("replicas").asInt(1));
    ObjectNode status = scale.putObject("status");
    status.put("replicas", object.path("status").path("replicas").asInt(0));
    JsonNode selector = object.path("spec").path("selector");
    JsonNode labels = selector.has("matchLabels") ? selector.get("matchLabels") : selector;
    StringJoiner s = new StringJoiner(",");
    if (labels.isObject()) {
      labels.fields().forEachRemaining(e -> s.add(e.getKey() + "=" + e.getValue().asText()));
    }
    status.put("selector", s.toString());
    return scale;
  }

  private Optional<ObjectNode> read(String objectPath) {
    MockResponse r = store.dispatch(internal(HttpMethod.GET, objectPath, null));
    if (r.code() != 200 || r.getBody() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of((ObjectNode) JSON.readTree(r.getBody().getBytes()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private void refreshCrds() {
    MockResponse r = store.dispatch(internal(HttpMethod.GET, CRD_PATH, null));
    List<JsonNode> found = new ArrayList<>();
    java.util.HashSet<String> served = new java.util.HashSet<>();
    try {
      for (JsonNode crd : JSON.readTree(r.getBody().getBytes()).path("items")) {
        String group = crd.path("spec").path("group").asText();
        String plural = crd.path("spec").path("names").path("plural").asText();
        if (!group.isEmpty() && !plural.isEmpty()) {
          found.add(crd);
          served.add(plural + "." + group);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("the embedded cluster's CRD list is not JSON", e);
    }
    crds = List.copyOf(found);
    servedCustomResources = Set.copyOf(served);
  }

  /**
   * The ClusterRole aggregation controller, run after every ClusterRole write: each aggregated
   * ClusterRole gets the rules of the ClusterRoles its selectors match.
   */
  private void aggregateClusterRoles() {
    String path = "/apis/rbac.authorization.k8s.io/v1/clusterroles";
    MockResponse r = store.dispatch(internal(HttpMethod.GET, path, null));
    List<ObjectNode> roles = new ArrayList<>();
    try {
      for (JsonNode role : JSON.readTree(r.getBody().getBytes()).path("items")) {
        if (role instanceof ObjectNode o) {
          // listed items may lack kind and apiVersion; the stored objects carry them
          o.put("apiVersion", "rbac.authorization.k8s.io/v1").put("kind", "ClusterRole");
          roles.add(o);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("the embedded cluster's ClusterRole list is not JSON", e);
    }
    for (ObjectNode role : ControllerFills.aggregate(roles, Instant.now())) {
      role.withObjectProperty("metadata").remove("resourceVersion");
      store.dispatch(
          internal(HttpMethod.PUT, path + "/" + role.at("/metadata/name").asText(), role));
    }
  }

  private static RecordedRequest internal(HttpMethod method, String path, JsonNode body) {
    Headers.Builder headers = Headers.builder();
    Buffer buffer = new Buffer();
    if (body != null) {
      headers.add("Content-Type", "application/json");
      buffer.write(body.toString().getBytes(StandardCharsets.UTF_8));
    }
    return new RecordedRequest("HTTP/1.1", method, path, headers.build(), buffer);
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semi = contentType.indexOf(';');
    return (semi >= 0 ? contentType.substring(0, semi) : contentType).trim();
  }

  /**
   * The store's answer, typed as JSON; a missing object, which the store answers with an empty 404,
   * named as a real server does.
   */
  private static MockResponse asApiResponse(MockResponse response, ApiPath api) {
    if (response.getWebSocketListener() == null && response.header("Content-Type") == null) {
      // Without it, Go clients take the body for protobuf (their first accepted type).
      response.setHeader("Content-Type", "application/json");
    }
    if (response.code() == 404
        && api != null
        && api.name() != null
        && (response.getBody() == null || response.getBody().size() == 0)) {
      return notFound(api);
    }
    return response;
  }

  private static MockResponse notFound(ApiPath api) {
    return status(404, api.resourceName() + " \"" + api.name() + "\" not found");
  }

  private static MockResponse json(int code, JsonNode body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(body.toString());
  }

  /** A Kubernetes {@code Status} error response. */
  static MockResponse status(int code, String message) {
    String reason =
        switch (code) {
          case 400 -> "BadRequest";
          case 401 -> "Unauthorized";
          case 403 -> "Forbidden";
          case 404 -> "NotFound";
          case 405 -> "MethodNotAllowed";
          case 409 -> "Conflict";
          case 415 -> "UnsupportedMediaType";
          case 422 -> "Invalid";
          case 429 -> "TooManyRequests";
          default -> "InternalError";
        };
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("kind", "Status").put("apiVersion", "v1").putObject("metadata");
    body.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
    return json(code, body);
  }

  /**
   * A resource path: {@code /api/v1/...} or {@code /apis/<group>/<version>/...}, optionally in a
   * namespace, with the plural, and the name and subresource when given.
   */
  record ApiPath(
      String group,
      String version,
      String namespace,
      String plural,
      String name,
      String subresource) {

    static ApiPath parse(String path) {
      String group;
      List<String> rest = new ArrayList<>();
      String[] seg = path.split("/");
      // "", "api", "v1", ... or "", "apis", group, version, ...
      int i;
      if (seg.length >= 4 && seg[1].equals("api")) {
        group = "";
        i = 2;
      } else if (seg.length >= 5 && seg[1].equals("apis")) {
        group = seg[2];
        i = 3;
      } else {
        return null;
      }
      String version = seg[i];
      for (int j = i + 1; j < seg.length; j++) {
        rest.add(seg[j]);
      }
      String namespace = null;
      boolean namespaceItself =
          rest.size() == 3
              && rest.get(0).equals("namespaces")
              && (rest.get(2).equals("status") || rest.get(2).equals("finalize"));
      if (rest.size() >= 3 && rest.get(0).equals("namespaces") && !namespaceItself) {
        namespace = rest.get(1);
        rest = rest.subList(2, rest.size());
      }
      Iterator<String> it = rest.iterator();
      if (!it.hasNext()) {
        return null;
      }
      String plural = it.next();
      String name = it.hasNext() ? it.next() : null;
      String sub = it.hasNext() ? it.next() : null;
      return new ApiPath(group, version, namespace, plural, name, sub);
    }

    String resourceName() {
      return group.isEmpty() ? plural : plural + "." + group;
    }

    /** The path itself (without a query). */
    String path() {
      return objectPath() + (subresource == null ? "" : "/" + subresource);
    }

    /** The path of the object (without the subresource). */
    String objectPath() {
      StringBuilder b = new StringBuilder(group.isEmpty() ? "/api/" : "/apis/" + group + "/");
      b.append(version);
      if (namespace != null) {
        b.append("/namespaces/").append(namespace);
      }
      b.append('/').append(plural);
      if (name != null) {
        b.append('/').append(name);
      }
      return b.toString();
    }
  }
}

package dev.fleetwarden.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The legacy discovery documents of an embedded cluster ({@code /api}, {@code /api/v1}, {@code
 * /apis}, {@code /apis/<group>}, {@code /apis/<group>/<version>} and {@code /version}), as kubectl
 * reads them to map {@code deploy} to {@code apps/v1 deployments}: a fixed table of the built-in
 * kinds a fleet usually runs, plus one entry per served version of each CRD the cluster holds.
 * Pure: the CRDs are passed in.
 */
final class ApiDiscovery {
  /** The Kubernetes version the embedded clusters report (and kubectl picks its skew by). */
  static final String MAJOR = "1";

  static final String MINOR = "32";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
  private static final List<String> SUBRESOURCE_VERBS = List.of("get", "patch", "update");

  /**
   * One resource type: its plural, singular, scope, kind, short names, categories, and whether it
   * has the {@code scale} and {@code status} subresources.
   */
  record Resource(
      String group,
      String version,
      String kind,
      String plural,
      boolean namespaced,
      List<String> shortNames,
      List<String> categories,
      boolean scale,
      boolean status) {

    String groupVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }

    String singular() {
      return kind.toLowerCase(Locale.ROOT);
    }

    Resource withScale() {
      return new Resource(
          group, version, kind, plural, namespaced, shortNames, categories, true, status);
    }

    Resource withStatus() {
      return new Resource(
          group, version, kind, plural, namespaced, shortNames, categories, scale, true);
    }

    /** In the {@code all} category ({@code kubectl get all}). */
    Resource inAll() {
      return new Resource(
          group, version, kind, plural, namespaced, shortNames, List.of("all"), scale, status);
    }
  }

  /** The built-in types served, by group version, in the order real API servers list them. */
  static final List<Resource> BUILT_IN =
      List.of(
          ns("", "v1", "Binding", "bindings"),
          ns("", "v1", "ConfigMap", "configmaps", "cm"),
          ns("", "v1", "Endpoints", "endpoints", "ep"),
          ns("", "v1", "Event", "events", "ev"),
          ns("", "v1", "LimitRange", "limitranges", "limits"),
          cluster("", "v1", "Namespace", "namespaces", "ns").withStatus(),
          cluster("", "v1", "Node", "nodes", "no").withStatus(),
          ns("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", "pvc").withStatus(),
          cluster("", "v1", "PersistentVolume", "persistentvolumes", "pv").withStatus(),
          ns("", "v1", "Pod", "pods", "po").withStatus().inAll(),
          ns("", "v1", "PodTemplate", "podtemplates"),
          ns("", "v1", "ReplicationController", "replicationcontrollers", "rc")
              .withScale()
              .withStatus()
              .inAll(),
          ns("", "v1", "ResourceQuota", "resourcequotas", "quota").withStatus(),
          ns("", "v1", "Secret", "secrets"),
          ns("", "v1", "ServiceAccount", "serviceaccounts", "sa"),
          ns("", "v1", "Service", "services", "svc").withStatus().inAll(),
          ns("apps", "v1", "ControllerRevision", "controllerrevisions"),
          ns("apps", "v1", "DaemonSet", "daemonsets", "ds").withStatus().inAll(),
          ns("apps", "v1", "Deployment", "deployments", "deploy").withScale().withStatus().inAll(),
          ns("apps", "v1", "ReplicaSet", "replicasets", "rs").withScale().withStatus().inAll(),
          ns("apps", "v1", "StatefulSet", "statefulsets", "sts").withScale().withStatus().inAll(),
          ns("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", "hpa")
              .withStatus()
              .inAll(),
          ns("autoscaling", "v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers", "hpa")
              .withStatus()
              .inAll(),
          ns("batch", "v1", "CronJob", "cronjobs", "cj").withStatus().inAll(),
          ns("batch", "v1", "Job", "jobs").withStatus().inAll(),
          ns("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", "pdb").withStatus(),
          cluster("networking.k8s.io", "v1", "IngressClass", "ingressclasses"),
          ns("networking.k8s.io", "v1", "Ingress", "ingresses", "ing").withStatus(),
          ns("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", "netpol"),
          cluster("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings"),
          cluster("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles"),
          ns("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings"),
          ns("rbac.authorization.k8s.io", "v1", "Role", "roles"),
          cluster("storage.k8s.io", "v1", "StorageClass", "storageclasses", "sc"),
          cluster("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", "pc"),
          cluster(
                  "apiextensions.k8s.io",
                  "v1",
                  "CustomResourceDefinition",
                  "customresourcedefinitions",
                  "crd",
                  "crds")
              .withStatus(),
          cluster(
              "admissionregistration.k8s.io",
              "v1",
              "MutatingWebhookConfiguration",
              "mutatingwebhookconfigurations"),
          cluster(
              "admissionregistration.k8s.io",
              "v1",
              "ValidatingWebhookConfiguration",
              "validatingwebhookconfigurations"),
          ns("coordination.k8s.io", "v1", "Lease", "leases"),
          ns("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices"));

  private ApiDiscovery() {}

  private static Resource ns(
      String group, String version, String kind, String plural, String... s) {
    return new Resource(group, version, kind, plural, true, List.of(s), List.of(), false, false);
  }

  private static Resource cluster(
      String group, String version, String kind, String plural, String... s) {
    return new Resource(group, version, kind, plural, false, List.of(s), List.of(), false, false);
  }

  /** The resource types of the built-in table and of the given CRDs. */
  static List<Resource> resources(Collection<? extends JsonNode> crds) {
    List<Resource> all = new ArrayList<>(BUILT_IN);
    for (JsonNode crd : crds) {
      all.addAll(fromCrd(crd));
    }
    return all;
  }

  /** One resource type per served version of a CRD ({@code apiextensions.k8s.io/v1}). */
  static List<Resource> fromCrd(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    JsonNode names = spec.path("names");
    String group = spec.path("group").asText();
    String kind = names.path("kind").asText();
    String plural = names.path("plural").asText();
    if (group.isEmpty() || kind.isEmpty() || plural.isEmpty()) {
      return List.of();
    }
    boolean namespaced = !"Cluster".equals(spec.path("scope").asText());
    List<String> shortNames = strings(names.path("shortNames"));
    List<String> categories = strings(names.path("categories"));
    List<Resource> out = new ArrayList<>();
    for (JsonNode v : spec.path("versions")) {
      if (!v.path("served").asBoolean(true) || v.path("name").asText().isEmpty()) {
        continue;
      }
      JsonNode sub = v.path("subresources");
      out.add(
          new Resource(
              group,
              v.path("name").asText(),
              kind,
              plural,
              namespaced,
              shortNames,
              categories,
              false, // the embedded clusters scale the built-in workloads only
              sub.has("status")));
    }
    return out;
  }

  /** {@code GET /api}. */
  static ObjectNode coreVersions(String serverAddress) {
    ObjectNode doc = JSON.objectNode();
    doc.put("kind", "APIVersions");
    doc.putArray("versions").add("v1");
    ObjectNode cidr = doc.putArray("serverAddressByClientCIDRs").addObject();
    cidr.put("clientCIDR", "0.0.0.0/0");
    cidr.put("serverAddress", serverAddress);
    return doc;
  }

  /** {@code GET /apis}: every named group with its versions, the preferred one first. */
  static ObjectNode groupList(Collection<? extends JsonNode> crds) {
    ObjectNode doc = JSON.objectNode();
    doc.put("kind", "APIGroupList");
    doc.put("apiVersion", "v1");
    ArrayNode groups = doc.putArray("groups");
    groups(resources(crds)).forEach((name, versions) -> groups.add(group(name, versions)));
    return doc;
  }

  /** {@code GET /apis/<group>}, empty when the group is not served. */
  static Optional<ObjectNode> group(String name, Collection<? extends JsonNode> crds) {
    List<String> versions = groups(resources(crds)).get(name);
    if (versions == null) {
      return Optional.empty();
    }
    ObjectNode doc = group(name, versions);
    doc.put("kind", "APIGroup");
    doc.put("apiVersion", "v1");
    return Optional.of(doc);
  }

  /**
   * {@code GET /api/v1} or {@code GET /apis/<group>/<version>}: the APIResourceList, empty when the
   * group version is not served.
   */
  static Optional<ObjectNode> resourceList(
      String group, String version, Collection<? extends JsonNode> crds) {
    ObjectNode doc = JSON.objectNode();
    doc.put("kind", "APIResourceList");
    doc.put("apiVersion", "v1");
    doc.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode list = doc.putArray("resources");
    boolean any = false;
    for (Resource r : resources(crds)) {
      if (!r.group().equals(group) || !r.version().equals(version)) {
        continue;
      }
      any = true;
      ObjectNode e = list.addObject();
      e.put("name", r.plural());
      e.put("singularName", r.singular());
      e.put("namespaced", r.namespaced());
      e.put("kind", r.kind());
      verbs(e, r.kind().equals("Binding") ? List.of("create") : VERBS);
      if (!r.shortNames().isEmpty()) {
        r.shortNames().forEach(e.putArray("shortNames")::add);
      }
      if (!r.categories().isEmpty()) {
        r.categories().forEach(e.putArray("categories")::add);
      }
      if (r.scale()) {
        ObjectNode s = list.addObject();
        s.put("name", r.plural() + "/scale");
        s.put("singularName", "");
        s.put("namespaced", r.namespaced());
        s.put("group", "autoscaling");
        s.put("version", "v1");
        s.put("kind", "Scale");
        verbs(s, SUBRESOURCE_VERBS);
      }
      if (r.status()) {
        ObjectNode s = list.addObject();
        s.put("name", r.plural() + "/status");
        s.put("singularName", "");
        s.put("namespaced", r.namespaced());
        s.put("kind", r.kind());
        verbs(s, SUBRESOURCE_VERBS);
      }
    }
    return any ? Optional.of(doc) : Optional.empty();
  }

  /** The resource type served at a collection ({@code group}, {@code version}, plural). */
  static Optional<Resource> find(
      String group, String version, String plural, Collection<? extends JsonNode> crds) {
    return resources(crds).stream()
        .filter(r -> r.group().equals(group) && r.version().equals(version))
        .filter(r -> r.plural().equals(plural))
        .findFirst();
  }

  /**
   * {@code GET /openapi/v3}: the group versions whose (minimal) OpenAPI v3 documents are served,
   * each at a URL that changes when its document does (kubectl caches them by URL).
   */
  static ObjectNode openApiRoot(Collection<? extends JsonNode> crds) {
    ObjectNode doc = JSON.objectNode();
    ObjectNode paths = doc.putObject("paths");
    Map<String, List<String>> groupVersions = new LinkedHashMap<>();
    groupVersions.put("", List.of("v1"));
    groupVersions.putAll(groups(resources(crds)));
    groupVersions.forEach(
        (group, versions) -> {
          for (String version : versions) {
            String key = group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
            String hash =
                Integer.toHexString(
                    openApiGroupVersion(group, version, crds).map(Object::toString).hashCode());
            paths.putObject(key).put("serverRelativeURL", "/openapi/v3/" + key + "?hash=" + hash);
          }
        });
    return doc;
  }

  /**
   * {@code GET /openapi/v3/api/v1} or {@code /openapi/v3/apis/<group>/<version>}: one PATCH
   * operation per kind, declaring the {@code fieldValidation} parameter and no schema. kubectl
   * reads it to decide that the server validates fields itself (so {@code apply} and {@code edit}
   * need no schema from the server), and, finding no strategic merge body, computes its patches
   * from the types compiled into it (custom resources: JSON merge patches).
   */
  static Optional<ObjectNode> openApiGroupVersion(
      String group, String version, Collection<? extends JsonNode> crds) {
    ObjectNode doc = JSON.objectNode();
    doc.put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", "v" + MAJOR + "." + MINOR);
    ObjectNode paths = doc.putObject("paths");
    boolean any = false;
    for (Resource r : resources(crds)) {
      if (!r.group().equals(group) || !r.version().equals(version)) {
        continue;
      }
      any = true;
      String base = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
      String path =
          base + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural() + "/{name}";
      ObjectNode patch = paths.putObject(path).putObject("patch");
      patch
          .putObject("x-kubernetes-group-version-kind")
          .put("group", group)
          .put("version", version)
          .put("kind", r.kind());
      ArrayNode parameters = patch.putArray("parameters");
      for (String p : List.of("dryRun", "fieldManager", "fieldValidation", "force")) {
        parameters
            .addObject()
            .put("name", p)
            .put("in", "query")
            .putObject("schema")
            .put("type", "string");
      }
      patch.putObject("responses").putObject("200").put("description", "OK");
    }
    doc.putObject("components").putObject("schemas");
    return any ? Optional.of(doc) : Optional.empty();
  }

  /** {@code GET /version}. */
  static ObjectNode version() {
    ObjectNode doc = JSON.objectNode();
    doc.put("major", MAJOR);
    doc.put("minor", MINOR);
    doc.put("gitVersion", "v" + MAJOR + "." + MINOR + ".0");
    doc.put("gitCommit", "fleetwarden-embedded");
    doc.put("gitTreeState", "clean");
    doc.put("buildDate", "2026-01-01T00:00:00Z");
    doc.put("goVersion", "n/a");
    doc.put("compiler", "n/a");
    doc.put("platform", "linux/amd64");
    return doc;
  }

  /** Group name to its versions, the preferred (first listed) version first. */
  private static Map<String, List<String>> groups(List<Resource> resources) {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (Resource r : resources) {
      if (r.group().isEmpty()) {
        continue;
      }
      List<String> versions = groups.computeIfAbsent(r.group(), g -> new ArrayList<>());
      if (!versions.contains(r.version())) {
        versions.add(r.version());
      }
    }
    return groups;
  }

  private static ObjectNode group(String name, List<String> versions) {
    ObjectNode g = JSON.objectNode();
    g.put("name", name);
    ArrayNode vs = g.putArray("versions");
    for (String v : versions) {
      vs.addObject().put("groupVersion", name + "/" + v).put("version", v);
    }
    g.putObject("preferredVersion")
        .put("groupVersion", name + "/" + versions.get(0))
        .put("version", versions.get(0));
    return g;
  }

  private static void verbs(ObjectNode e, List<String> verbs) {
    verbs.forEach(e.putArray("verbs")::add);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}

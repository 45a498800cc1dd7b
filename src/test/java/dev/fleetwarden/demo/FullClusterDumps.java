package dev.fleetwarden.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.fleetwarden.model.ClusterRender;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.YamlStrings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What {@code kubectl get $(kubectl api-resources --verbs=list -o name | paste -sd,) -A -o yaml}
 * shows on a real cluster running an example-fleet cluster's desired state once its controllers
 * ran, written as that command writes it (one {@code kind: List}, keys sorted): the rendered
 * objects as a GitOps tool applied them (server-side apply, manager {@value #APPLIER}) with the API
 * server's defaults, uids, resourceVersions and managedFields; Service cluster IPs and node ports,
 * injected webhook CA bundles, aggregated ClusterRole rules; statuses; and what controllers derive:
 * Endpoints and EndpointSlices copying their Service's labels (the ownership label included),
 * ReplicaSets and Pods copying template labels with ownerReferences, ControllerRevisions, the
 * StatefulSet's claims and volumes, the CronJob's Jobs, service-account token Secrets and the token
 * controller's additions, kube-root-ca.crt, Leases, Nodes, CRDs, Events and the kube-system
 * workloads.
 *
 * <p>Each shape follows the Kubernetes 1.30 API server's defaulting functions ({@code
 * SetDefaults_PodSpec}, {@code SetDefaults_Deployment}, {@code SetDefaults_StatefulSet}, {@code
 * SetDefaults_CronJob}, {@code SetDefaults_Service}, {@code SetDefaults_ValidatingWebhook}, {@code
 * SetDefaults_HorizontalPodAutoscalerBehavior}, zero values dropped by {@code omitempty}) and the
 * controllers that write them (deployment, replicaset, statefulset, daemonset, cronjob, job,
 * endpoints, endpointslice, serviceaccount-token, root-ca-cert-publisher, clusterrole-aggregation,
 * cert-manager's cainjector).
 *
 * <p>Then {@link #PLANTED} changes are made by people, each with the managedFields entry kubectl
 * records. Everything else in a dump is in sync with the fleet repo.
 */
public final class FullClusterDumps {
  /** The clusters dumped: two with planted changes, one without. */
  public static final List<String> CLUSTERS = List.of("dev-1", "prod-eu-1", "staging-1");

  /** The GitOps tool's field manager (Argo CD with server-side apply). */
  static final String APPLIER = "argocd-controller";

  private static final Instant CREATED = Instant.parse("2026-11-02T08:00:00Z");
  private static final Instant CONTROLLERS = Instant.parse("2026-11-02T08:01:10Z");
  private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .disable(YAMLGenerator.Feature.SPLIT_LINES)
              .stringQuotingChecker(YamlStrings.QUOTING)
              .build());
  private static final String SAFE = "bcdfghjklmnpqrstvwxz2456789";
  private static final String CA_PEM =
      "-----BEGIN CERTIFICATE-----\n"
          + "MIIC/jCCAeagAwIBAgIBADANBgkqhkiG9w0BAQsFADAVMRMwEQYDVQQDEwprdWJl\n"
          + "cm5ldGVzMB4XDTI2MTEwMjA3NTUwMFoXDTM2MTAzMDA4MDAwMFowFTETMBEGA1UE\n"
          + "-----END CERTIFICATE-----\n";
  private static final Set<String> WITH_GENERATION =
      Set.of(
          "Deployment",
          "StatefulSet",
          "DaemonSet",
          "ReplicaSet",
          "CronJob",
          "Job",
          "PodDisruptionBudget",
          "NetworkPolicy",
          "ValidatingWebhookConfiguration",
          "MutatingWebhookConfiguration",
          "HorizontalPodAutoscaler",
          "CustomResourceDefinition",
          "ClusterIssuer",
          "ClusterPolicy");

  /** One planted change: who made it, where, and the path fleetwarden reports it at. */
  public record Planted(
      String cluster, String resource, String path, String type, String manager, String time) {}

  /** The changes made by people in the dumps; nothing else differs from the fleet repo. */
  public static final List<Planted> PLANTED =
      List.of(
          new Planted(
              "prod-eu-1",
              "prod-eu-1/ValidatingWebhookConfiguration.admissionregistration.k8s.io/_/cert-manager-webhook",
              "/webhooks/name=webhook.cert-manager.io/failurePolicy",
              "modified",
              "kubectl-edit",
              "2026-11-23T21:04:12Z"),
          new Planted(
              "prod-eu-1",
              "prod-eu-1/StatefulSet.apps/monitoring/prometheus",
              "/spec/template/spec/containers/name=prometheus/image",
              "modified",
              "kubectl-edit",
              "2026-11-23T21:40:03Z"),
          new Planted(
              "prod-eu-1",
              "prod-eu-1/Deployment.apps/monitoring/kube-state-metrics",
              "/spec/template/spec/containers/name=debug",
              "added",
              "kubectl-edit",
              "2026-11-24T07:58:31Z"),
          new Planted(
              "staging-1",
              "staging-1/CronJob.batch/kyverno/kyverno-cleanup-admission-reports",
              "/spec/suspend",
              "added",
              "kubectl-patch",
              "2026-11-22T16:30:00Z"),
          new Planted(
              "staging-1",
              "staging-1/ClusterRole.rbac.authorization.k8s.io/_/prometheus",
              // rules is an atomic list: a rule appended changes the list as a whole
              "/rules",
              "modified",
              "kubectl-edit",
              "2026-11-23T11:12:13Z"));

  /** The changed Prometheus image of the planted StatefulSet edit. */
  public static final String PROMETHEUS_HOTFIX = "quay.io/prometheus/prometheus:v2.55.1";

  private FullClusterDumps() {}

  /**
   * The dump of each of {@link #CLUSTERS} as {@code kubectl get -A -o yaml} writes it, from the
   * clusters' renders.
   */
  public static Map<String, String> dumps(Map<String, ClusterRender> renders) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String cluster : CLUSTERS) {
      ClusterRender r = renders.get(cluster);
      if (r == null || r.failed()) {
        throw new IllegalStateException(
            "cluster " + cluster + " did not render: " + (r == null ? "absent" : r.error()));
      }
      out.put(cluster, new Cluster(cluster, r.objects()).dump());
    }
    return out;
  }

  /** One cluster's objects as its API server and controllers hold them. */
  private static final class Cluster {
    private final String name;
    private final List<DesiredObject> desired;
    private final List<ObjectNode> items = new ArrayList<>();
    private final List<String> nodes = new ArrayList<>();
    private final String subnet;
    private final String region;
    private long resourceVersion = 48_210;
    private int podCount;
    private int offset;

    Cluster(String name, List<DesiredObject> desired) {
      this.name = name;
      this.desired = desired;
      this.subnet =
          switch (name) {
            case "dev-1" -> "10.10";
            case "staging-1" -> "10.20";
            case "prod-eu-1" -> "10.30";
            default -> "10.40";
          };
      this.region = name.equals("staging-1") ? "eu-central-1" : "eu-west-1";
      for (int i = 0; i < 3; i++) {
        nodes.add(
            "ip-"
                + subnet.replace('.', '-')
                + "-"
                + (i + 1)
                + "-"
                + (20 + 17 * i)
                + "."
                + region
                + ".compute.internal");
      }
    }

    String dump() {
      system();
      for (DesiredObject d : desired) {
        items.add(applied(d.manifest()));
      }
      namespaces();
      webhooksInjected();
      plant();
      for (ObjectNode o : List.copyOf(items)) {
        ControllerStatus.of(o);
      }
      // workloads first: Endpoints and EndpointSlices list the pods they made
      for (ObjectNode o : List.copyOf(items)) {
        if (!o.path("kind").asText().equals("Service")) {
          derive(o);
        }
      }
      for (ObjectNode o : List.copyOf(items)) {
        if (o.path("kind").asText().equals("Service")) {
          endpoints(o);
        }
      }
      aggregate();
      ObjectNode list = JSON.objectNode();
      list.put("apiVersion", "v1");
      ArrayNode sorted = list.putArray("items");
      items.stream()
          .sorted(
              Comparator.comparing((ObjectNode o) -> group(o) + "/" + o.path("kind").asText())
                  .thenComparing(o -> o.at("/metadata/namespace").asText())
                  .thenComparing(o -> o.at("/metadata/name").asText()))
          .forEach(o -> sorted.add(sortedKeys(o)));
      list.put("kind", "List");
      list.putObject("metadata").put("resourceVersion", "");
      try {
        return YAML.writeValueAsString(list);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    // ---- the rendered objects, applied ----

    private ObjectNode applied(ObjectNode manifest) {
      ObjectNode o = manifest.deepCopy();
      String kind = o.path("kind").asText();
      ObjectNode meta = o.withObjectProperty("metadata");
      stamp(o, CREATED.plusSeconds(offset++));
      meta.withArrayProperty("managedFields")
          .add(
              entry(
                  APPLIER,
                  "Apply",
                  o.path("apiVersion").asText(),
                  CREATED,
                  FieldSets.all(manifest, "", true),
                  null));
      Defaults.apply(kind, o);
      if (kind.equals("Service")) {
        ObjectNode allocated = ControllerFills.allocate(null, o);
        o.set("spec", allocated.get("spec"));
      }
      if (kind.equals("Secret") && !o.has("type")) {
        o.put("type", "Opaque");
      }
      return o;
    }

    /** uid, resourceVersion, creationTimestamp and (for kinds that have one) generation 1. */
    private void stamp(ObjectNode o, Instant created) {
      ObjectNode meta = o.withObjectProperty("metadata");
      meta.put("uid", uid(idOf(o)));
      meta.put("resourceVersion", Long.toString(resourceVersion++));
      meta.put("creationTimestamp", created.toString());
      if (WITH_GENERATION.contains(o.path("kind").asText())) {
        meta.put("generation", 1);
      }
    }

    private String idOf(ObjectNode o) {
      return name
          + "/"
          + o.path("apiVersion").asText()
          + "/"
          + o.path("kind").asText()
          + "/"
          + o.at("/metadata/namespace").asText("_")
          + "/"
          + o.at("/metadata/name").asText();
    }

    private void webhooksInjected() {
      for (int i = 0; i < items.size(); i++) {
        ObjectNode o = items.get(i);
        if (o.path("kind").asText().endsWith("WebhookConfiguration")) {
          items.set(i, ControllerFills.injectCa(o, CONTROLLERS.plusSeconds(20)));
        }
      }
    }

    private void aggregate() {
      List<ObjectNode> roles =
          items.stream().filter(o -> o.path("kind").asText().equals("ClusterRole")).toList();
      for (ObjectNode filled : ControllerFills.aggregate(roles, CONTROLLERS)) {
        for (int i = 0; i < items.size(); i++) {
          if (items.get(i).at("/metadata/name").equals(filled.at("/metadata/name"))
              && items.get(i).path("kind").asText().equals("ClusterRole")) {
            items.set(i, filled);
          }
        }
      }
    }

    // ---- people's changes ----

    private void plant() {
      for (Planted p : PLANTED) {
        if (!p.cluster().equals(name)) {
          continue;
        }
        Instant at = Instant.parse(p.time());
        switch (p.path()) {
          case "/webhooks/name=webhook.cert-manager.io/failurePolicy" -> {
            ObjectNode vwc = find("ValidatingWebhookConfiguration", null, "cert-manager-webhook");
            ((ObjectNode) vwc.at("/webhooks/0")).put("failurePolicy", "Ignore");
            edited(
                vwc,
                "kubectl-edit",
                at,
                "f:webhooks",
                "k:{\"name\":\"webhook.cert-manager.io\"}",
                "f:failurePolicy");
          }
          case "/spec/template/spec/containers/name=prometheus/image" -> {
            ObjectNode sts = find("StatefulSet", "monitoring", "prometheus");
            ((ObjectNode) sts.at("/spec/template/spec/containers/0"))
                .put("image", PROMETHEUS_HOTFIX);
            edited(
                sts,
                "kubectl-edit",
                at,
                "f:spec",
                "f:template",
                "f:spec",
                "f:containers",
                "k:{\"name\":\"prometheus\"}",
                "f:image");
          }
          case "/spec/template/spec/containers/name=debug" -> {
            ObjectNode d = find("Deployment", "monitoring", "kube-state-metrics");
            ObjectNode debug = ((ArrayNode) d.at("/spec/template/spec/containers")).addObject();
            debug.put("name", "debug").put("image", "busybox:1.36");
            debug.putArray("command").add("sleep").add("infinity");
            Defaults.container(debug);
            ObjectNode fields = JSON.objectNode();
            fields.putObject(".");
            debug.fieldNames().forEachRemaining(f -> fields.putObject("f:" + f));
            edited(
                d,
                "kubectl-edit",
                at,
                fields,
                "f:spec",
                "f:template",
                "f:spec",
                "f:containers",
                "k:{\"name\":\"debug\"}");
          }
          case "/spec/suspend" -> {
            ObjectNode cj = find("CronJob", "kyverno", "kyverno-cleanup-admission-reports");
            ((ObjectNode) cj.get("spec")).put("suspend", true);
            edited(cj, "kubectl-patch", at, "f:spec", "f:suspend");
          }
          case "/rules" -> {
            ObjectNode role = find("ClusterRole", null, "prometheus");
            ObjectNode rule = ((ArrayNode) role.get("rules")).addObject();
            rule.putArray("apiGroups").add("");
            rule.putArray("resources").add("secrets");
            rule.putArray("verbs").add("get").add("list").add("watch");
            edited(role, "kubectl-edit", at, "f:rules");
          }
          default -> throw new IllegalStateException("no way to plant " + p);
        }
      }
    }

    /** Records an edit of the field at {@code path} (FieldsV1 segments) by a kubectl Update. */
    private void edited(ObjectNode o, String manager, Instant at, String... path) {
      edited(o, manager, at, JSON.objectNode(), path);
    }

    private void edited(ObjectNode o, String manager, Instant at, ObjectNode leaf, String... path) {
      ObjectNode fields = JSON.objectNode();
      ObjectNode at1 = fields;
      for (int i = 0; i < path.length - 1; i++) {
        at1 = at1.putObject(path[i]);
      }
      at1.set(path[path.length - 1], leaf);
      ObjectNode meta = (ObjectNode) o.get("metadata");
      // an Update takes the field over from the applier (server-side apply's ownership)
      for (JsonNode e : meta.path("managedFields")) {
        if (e.path("manager").asText().equals(APPLIER)) {
          JsonNode parent = e.path("fieldsV1");
          for (int i = 0; i < path.length - 1 && parent.isObject(); i++) {
            parent = parent.path(path[i]);
          }
          if (parent instanceof ObjectNode p) {
            p.remove(path[path.length - 1]);
          }
        }
      }
      ((ArrayNode) meta.get("managedFields"))
          .add(entry(manager, "Update", o.path("apiVersion").asText(), at, fields, null));
      meta.put("resourceVersion", Long.toString(resourceVersion++));
      if (meta.has("generation")) {
        meta.put("generation", meta.path("generation").asInt() + 1);
      }
    }

    // ---- what controllers derive ----

    private void derive(ObjectNode o) {
      switch (o.path("kind").asText()) {
        case "Deployment" -> deployment(o);
        case "StatefulSet" -> statefulSet(o);
        case "DaemonSet" -> daemonSet(o);
        case "CronJob" -> cronJob(o);
        case "ServiceAccount" -> token(o);
        default -> {}
      }
    }

    private void deployment(ObjectNode d) {
      ObjectNode template = (ObjectNode) d.at("/spec/template");
      int replicas = d.at("/spec/replicas").asInt(1);
      int revision = d.at("/metadata/generation").asInt(1);
      // an edited template leaves the previous ReplicaSet behind, scaled to zero
      if (revision > 1) {
        ObjectNode before = template.deepCopy();
        ArrayNode containers = (ArrayNode) before.at("/spec/containers");
        containers.remove(containers.size() - 1);
        replicaSet(d, before, 0, revision - 1);
      }
      ObjectNode rs = replicaSet(d, template, replicas, revision);
      ((ObjectNode) d.get("metadata"))
          .withObjectProperty("annotations")
          .put("deployment.kubernetes.io/revision", Integer.toString(revision));
      for (int i = 0; i < replicas; i++) {
        pod(
            rs,
            template,
            rs.at("/metadata/name").asText() + "-" + suffix(idOf(rs) + i, 5),
            i,
            Map.of("pod-template-hash", rs.at("/metadata/labels/pod-template-hash").asText()));
      }
    }

    private ObjectNode replicaSet(ObjectNode d, ObjectNode template, int replicas, int revision) {
      String hash = suffix(template.toString(), 10);
      ObjectNode rs = JSON.objectNode();
      rs.put("apiVersion", "apps/v1").put("kind", "ReplicaSet");
      ObjectNode meta = rs.putObject("metadata");
      meta.put("name", d.at("/metadata/name").asText() + "-" + hash);
      meta.put("namespace", d.at("/metadata/namespace").asText());
      ObjectNode labels = template.path("metadata").path("labels").deepCopy();
      labels.put("pod-template-hash", hash);
      meta.set("labels", labels);
      ObjectNode ann = meta.putObject("annotations");
      ann.put(
          "deployment.kubernetes.io/desired-replicas",
          Integer.toString(d.at("/spec/replicas").asInt(1)));
      ann.put(
          "deployment.kubernetes.io/max-replicas",
          Integer.toString(d.at("/spec/replicas").asInt(1) + 1));
      ann.put("deployment.kubernetes.io/revision", Integer.toString(revision));
      meta.set("ownerReferences", owner(d));
      stamp(rs, CREATED.plusSeconds(offset++));
      ObjectNode spec = rs.putObject("spec");
      spec.put("replicas", replicas);
      ObjectNode selector = d.at("/spec/selector").deepCopy();
      selector.withObjectProperty("matchLabels").put("pod-template-hash", hash);
      spec.set("selector", selector);
      ObjectNode t = template.deepCopy();
      ((ObjectNode) t.get("metadata")).withObjectProperty("labels").put("pod-template-hash", hash);
      spec.set("template", t);
      ObjectNode status = rs.putObject("status");
      status.put("observedGeneration", 1).put("replicas", replicas);
      if (replicas > 0) {
        status
            .put("availableReplicas", replicas)
            .put("fullyLabeledReplicas", replicas)
            .put("readyReplicas", replicas);
      }
      controllerFields(rs, "kube-controller-manager", CONTROLLERS);
      items.add(rs);
      return rs;
    }

    private void statefulSet(ObjectNode sts) {
      ObjectNode template = (ObjectNode) sts.at("/spec/template");
      String stsName = sts.at("/metadata/name").asText();
      String ns = sts.at("/metadata/namespace").asText();
      int revisions = sts.at("/metadata/generation").asInt(1);
      String revision = null;
      for (int r = 1; r <= revisions; r++) {
        ObjectNode t = template.deepCopy();
        if (r < revisions) {
          ((ObjectNode) t.at("/spec/containers/0"))
              .put("image", "quay.io/prometheus/prometheus:v2.54.1");
        }
        revision = stsName + "-" + suffix(t.toString(), 10);
        ObjectNode cr = JSON.objectNode();
        cr.put("apiVersion", "apps/v1").put("kind", "ControllerRevision");
        ObjectNode meta = cr.putObject("metadata");
        meta.put("name", revision).put("namespace", ns);
        ObjectNode labels = template.at("/metadata/labels").deepCopy();
        labels.put("controller.kubernetes.io/hash", revision.substring(stsName.length() + 1));
        meta.set("labels", labels);
        meta.set("ownerReferences", owner(sts));
        stamp(cr, CREATED.plusSeconds(offset++));
        cr.putObject("data").putObject("spec").set("template", patchOf(t));
        cr.put("revision", r);
        controllerFields(cr, "kube-controller-manager", CONTROLLERS);
        items.add(cr);
      }
      int replicas = sts.at("/spec/replicas").asInt(1);
      ObjectNode status = sts.putObject("status");
      status
          .put("availableReplicas", replicas)
          .put("collisionCount", 0)
          .put("currentReplicas", replicas);
      status.put("currentRevision", revision).put("observedGeneration", revisions);
      status.put("readyReplicas", replicas).put("replicas", replicas);
      status.put("updateRevision", revision).put("updatedReplicas", replicas);
      statusFields(sts, "kube-controller-manager", status);
      for (int i = 0; i < replicas; i++) {
        String pod = stsName + "-" + i;
        ObjectNode p =
            pod(
                sts,
                template,
                pod,
                i,
                Map.of(
                    "apps.kubernetes.io/pod-index", Integer.toString(i),
                    "controller-revision-hash", revision,
                    "statefulset.kubernetes.io/pod-name", pod));
        ((ObjectNode) p.get("spec"))
            .put("hostname", pod)
            .put("subdomain", sts.at("/spec/serviceName").asText());
        for (JsonNode claim : sts.at("/spec/volumeClaimTemplates")) {
          String claimName = claim.at("/metadata/name").asText() + "-" + pod;
          ((ArrayNode) p.at("/spec/volumes"))
              .insertObject(0)
              .put("name", claim.at("/metadata/name").asText())
              .putObject("persistentVolumeClaim")
              .put("claimName", claimName);
          claim(sts, (ObjectNode) claim, claimName, i);
        }
      }
    }

    /** A claim made from the template, bound by the EBS CSI driver, and its volume. */
    private void claim(ObjectNode sts, ObjectNode template, String claimName, int index) {
      String ns = sts.at("/metadata/namespace").asText();
      ObjectNode pvc = JSON.objectNode();
      pvc.put("apiVersion", "v1").put("kind", "PersistentVolumeClaim");
      ObjectNode meta = pvc.putObject("metadata");
      meta.put("name", claimName).put("namespace", ns);
      meta.set("labels", sts.at("/spec/selector/matchLabels").deepCopy());
      ObjectNode ann = meta.putObject("annotations");
      ann.put("pv.kubernetes.io/bind-completed", "yes");
      ann.put("pv.kubernetes.io/bound-by-controller", "yes");
      ann.put("volume.beta.kubernetes.io/storage-provisioner", "ebs.csi.aws.com");
      ann.put("volume.kubernetes.io/selected-node", nodes.get(index % nodes.size()));
      ann.put("volume.kubernetes.io/storage-provisioner", "ebs.csi.aws.com");
      meta.putArray("finalizers").add("kubernetes.io/pvc-protection");
      stamp(pvc, CREATED.plusSeconds(offset++));
      String volume = "pvc-" + uid(idOf(pvc));
      ObjectNode spec = template.path("spec").deepCopy();
      spec.put("storageClassName", "gp3").put("volumeMode", "Filesystem").put("volumeName", volume);
      pvc.set("spec", spec);
      ObjectNode status = pvc.putObject("status");
      status.putArray("accessModes").addAll((ArrayNode) spec.path("accessModes"));
      status.putObject("capacity").set("storage", spec.at("/resources/requests/storage"));
      status.put("phase", "Bound");
      controllerFields(pvc, "kube-controller-manager", CONTROLLERS);
      items.add(pvc);

      ObjectNode pv = JSON.objectNode();
      pv.put("apiVersion", "v1").put("kind", "PersistentVolume");
      ObjectNode pvMeta = pv.putObject("metadata");
      pvMeta.put("name", volume);
      pvMeta.putObject("annotations").put("pv.kubernetes.io/provisioned-by", "ebs.csi.aws.com");
      pvMeta
          .putArray("finalizers")
          .add("kubernetes.io/pv-protection")
          .add("external-attacher/ebs-csi-aws-com");
      stamp(pv, CREATED.plusSeconds(offset++));
      ObjectNode pvSpec = pv.putObject("spec");
      pvSpec.set("accessModes", spec.get("accessModes").deepCopy());
      pvSpec.putObject("capacity").set("storage", spec.at("/resources/requests/storage"));
      ObjectNode ref = pvSpec.putObject("claimRef");
      ref.put("apiVersion", "v1").put("kind", "PersistentVolumeClaim").put("name", claimName);
      ref.put("namespace", ns).put("resourceVersion", meta.path("resourceVersion").asText());
      ref.put("uid", meta.path("uid").asText());
      pvSpec
          .putObject("csi")
          .put("driver", "ebs.csi.aws.com")
          .put("fsType", "ext4")
          .put("volumeHandle", "vol-0" + suffix(volume, 16));
      pvSpec
          .put("persistentVolumeReclaimPolicy", "Delete")
          .put("storageClassName", "gp3")
          .put("volumeMode", "Filesystem");
      pv.putObject("status")
          .put("lastPhaseTransitionTime", CONTROLLERS.toString())
          .put("phase", "Bound");
      controllerFields(pv, "csi-provisioner", CONTROLLERS);
      items.add(pv);
    }

    private void daemonSet(ObjectNode ds) {
      ObjectNode template = (ObjectNode) ds.at("/spec/template");
      String dsName = ds.at("/metadata/name").asText();
      String hash = suffix(template.toString(), 10);
      ObjectNode cr = JSON.objectNode();
      cr.put("apiVersion", "apps/v1").put("kind", "ControllerRevision");
      ObjectNode meta = cr.putObject("metadata");
      meta.put("name", dsName + "-" + hash).put("namespace", ds.at("/metadata/namespace").asText());
      ObjectNode labels = template.at("/metadata/labels").deepCopy();
      labels.put("controller-revision-hash", hash);
      meta.set("labels", labels);
      meta.putObject("annotations").put("deprecated.daemonset.template.generation", "1");
      meta.set("ownerReferences", owner(ds));
      stamp(cr, CREATED.plusSeconds(offset++));
      cr.putObject("data").putObject("spec").set("template", patchOf(template));
      cr.put("revision", 1);
      controllerFields(cr, "kube-controller-manager", CONTROLLERS);
      items.add(cr);
      ((ObjectNode) ds.get("metadata"))
          .withObjectProperty("annotations")
          .put("deprecated.daemonset.template.generation", "1");
      for (int i = 0; i < nodes.size(); i++) {
        ObjectNode p =
            pod(
                ds,
                template,
                dsName + "-" + suffix(idOf(ds) + i, 5),
                i,
                Map.of("controller-revision-hash", hash, "pod-template-generation", "1"));
        ((ObjectNode) p.get("spec")).put("nodeName", nodes.get(i));
      }
    }

    private void cronJob(ObjectNode cj) {
      // one run every 10 minutes; the last three successful Jobs are kept
      Instant until =
          cj.at("/spec/suspend").asBoolean() ? Instant.parse("2026-11-22T16:25:00Z") : NOW;
      long minute = until.getEpochSecond() / 60 / 10 * 10;
      Instant last = null;
      for (int k = 2; k >= 0; k--) {
        long at = minute - 10L * k;
        last = Instant.ofEpochSecond(at * 60);
        ObjectNode job = JSON.objectNode();
        job.put("apiVersion", "batch/v1").put("kind", "Job");
        ObjectNode meta = job.putObject("metadata");
        String jobName = cj.at("/metadata/name").asText() + "-" + at;
        meta.put("name", jobName).put("namespace", cj.at("/metadata/namespace").asText());
        String controllerUid = uid(name + "/job/" + jobName);
        ObjectNode labels = cj.at("/spec/jobTemplate/spec/template/metadata/labels").deepCopy();
        labels
            .put("batch.kubernetes.io/controller-uid", controllerUid)
            .put("batch.kubernetes.io/job-name", jobName);
        labels.put("controller-uid", controllerUid).put("job-name", jobName);
        meta.set("labels", labels);
        meta.putObject("annotations")
            .put("batch.kubernetes.io/cronjob-scheduled-timestamp", last.toString())
            .put("batch.kubernetes.io/job-tracking", "");
        meta.set("ownerReferences", owner(cj));
        stamp(job, last);
        meta.put("uid", controllerUid);
        ObjectNode spec = cj.at("/spec/jobTemplate/spec").deepCopy();
        spec.put("completionMode", "NonIndexed").put("completions", 1).put("manualSelector", false);
        spec.put("parallelism", 1)
            .put("podReplacementPolicy", "TerminatingOrFailed")
            .put("suspend", false);
        spec.putObject("selector")
            .putObject("matchLabels")
            .put("batch.kubernetes.io/controller-uid", controllerUid);
        ((ObjectNode) spec.at("/template/metadata")).withObjectProperty("labels").setAll(labels);
        job.set("spec", spec);
        ObjectNode status = job.putObject("status");
        status.put("completionTime", last.plusSeconds(9).toString());
        ArrayNode conditions = status.putArray("conditions");
        conditions
            .addObject()
            .put("lastProbeTime", last.plusSeconds(9).toString())
            .put("lastTransitionTime", last.plusSeconds(9).toString())
            .put("status", "True")
            .put("type", "SuccessCriteriaMet");
        conditions
            .addObject()
            .put("lastProbeTime", last.plusSeconds(9).toString())
            .put("lastTransitionTime", last.plusSeconds(9).toString())
            .put("status", "True")
            .put("type", "Complete");
        status
            .put("ready", 0)
            .put("startTime", last.toString())
            .put("succeeded", 1)
            .put("terminating", 0);
        status.putObject("uncountedTerminatedPods");
        controllerFields(job, "kube-controller-manager", last);
        items.add(job);
        pod(
            job,
            (ObjectNode) spec.get("template"),
            jobName + "-" + suffix(jobName, 5),
            k,
            Map.of());
      }
      ObjectNode status = cj.putObject("status");
      status
          .put("lastScheduleTime", last.toString())
          .put("lastSuccessfulTime", last.plusSeconds(9).toString());
      statusFields(cj, "kube-controller-manager", status);
    }

    /** The Endpoints and EndpointSlice of a Service: its labels, the ready pods it selects. */
    private void endpoints(ObjectNode svc) {
      JsonNode selector = svc.at("/spec/selector");
      if (!selector.isObject()) {
        return;
      }
      String svcName = svc.at("/metadata/name").asText();
      String ns = svc.at("/metadata/namespace").asText();
      boolean headless = "None".equals(svc.at("/spec/clusterIP").asText());
      List<ObjectNode> pods = new ArrayList<>();
      for (ObjectNode o : items) {
        if (o.path("kind").asText().equals("Pod")
            && o.at("/metadata/namespace").asText().equals(ns)
            && "Running".equals(o.at("/status/phase").asText())
            && selects(selector, o.at("/metadata/labels"))) {
          pods.add(o);
        }
      }
      ObjectNode labels =
          svc.at("/metadata/labels").isObject()
              ? svc.at("/metadata/labels").deepCopy()
              : JSON.objectNode();
      if (headless) {
        labels.put("service.kubernetes.io/headless", "");
      }

      ObjectNode ep = JSON.objectNode();
      ep.put("apiVersion", "v1").put("kind", "Endpoints");
      ObjectNode meta = ep.putObject("metadata");
      meta.put("name", svcName).put("namespace", ns);
      meta.set("labels", labels.deepCopy());
      meta.putObject("annotations")
          .put("endpoints.kubernetes.io/last-change-trigger-time", CONTROLLERS.toString());
      stamp(ep, CREATED.plusSeconds(offset++));
      ArrayNode subsets = ep.putArray("subsets");
      ObjectNode subset = subsets.addObject();
      ArrayNode addresses = subset.putArray("addresses");
      for (ObjectNode p : pods) {
        ObjectNode a = addresses.addObject();
        a.put("ip", p.at("/status/podIP").asText())
            .put("nodeName", p.at("/spec/nodeName").asText());
        a.putObject("targetRef")
            .put("kind", "Pod")
            .put("name", p.at("/metadata/name").asText())
            .put("namespace", ns)
            .put("uid", p.at("/metadata/uid").asText());
      }
      ArrayNode ports = subset.putArray("ports");
      for (JsonNode sp : svc.at("/spec/ports")) {
        ports
            .addObject()
            .put("name", sp.path("name").asText())
            .put("port", targetPort(sp, pods))
            .put("protocol", sp.path("protocol").asText("TCP"));
      }
      if (pods.isEmpty()) {
        ep.remove("subsets");
      }
      controllerFields(ep, "kube-controller-manager", CONTROLLERS);
      items.add(ep);

      ObjectNode slice = JSON.objectNode();
      slice.put("apiVersion", "discovery.k8s.io/v1").put("kind", "EndpointSlice");
      slice.put("addressType", "IPv4");
      ObjectNode smeta = slice.putObject("metadata");
      smeta
          .put("name", svcName + "-" + suffix(idOf(svc), 5))
          .put("namespace", ns)
          .put("generateName", svcName + "-");
      ObjectNode slabels = labels.deepCopy();
      slabels.put("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io");
      slabels.put("kubernetes.io/service-name", svcName);
      smeta.set("labels", slabels);
      smeta
          .putObject("annotations")
          .put("endpoints.kubernetes.io/last-change-trigger-time", CONTROLLERS.toString());
      smeta.set("ownerReferences", owner(svc));
      stamp(slice, CREATED.plusSeconds(offset++));
      smeta.put("generation", pods.size() + 1);
      ArrayNode eps = slice.putArray("endpoints");
      for (ObjectNode p : pods) {
        ObjectNode e = eps.addObject();
        e.putArray("addresses").add(p.at("/status/podIP").asText());
        e.putObject("conditions").put("ready", true).put("serving", true).put("terminating", false);
        e.put("nodeName", p.at("/spec/nodeName").asText());
        e.putObject("targetRef")
            .put("kind", "Pod")
            .put("name", p.at("/metadata/name").asText())
            .put("namespace", ns)
            .put("uid", p.at("/metadata/uid").asText());
        e.put("zone", region + "abc".charAt(nodes.indexOf(p.at("/spec/nodeName").asText()) % 3));
      }
      if (pods.isEmpty()) {
        slice.remove("endpoints");
      }
      ArrayNode sports = slice.putArray("ports");
      for (JsonNode sp : svc.at("/spec/ports")) {
        sports
            .addObject()
            .put("name", sp.path("name").asText())
            .put("port", targetPort(sp, pods))
            .put("protocol", sp.path("protocol").asText("TCP"));
      }
      controllerFields(slice, "kube-controller-manager", CONTROLLERS);
      items.add(slice);
    }

    private static int targetPort(JsonNode servicePort, List<ObjectNode> pods) {
      JsonNode target = servicePort.path("targetPort");
      if (target.isInt()) {
        return target.asInt();
      }
      for (ObjectNode p : pods) {
        for (JsonNode c : p.at("/spec/containers")) {
          for (JsonNode port : c.path("ports")) {
            if (port.path("name").asText().equals(target.asText())) {
              return port.path("containerPort").asInt();
            }
          }
        }
      }
      return servicePort.path("port").asInt();
    }

    /** A legacy token Secret of a ServiceAccount, named in the account's secrets. */
    private void token(ObjectNode sa) {
      String saName = sa.at("/metadata/name").asText();
      String ns = sa.at("/metadata/namespace").asText();
      String secretName = saName + "-token-" + suffix(idOf(sa), 5);
      ObjectNode s = JSON.objectNode();
      s.put("apiVersion", "v1")
          .put("kind", "Secret")
          .put("type", "kubernetes.io/service-account-token");
      ObjectNode meta = s.putObject("metadata");
      meta.put("name", secretName).put("namespace", ns);
      meta.putObject("annotations")
          .put("kubernetes.io/service-account.name", saName)
          .put("kubernetes.io/service-account.uid", sa.at("/metadata/uid").asText());
      stamp(s, CREATED.plusSeconds(offset++));
      ObjectNode data = s.putObject("data");
      data.put("ca.crt", b64(CA_PEM));
      data.put("namespace", b64(ns));
      data.put("token", b64("eyJhbGciOiJSUzI1NiJ9." + b64(ns + ":" + saName) + ".c2lnbmF0dXJl"));
      controllerFields(s, "kube-controller-manager", CONTROLLERS);
      items.add(s);
      sa.putArray("secrets").addObject().put("name", secretName);
      ObjectNode fields = JSON.objectNode();
      ObjectNode secrets = fields.putObject("f:secrets");
      secrets.putObject(".");
      secrets.putObject("k:{\"name\":\"" + secretName + "\"}").putObject(".");
      ((ObjectNode) secrets.get("k:{\"name\":\"" + secretName + "\"}")).putObject("f:name");
      ((ArrayNode) sa.at("/metadata/managedFields"))
          .add(entry("kube-controller-manager", "Update", "v1", CONTROLLERS, fields, null));
    }

    /**
     * A running (or, for Jobs, completed) pod of {@code owner} from {@code template}, with the
     * scheduler's node, the kubelet's status and the projected service-account token volume.
     */
    private ObjectNode pod(
        ObjectNode owner,
        ObjectNode template,
        String podName,
        int index,
        Map<String, String> extraLabels) {
      String ns = owner.at("/metadata/namespace").asText();
      boolean completed = owner.path("kind").asText().equals("Job");
      Instant started =
          completed
              ? Instant.parse(owner.at("/metadata/creationTimestamp").asText())
              : CONTROLLERS.plusSeconds(20);
      ObjectNode pod = JSON.objectNode();
      pod.put("apiVersion", "v1").put("kind", "Pod");
      ObjectNode meta = pod.putObject("metadata");
      meta.put("name", podName).put("namespace", ns);
      ObjectNode labels =
          template.at("/metadata/labels").isObject()
              ? template.at("/metadata/labels").deepCopy()
              : JSON.objectNode();
      new TreeMap<>(extraLabels).forEach(labels::put);
      meta.set("labels", labels);
      if (template.at("/metadata/annotations").isObject()) {
        meta.set("annotations", template.at("/metadata/annotations").deepCopy());
      }
      meta.set("ownerReferences", owner(owner));
      stamp(pod, completed ? started : CONTROLLERS.plusSeconds(offset++));
      ObjectNode spec = template.path("spec").deepCopy();
      String sa = spec.path("serviceAccountName").asText("default");
      spec.put("serviceAccountName", sa).put("serviceAccount", sa);
      spec.put("enableServiceLinks", true)
          .put("preemptionPolicy", "PreemptLowerPriority")
          .put("priority", 0);
      String node = spec.path("nodeName").asText(nodes.get(index % nodes.size()));
      spec.put("nodeName", node);
      ArrayNode tolerations = spec.withArrayProperty("tolerations");
      for (String taint :
          List.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")) {
        tolerations
            .addObject()
            .put("effect", "NoExecute")
            .put("key", taint)
            .put("operator", "Exists")
            .put("tolerationSeconds", 300);
      }
      String tokenVolume = "kube-api-access-" + suffix(podName, 5);
      ObjectNode projected = spec.withArrayProperty("volumes").addObject();
      projected.put("name", tokenVolume);
      ObjectNode sources = projected.putObject("projected");
      sources.put("defaultMode", 420);
      ArrayNode src = sources.putArray("sources");
      src.addObject()
          .putObject("serviceAccountToken")
          .put("expirationSeconds", 3607)
          .put("path", "token");
      ObjectNode ca = src.addObject().putObject("configMap");
      ca.putArray("items").addObject().put("key", "ca.crt").put("path", "ca.crt");
      ca.put("name", "kube-root-ca.crt");
      ObjectNode downward = src.addObject().putObject("downwardAPI");
      downward
          .putArray("items")
          .addObject()
          .put("path", "namespace")
          .putObject("fieldRef")
          .put("apiVersion", "v1")
          .put("fieldPath", "metadata.namespace");
      ArrayNode statuses = JSON.arrayNode();
      String podIp =
          subnet
              + "."
              + (64 + nodes.indexOf(node) * 32 + (podCount % 32))
              + "."
              + (10 + podCount++ % 200);
      for (JsonNode c : spec.path("containers")) {
        ((ObjectNode) c)
            .withArrayProperty("volumeMounts")
            .addObject()
            .put("mountPath", "/var/run/secrets/kubernetes.io/serviceaccount")
            .put("name", tokenVolume)
            .put("readOnly", true);
        ObjectNode st = statuses.addObject();
        st.put("containerID", "containerd://" + suffix(podName + c.path("name").asText(), 24));
        st.put("image", c.path("image").asText());
        st.put(
            "imageID",
            c.path("image").asText().replaceAll(":[^:/]*$", "")
                + "@sha256:"
                + hex(c.path("image").asText()));
        st.putObject("lastState");
        st.put("name", c.path("name").asText())
            .put("ready", !completed)
            .put("restartCount", 0)
            .put("started", !completed);
        if (completed) {
          st.putObject("state")
              .putObject("terminated")
              .put("containerID", st.path("containerID").asText())
              .put("exitCode", 0)
              .put("finishedAt", started.plusSeconds(8).toString())
              .put("reason", "Completed")
              .put("startedAt", started.plusSeconds(2).toString());
        } else {
          st.putObject("state")
              .putObject("running")
              .put("startedAt", started.plusSeconds(10).toString());
        }
      }
      pod.set("spec", spec);
      ObjectNode status = pod.putObject("status");
      ArrayNode conditions = status.putArray("conditions");
      for (String type :
          List.of(
              "PodReadyToStartContainers",
              "Initialized",
              "Ready",
              "ContainersReady",
              "PodScheduled")) {
        boolean up = !completed || type.equals("Initialized") || type.equals("PodScheduled");
        ObjectNode condition =
            conditions
                .addObject()
                .putNull("lastProbeTime")
                .put("lastTransitionTime", started.plusSeconds(up ? 2 : 8).toString());
        if (completed && type.equals("Ready")) {
          condition.put("reason", "PodCompleted");
        }
        condition.put("status", up ? "True" : "False").put("type", type);
      }
      status.set("containerStatuses", statuses);
      status.put("hostIP", hostIp(node));
      status.putArray("hostIPs").addObject().put("ip", hostIp(node));
      status.put("phase", completed ? "Succeeded" : "Running");
      String ip = spec.path("hostNetwork").asBoolean() ? hostIp(node) : podIp;
      status.put("podIP", ip);
      status.putArray("podIPs").addObject().put("ip", ip);
      status.put("qosClass", qos(spec));
      status.put("startTime", started.toString());
      controllerFields(pod, "kube-controller-manager", CONTROLLERS);
      statusFields(pod, "kubelet", status);
      items.add(pod);
      return pod;
    }

    private String hostIp(String node) {
      return subnet + "." + (nodes.indexOf(node) + 1) + "." + (20 + 17 * nodes.indexOf(node));
    }

    private static String qos(JsonNode spec) {
      boolean any = false;
      for (JsonNode c : spec.path("containers")) {
        any |= !c.path("resources").isEmpty();
      }
      return any ? "Burstable" : "BestEffort";
    }

    // ---- the cluster itself ----

    private void system() {
      for (int i = 0; i < nodes.size(); i++) {
        ObjectNode node = JSON.objectNode();
        node.put("apiVersion", "v1").put("kind", "Node");
        ObjectNode meta = node.putObject("metadata");
        meta.put("name", nodes.get(i));
        ObjectNode labels = meta.putObject("labels");
        labels
            .put("kubernetes.io/arch", "amd64")
            .put("kubernetes.io/hostname", nodes.get(i))
            .put("kubernetes.io/os", "linux");
        labels.put("node.kubernetes.io/instance-type", "m6i.large");
        labels
            .put("topology.kubernetes.io/region", region)
            .put("topology.kubernetes.io/zone", region + "abc".charAt(i));
        meta.putObject("annotations")
            .put("node.alpha.kubernetes.io/ttl", "0")
            .put("volumes.kubernetes.io/controller-managed-attach-detach", "true");
        stamp(node, CREATED.minusSeconds(600 - i));
        ObjectNode spec = node.putObject("spec");
        spec.put("podCIDR", subnet + "." + (64 + 32 * i) + ".0/19")
            .put(
                "providerID",
                "aws:///" + region + "abc".charAt(i) + "/i-0" + suffix(nodes.get(i), 16));
        ObjectNode status = node.putObject("status");
        status
            .putArray("addresses")
            .addObject()
            .put("address", hostIp(nodes.get(i)))
            .put("type", "InternalIP");
        status
            .putObject("allocatable")
            .put("cpu", "1930m")
            .put("memory", "7291504Ki")
            .put("pods", "29");
        status.putObject("capacity").put("cpu", "2").put("memory", "7934576Ki").put("pods", "29");
        status
            .putArray("conditions")
            .addObject()
            .put("lastHeartbeatTime", NOW.toString())
            .put("lastTransitionTime", CREATED.toString())
            .put("message", "kubelet is posting ready status")
            .put("reason", "KubeletReady")
            .put("status", "True")
            .put("type", "Ready");
        status
            .putObject("nodeInfo")
            .put("architecture", "amd64")
            .put("containerRuntimeVersion", "containerd://1.7.22")
            .put("kubeletVersion", "v1.30.4-eks-a737599")
            .put("operatingSystem", "linux");
        controllerFields(node, "kubelet", CREATED);
        items.add(node);
        lease("kube-node-lease", nodes.get(i), nodes.get(i), "kubelet");
      }
      lease(
          "kube-system",
          "kube-controller-manager",
          "ip-172-16-44-9.ec2.internal_" + uid(name + "kcm"),
          "kube-controller-manager");
      lease(
          "kube-system",
          "kube-scheduler",
          "ip-172-16-44-9.ec2.internal_" + uid(name + "sched"),
          "kube-scheduler");
      lease(
          "kube-system",
          "cert-manager-controller",
          "cert-manager-"
              + suffix(name, 10)
              + "-"
              + suffix(name + "cm", 5)
              + "-external-cert-manager-controller",
          "cert-manager-controller");
      lease(
          "kube-system",
          "cert-manager-cainjector-leader-election",
          "cert-manager-cainjector-" + suffix(name, 5) + "_" + uid(name + "cainjector"),
          "cainjector");
      lease(
          "ingress-system",
          "ingress-nginx-leader",
          "ingress-controller-" + suffix(name + "ingress", 10) + "-" + suffix(name, 5),
          "nginx-ingress-controller");
      ObjectNode apiserver =
          lease(
              "kube-system",
              "apiserver-" + suffix(name + "apiserver", 26),
              "apiserver-" + uid(name + "apiserver"),
              "kube-apiserver");
      ((ObjectNode) apiserver.get("metadata"))
          .putObject("labels")
          .put("apiserver.kubernetes.io/identity", "kube-apiserver")
          .put("kubernetes.io/hostname", "ip-172-16-44-9.ec2.internal");

      for (String[] crd :
          new String[][] {
            {"cert-manager.io", "certificates", "Certificate", "Namespaced"},
            {"cert-manager.io", "clusterissuers", "ClusterIssuer", "Cluster"},
            {"kyverno.io", "clusterpolicies", "ClusterPolicy", "Cluster"},
            {"kyverno.io", "admissionreports", "AdmissionReport", "Namespaced"}
          }) {
        // a CRD the fleet renders is applied with the rest of the render
        if (!renders("CustomResourceDefinition", crd[1] + "." + crd[0])) {
          items.add(crd(crd[0], crd[1], crd[2], crd[3]));
        }
      }

      // the control plane's own RBAC, of which edit and view are aggregated
      items.add(
          systemRole(
              "cluster-admin",
              null,
              "[{\"apiGroups\":[\"*\"],\"resources\":[\"*\"],\"verbs\":[\"*\"]},{\"nonResourceURLs\":[\"*\"],\"verbs\":[\"*\"]}]",
              null));
      items.add(
          systemRole(
              "edit",
              "rbac.authorization.k8s.io/aggregate-to-edit",
              null,
              "rbac.authorization.k8s.io/aggregate-to-admin"));
      items.add(
          systemRole(
              "view",
              "rbac.authorization.k8s.io/aggregate-to-view",
              null,
              "rbac.authorization.k8s.io/aggregate-to-edit"));
      items.add(
          systemRole(
              "system:aggregate-to-edit",
              null,
              "[{\"apiGroups\":[\"\"],\"resources\":[\"configmaps\",\"secrets\",\"services\",\"pods\"],\"verbs\":[\"create\",\"delete\",\"deletecollection\",\"patch\",\"update\"]},{\"apiGroups\":[\"apps\"],\"resources\":[\"deployments\",\"statefulsets\"],\"verbs\":[\"create\",\"delete\",\"deletecollection\",\"patch\",\"update\"]}]",
              "rbac.authorization.k8s.io/aggregate-to-edit"));
      items.add(
          systemRole(
              "system:aggregate-to-view",
              null,
              "[{\"apiGroups\":[\"\"],\"resources\":[\"configmaps\",\"endpoints\",\"pods\",\"services\"],\"verbs\":[\"get\",\"list\",\"watch\"]},{\"apiGroups\":[\"apps\"],\"resources\":[\"deployments\",\"statefulsets\"],\"verbs\":[\"get\",\"list\",\"watch\"]}]",
              "rbac.authorization.k8s.io/aggregate-to-view"));
      ObjectNode binding = JSON.objectNode();
      binding.put("apiVersion", "rbac.authorization.k8s.io/v1").put("kind", "ClusterRoleBinding");
      ObjectNode bmeta = binding.putObject("metadata");
      bmeta.put("name", "cluster-admin");
      bmeta.putObject("labels").put("kubernetes.io/bootstrapping", "rbac-defaults");
      bmeta.putObject("annotations").put("rbac.authorization.kubernetes.io/autoupdate", "true");
      stamp(binding, CREATED.minusSeconds(900));
      binding
          .putObject("roleRef")
          .put("apiGroup", "rbac.authorization.k8s.io")
          .put("kind", "ClusterRole")
          .put("name", "cluster-admin");
      binding
          .putArray("subjects")
          .addObject()
          .put("apiGroup", "rbac.authorization.k8s.io")
          .put("kind", "Group")
          .put("name", "system:masters");
      controllerFields(binding, "kube-apiserver", CREATED.minusSeconds(900));
      items.add(binding);

      // kube-system's DNS, and the API server's own Service
      ObjectNode coredns =
          parse(
              """
          {"apiVersion":"apps/v1","kind":"Deployment",
           "metadata":{"name":"coredns","namespace":"kube-system","labels":{"eks.amazonaws.com/component":"coredns","k8s-app":"kube-dns","kubernetes.io/name":"CoreDNS"}},
           "spec":{"replicas":2,"selector":{"matchLabels":{"eks.amazonaws.com/component":"coredns","k8s-app":"kube-dns"}},
             "template":{"metadata":{"labels":{"eks.amazonaws.com/component":"coredns","k8s-app":"kube-dns"}},
               "spec":{"serviceAccountName":"coredns","priorityClassName":"system-cluster-critical",
                 "containers":[{"name":"coredns","image":"602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/coredns:v1.11.1-eksbuild.9",
                   "args":["-conf","/etc/coredns/Corefile"],
                   "ports":[{"name":"dns","containerPort":53,"protocol":"UDP"},{"name":"dns-tcp","containerPort":53,"protocol":"TCP"},{"name":"metrics","containerPort":9153,"protocol":"TCP"}],
                   "resources":{"limits":{"memory":"170Mi"},"requests":{"cpu":"100m","memory":"70Mi"}},
                   "volumeMounts":[{"name":"config-volume","mountPath":"/etc/coredns","readOnly":true}]}],
                 "volumes":[{"name":"config-volume","configMap":{"name":"coredns","items":[{"key":"Corefile","path":"Corefile"}]}}]}}}}
          """);
      ObjectNode dns =
          parse(
              """
          {"apiVersion":"v1","kind":"Service",
           "metadata":{"name":"kube-dns","namespace":"kube-system","labels":{"eks.amazonaws.com/component":"kube-dns","k8s-app":"kube-dns","kubernetes.io/cluster-service":"true","kubernetes.io/name":"CoreDNS"}},
           "spec":{"clusterIP":"10.100.0.10","selector":{"k8s-app":"kube-dns"},
             "ports":[{"name":"dns","port":53,"protocol":"UDP","targetPort":53},{"name":"dns-tcp","port":53,"protocol":"TCP","targetPort":53},{"name":"metrics","port":9153,"protocol":"TCP","targetPort":9153}]}}
          """);
      ObjectNode api =
          parse(
              """
          {"apiVersion":"v1","kind":"Service",
           "metadata":{"name":"kubernetes","namespace":"default","labels":{"component":"apiserver","provider":"kubernetes"}},
           "spec":{"clusterIP":"10.100.0.1","ports":[{"name":"https","port":443,"protocol":"TCP","targetPort":443}]}}
          """);
      ObjectNode corefile =
          parse(
              """
          {"apiVersion":"v1","kind":"ConfigMap",
           "metadata":{"name":"coredns","namespace":"kube-system","labels":{"eks.amazonaws.com/component":"coredns","k8s-app":"kube-dns"}},
           "data":{"Corefile":".:53 {\\n    errors\\n    health {\\n        lameduck 5s\\n      }\\n    ready\\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\\n      pods insecure\\n      fallthrough in-addr.arpa ip6.arpa\\n    }\\n    prometheus :9153\\n    forward . /etc/resolv.conf\\n    cache 30\\n    loop\\n    reload\\n    loadbalance\\n}\\n"}}
          """);
      ObjectNode corednsSa =
          parse(
              """
          {"apiVersion":"v1","kind":"ServiceAccount",
           "metadata":{"name":"coredns","namespace":"kube-system","labels":{"eks.amazonaws.com/component":"coredns","k8s-app":"kube-dns"}}}
          """);
      for (ObjectNode o : List.of(coredns, dns, api, corefile, corednsSa)) {
        stamp(o, CREATED.minusSeconds(800));
        Defaults.apply(o.path("kind").asText(), o);
        controllerFields(o, o == api ? "kube-apiserver" : "eks", CREATED.minusSeconds(800));
        items.add(o);
      }
      ObjectNode apiEndpoints =
          parse(
              """
          {"apiVersion":"v1","kind":"Endpoints",
           "metadata":{"name":"kubernetes","namespace":"default","labels":{"endpointslice.kubernetes.io/skip-mirror":"true"}},
           "subsets":[{"addresses":[{"ip":"172.16.44.9"},{"ip":"172.16.97.130"}],"ports":[{"name":"https","port":443,"protocol":"TCP"}]}]}
          """);
      ObjectNode apiSlice =
          parse(
              """
          {"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","addressType":"IPv4",
           "metadata":{"name":"kubernetes","namespace":"default","labels":{"kubernetes.io/service-name":"kubernetes"}},
           "endpoints":[{"addresses":["172.16.44.9"],"conditions":{"ready":true}},{"addresses":["172.16.97.130"],"conditions":{"ready":true}}],
           "ports":[{"name":"https","port":443,"protocol":"TCP"}]}
          """);
      for (ObjectNode o : List.of(apiEndpoints, apiSlice)) {
        stamp(o, CREATED.minusSeconds(800));
        controllerFields(o, "kube-apiserver", CREATED.minusSeconds(800));
        items.add(o);
      }

      // what the scheduler and the deployment controller said lately
      for (String[] e :
          new String[][] {
            {
              "monitoring",
              "kube-state-metrics",
              "Deployment",
              "apps/v1",
              "ScalingReplicaSet",
              "Scaled up replica set kube-state-metrics-%s to 1",
              "deployment-controller"
            },
            {
              "kyverno",
              "kyverno-cleanup-admission-reports",
              "CronJob",
              "batch/v1",
              "SawCompletedJob",
              "Saw completed job: kyverno-cleanup-admission-reports-%s, condition: Complete",
              "cronjob-controller"
            }
          }) {
        ObjectNode event = JSON.objectNode();
        event.put("apiVersion", "v1").put("kind", "Event");
        ObjectNode meta = event.putObject("metadata");
        meta.put("name", e[1] + "." + hex(name + e[1]).substring(0, 16)).put("namespace", e[0]);
        stamp(event, NOW.minusSeconds(300));
        event
            .putObject("involvedObject")
            .put("apiVersion", e[3])
            .put("kind", e[2])
            .put("name", e[1])
            .put("namespace", e[0])
            .put("uid", uid(name + "/" + e[3] + "/" + e[2] + "/" + e[0] + "/" + e[1]));
        event
            .put("count", 1)
            .put("firstTimestamp", NOW.minusSeconds(300).toString())
            .put("lastTimestamp", NOW.minusSeconds(300).toString());
        event.put("message", e[5].formatted(suffix(name + e[1], 10))).put("reason", e[4]);
        event.putObject("source").put("component", e[6]);
        event.put("type", "Normal");
        items.add(event);
      }
    }

    /**
     * Every namespace the objects use, with what the control plane puts in each: the
     * kube-root-ca.crt ConfigMap and the default ServiceAccount with its legacy token Secret.
     */
    private void namespaces() {
      Map<String, ObjectNode> byName = new TreeMap<>();
      for (ObjectNode o : items) {
        if (o.path("kind").asText().equals("Namespace")) {
          byName.put(o.at("/metadata/name").asText(), o);
        }
      }
      List<String> used =
          new ArrayList<>(List.of("default", "kube-node-lease", "kube-public", "kube-system"));
      for (ObjectNode o : items) {
        String ns = o.at("/metadata/namespace").asText("");
        if (!ns.isEmpty() && !used.contains(ns)) {
          used.add(ns);
        }
      }
      for (String ns : used) {
        ObjectNode namespace = byName.get(ns);
        if (namespace == null) {
          // created by the GitOps tool (CreateNamespace) or the control plane: not rendered
          namespace = JSON.objectNode();
          namespace.put("apiVersion", "v1").put("kind", "Namespace");
          namespace.putObject("metadata").put("name", ns);
          stamp(
              namespace,
              ns.startsWith("kube-") || ns.equals("default")
                  ? CREATED.minusSeconds(900)
                  : CREATED.minusSeconds(5));
          Defaults.apply("Namespace", namespace);
          controllerFields(
              namespace,
              ns.startsWith("kube-") || ns.equals("default") ? "kube-apiserver" : APPLIER,
              CREATED);
          items.add(namespace);
        }
        ObjectNode ca = JSON.objectNode();
        ca.put("apiVersion", "v1").put("kind", "ConfigMap");
        ObjectNode meta = ca.putObject("metadata");
        meta.put("name", "kube-root-ca.crt").put("namespace", ns);
        meta.putObject("annotations")
            .put(
                "kubernetes.io/description",
                "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.");
        stamp(ca, CREATED);
        ca.putObject("data").put("ca.crt", CA_PEM);
        controllerFields(ca, "kube-controller-manager", CREATED);
        items.add(ca);
        ObjectNode sa = JSON.objectNode();
        sa.put("apiVersion", "v1").put("kind", "ServiceAccount");
        sa.putObject("metadata").put("name", "default").put("namespace", ns);
        stamp(sa, CREATED);
        controllerFields(sa, "kube-controller-manager", CREATED);
        items.add(sa);
      }
    }

    // ---- building blocks ----

    private ObjectNode lease(String ns, String leaseName, String holder, String manager) {
      ObjectNode lease = JSON.objectNode();
      lease.put("apiVersion", "coordination.k8s.io/v1").put("kind", "Lease");
      lease.putObject("metadata").put("name", leaseName).put("namespace", ns);
      stamp(lease, CREATED);
      ObjectNode spec = lease.putObject("spec");
      spec.put("acquireTime", CREATED.toString()).put("holderIdentity", holder);
      spec.put("leaseDurationSeconds", ns.equals("kube-node-lease") ? 40 : 15)
          .put("leaseTransitions", 0);
      spec.put("renewTime", NOW.toString().replace("Z", ".000000Z"));
      controllerFields(lease, manager, NOW);
      items.add(lease);
      return lease;
    }

    private boolean renders(String kind, String objectName) {
      return desired.stream()
          .anyMatch(
              d ->
                  d.manifest().path("kind").asText().equals(kind)
                      && d.manifest().path("metadata").path("name").asText().equals(objectName));
    }

    private ObjectNode crd(String group, String plural, String kind, String scope) {
      ObjectNode crd = JSON.objectNode();
      crd.put("apiVersion", "apiextensions.k8s.io/v1").put("kind", "CustomResourceDefinition");
      ObjectNode meta = crd.putObject("metadata");
      meta.put("name", plural + "." + group);
      meta.putObject("labels")
          .put("app.kubernetes.io/name", group.startsWith("kyverno") ? "kyverno" : "cert-manager");
      stamp(crd, CREATED.minusSeconds(60));
      ObjectNode spec = crd.putObject("spec");
      spec.putObject("conversion").put("strategy", "None");
      spec.put("group", group);
      ObjectNode names = spec.putObject("names");
      names
          .put("kind", kind)
          .put("listKind", kind + "List")
          .put("plural", plural)
          .put("singular", kind.toLowerCase(java.util.Locale.ROOT));
      spec.put("scope", scope);
      ObjectNode version = spec.putArray("versions").addObject();
      version.put("name", "v1").put("served", true).put("storage", true);
      ObjectNode schema = version.putObject("schema").putObject("openAPIV3Schema");
      schema.put("type", "object");
      ObjectNode props = schema.putObject("properties");
      props
          .putObject("spec")
          .put("type", "object")
          .put("x-kubernetes-preserve-unknown-fields", true);
      props
          .putObject("status")
          .put("type", "object")
          .put("x-kubernetes-preserve-unknown-fields", true);
      version.putObject("subresources").putObject("status");
      ObjectNode status = crd.putObject("status");
      status.putObject("acceptedNames").setAll((ObjectNode) names.deepCopy());
      status
          .putArray("conditions")
          .addObject()
          .put("lastTransitionTime", CREATED.minusSeconds(59).toString())
          .put("message", "the initial names have been accepted")
          .put("reason", "InitialNamesAccepted")
          .put("status", "True")
          .put("type", "Established");
      status.putArray("storedVersions").add("v1");
      controllerFields(crd, APPLIER, CREATED.minusSeconds(60));
      return crd;
    }

    private ObjectNode systemRole(
        String roleName, String aggregateFrom, String rules, String label) {
      ObjectNode role = JSON.objectNode();
      role.put("apiVersion", "rbac.authorization.k8s.io/v1").put("kind", "ClusterRole");
      ObjectNode meta = role.putObject("metadata");
      meta.put("name", roleName);
      ObjectNode labels = meta.putObject("labels");
      labels.put("kubernetes.io/bootstrapping", "rbac-defaults");
      if (label != null) {
        labels.put(label, "true");
      }
      meta.putObject("annotations").put("rbac.authorization.kubernetes.io/autoupdate", "true");
      stamp(role, CREATED.minusSeconds(900));
      if (aggregateFrom != null) {
        role.putObject("aggregationRule")
            .putArray("clusterRoleSelectors")
            .addObject()
            .putObject("matchLabels")
            .put(aggregateFrom, "true");
      }
      if (rules != null) {
        role.set("rules", parseAny(rules));
      }
      controllerFields(role, "kube-apiserver", CREATED.minusSeconds(900));
      return role;
    }

    private ObjectNode find(String kind, String ns, String objectName) {
      for (ObjectNode o : items) {
        if (o.path("kind").asText().equals(kind)
            && o.at("/metadata/name").asText().equals(objectName)
            && (ns == null || o.at("/metadata/namespace").asText().equals(ns))) {
          return o;
        }
      }
      throw new IllegalStateException(name + " renders no " + kind + " " + ns + "/" + objectName);
    }

    private static ArrayNode owner(ObjectNode owner) {
      ArrayNode refs = JSON.arrayNode();
      refs.addObject()
          .put("apiVersion", owner.path("apiVersion").asText())
          .put("blockOwnerDeletion", true)
          .put("controller", true)
          .put("kind", owner.path("kind").asText())
          .put("name", owner.at("/metadata/name").asText())
          .put("uid", owner.at("/metadata/uid").asText());
      return refs;
    }

    /** The whole object (less status) as written by a controller's create. */
    private static void controllerFields(ObjectNode o, String manager, Instant at) {
      ObjectNode meta = o.withObjectProperty("metadata");
      ObjectNode fields = FieldSets.all(o, "", true);
      meta.withArrayProperty("managedFields")
          .add(entry(manager, "Update", o.path("apiVersion").asText(), at, fields, null));
    }

    /** A status written through the status subresource. */
    static void statusFields(ObjectNode o, String manager, ObjectNode status) {
      ObjectNode fields = JSON.objectNode();
      fields.set("f:status", FieldSets.all(status, "status", false));
      ((ObjectNode) o.at("/metadata"))
          .withArrayProperty("managedFields")
          .add(
              entry(
                  manager, "Update", o.path("apiVersion").asText(), CONTROLLERS, fields, "status"));
    }
  }

  /** The API server's defaults, as its defaulting functions set them. */
  static final class Defaults {
    private Defaults() {}

    static void apply(String kind, ObjectNode o) {
      ObjectNode spec = o.path("spec") instanceof ObjectNode s ? s : null;
      switch (kind) {
        case "Deployment" -> {
          putIfAbsent(spec, "progressDeadlineSeconds", 600);
          putIfAbsent(spec, "revisionHistoryLimit", 10);
          if (!spec.has("strategy")) {
            ObjectNode strategy = spec.putObject("strategy");
            strategy.putObject("rollingUpdate").put("maxSurge", "25%").put("maxUnavailable", "25%");
            strategy.put("type", "RollingUpdate");
          }
          podTemplate((ObjectNode) spec.get("template"), false);
        }
        case "StatefulSet" -> {
          putIfAbsent(spec, "podManagementPolicy", "OrderedReady");
          putIfAbsent(spec, "revisionHistoryLimit", 10);
          if (!spec.has("persistentVolumeClaimRetentionPolicy")) {
            spec.putObject("persistentVolumeClaimRetentionPolicy")
                .put("whenDeleted", "Retain")
                .put("whenScaled", "Retain");
          }
          if (!spec.has("updateStrategy")) {
            ObjectNode strategy = spec.putObject("updateStrategy");
            strategy.putObject("rollingUpdate").put("partition", 0);
            strategy.put("type", "RollingUpdate");
          }
          for (JsonNode c : spec.path("volumeClaimTemplates")) {
            ObjectNode claim = (ObjectNode) c;
            claim.put("apiVersion", "v1").put("kind", "PersistentVolumeClaim");
            claim.withObjectProperty("metadata").putNull("creationTimestamp");
            claim.withObjectProperty("spec").put("volumeMode", "Filesystem");
            claim.putObject("status").put("phase", "Pending");
          }
          podTemplate((ObjectNode) spec.get("template"), false);
        }
        case "DaemonSet" -> {
          putIfAbsent(spec, "revisionHistoryLimit", 10);
          if (!spec.has("updateStrategy")) {
            ObjectNode strategy = spec.putObject("updateStrategy");
            strategy.putObject("rollingUpdate").put("maxSurge", 0).put("maxUnavailable", 1);
            strategy.put("type", "RollingUpdate");
          }
          podTemplate((ObjectNode) spec.get("template"), false);
        }
        case "CronJob" -> {
          putIfAbsent(spec, "concurrencyPolicy", "Allow");
          putIfAbsent(spec, "failedJobsHistoryLimit", 1);
          putIfAbsent(spec, "successfulJobsHistoryLimit", 3);
          putIfAbsent(spec, "suspend", false);
          ObjectNode job = (ObjectNode) spec.get("jobTemplate");
          job.withObjectProperty("metadata").putNull("creationTimestamp");
          podTemplate((ObjectNode) job.at("/spec/template"), true);
        }
        case "Service" -> {
          putIfAbsent(spec, "internalTrafficPolicy", "Cluster");
          spec.putArray("ipFamilies").add("IPv4");
          putIfAbsent(spec, "ipFamilyPolicy", "SingleStack");
          putIfAbsent(spec, "sessionAffinity", "None");
          putIfAbsent(spec, "type", "ClusterIP");
          if (spec.path("type").asText().equals("LoadBalancer")) {
            putIfAbsent(spec, "allocateLoadBalancerNodePorts", true);
            putIfAbsent(spec, "externalTrafficPolicy", "Cluster");
          }
          for (JsonNode p : spec.path("ports")) {
            putIfAbsent((ObjectNode) p, "protocol", "TCP");
            if (!p.has("targetPort")) {
              ((ObjectNode) p).set("targetPort", p.get("port"));
            }
          }
        }
        case "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration" -> {
          for (JsonNode w : o.path("webhooks")) {
            ObjectNode webhook = (ObjectNode) w;
            putIfAbsent(webhook, "matchPolicy", "Equivalent");
            if (!webhook.has("namespaceSelector")) {
              webhook.putObject("namespaceSelector");
            }
            if (!webhook.has("objectSelector")) {
              webhook.putObject("objectSelector");
            }
            putIfAbsent(webhook, "timeoutSeconds", 10);
            if (kind.startsWith("Mutating")) {
              putIfAbsent(webhook, "reinvocationPolicy", "Never");
            }
            JsonNode service = webhook.at("/clientConfig/service");
            if (service instanceof ObjectNode s) {
              putIfAbsent(s, "port", 443);
            }
            for (JsonNode rule : webhook.path("rules")) {
              putIfAbsent((ObjectNode) rule, "scope", "*");
            }
          }
        }
        case "HorizontalPodAutoscaler" -> {
          if (!spec.has("behavior")) {
            ObjectNode behavior = spec.putObject("behavior");
            ObjectNode down = behavior.putObject("scaleDown");
            down.putArray("policies")
                .addObject()
                .put("periodSeconds", 15)
                .put("type", "Percent")
                .put("value", 100);
            down.put("selectPolicy", "Max");
            ObjectNode up = behavior.putObject("scaleUp");
            ArrayNode policies = up.putArray("policies");
            policies.addObject().put("periodSeconds", 15).put("type", "Pods").put("value", 4);
            policies.addObject().put("periodSeconds", 15).put("type", "Percent").put("value", 100);
            up.put("selectPolicy", "Max").put("stabilizationWindowSeconds", 0);
          }
        }
        case "Namespace" -> {
          ObjectNode meta = (ObjectNode) o.get("metadata");
          meta.withObjectProperty("labels")
              .put("kubernetes.io/metadata.name", meta.path("name").asText());
          o.putObject("spec").putArray("finalizers").add("kubernetes");
          o.putObject("status").put("phase", "Active");
        }
        case "ClusterPolicy" -> {
          // kyverno's CRD schema defaults
          putIfAbsent(spec, "admission", true);
          putIfAbsent(spec, "emitWarning", false);
          for (JsonNode rule : spec.path("rules")) {
            putIfAbsent((ObjectNode) rule, "skipBackgroundRequests", true);
            if (rule.path("validate") instanceof ObjectNode v) {
              putIfAbsent(v, "allowExistingViolations", true);
            }
          }
        }
        default -> {}
      }
    }

    /** {@code SetDefaults_PodSpec} and {@code SetDefaults_Container}, and omitempty zero values. */
    static void podTemplate(ObjectNode template, boolean job) {
      template.withObjectProperty("metadata").putNull("creationTimestamp");
      ObjectNode spec = (ObjectNode) template.get("spec");
      for (String zero : List.of("hostNetwork", "hostPID", "hostIPC")) {
        if (spec.has(zero) && !spec.get(zero).asBoolean()) {
          spec.remove(zero);
        }
      }
      putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
      putIfAbsent(spec, "restartPolicy", job ? "Never" : "Always");
      putIfAbsent(spec, "schedulerName", "default-scheduler");
      if (!spec.has("securityContext")) {
        spec.putObject("securityContext");
      }
      putIfAbsent(spec, "terminationGracePeriodSeconds", 30);
      if (spec.has("serviceAccountName")) {
        spec.put("serviceAccount", spec.path("serviceAccountName").asText());
      }
      for (String list : List.of("initContainers", "containers")) {
        for (JsonNode c : spec.path(list)) {
          container((ObjectNode) c);
        }
      }
      for (JsonNode v : spec.path("volumes")) {
        if (v.path("hostPath") instanceof ObjectNode h) {
          putIfAbsent(h, "type", "");
        }
        for (String source : List.of("configMap", "secret")) {
          if (v.path(source) instanceof ObjectNode s) {
            putIfAbsent(s, "defaultMode", 420);
          }
        }
      }
    }

    static void container(ObjectNode c) {
      String image = c.path("image").asText();
      boolean latest =
          image.endsWith(":latest") || !image.substring(image.lastIndexOf('/') + 1).contains(":");
      putIfAbsent(c, "imagePullPolicy", latest ? "Always" : "IfNotPresent");
      if (!c.has("resources")) {
        c.putObject("resources");
      }
      putIfAbsent(c, "terminationMessagePath", "/dev/termination-log");
      putIfAbsent(c, "terminationMessagePolicy", "File");
      for (JsonNode p : c.path("ports")) {
        putIfAbsent((ObjectNode) p, "protocol", "TCP");
      }
      for (JsonNode e : c.path("env")) {
        if (e.at("/valueFrom/fieldRef") instanceof ObjectNode ref) {
          putIfAbsent(ref, "apiVersion", "v1");
        }
      }
    }

    private static void putIfAbsent(ObjectNode node, String field, Object value) {
      if (node == null || node.has(field)) {
        return;
      }
      if (value instanceof String s) {
        node.put(field, s);
      } else if (value instanceof Integer i) {
        node.put(field, i);
      } else if (value instanceof Boolean b) {
        node.put(field, b);
      }
    }
  }

  /** Statuses the controllers write, each through the status subresource. */
  static final class ControllerStatus {
    private ControllerStatus() {}

    static void of(ObjectNode o) {
      String kind = o.path("kind").asText();
      int replicas = o.at("/spec/replicas").asInt(1);
      ObjectNode status = JSON.objectNode();
      String manager = "kube-controller-manager";
      switch (kind) {
        case "Deployment" -> {
          status.put("availableReplicas", replicas);
          ArrayNode conditions = status.putArray("conditions");
          conditions
              .addObject()
              .put("lastTransitionTime", CONTROLLERS.toString())
              .put("lastUpdateTime", CONTROLLERS.toString())
              .put("message", "Deployment has minimum availability.")
              .put("reason", "MinimumReplicasAvailable")
              .put("status", "True")
              .put("type", "Available");
          conditions
              .addObject()
              .put("lastTransitionTime", CREATED.toString())
              .put("lastUpdateTime", CONTROLLERS.toString())
              .put("message", "ReplicaSet has successfully progressed.")
              .put("reason", "NewReplicaSetAvailable")
              .put("status", "True")
              .put("type", "Progressing");
          status
              .put("observedGeneration", o.at("/metadata/generation").asInt(1))
              .put("readyReplicas", replicas)
              .put("replicas", replicas)
              .put("updatedReplicas", replicas);
        }
        case "DaemonSet" -> {
          status
              .put("currentNumberScheduled", 3)
              .put("desiredNumberScheduled", 3)
              .put("numberAvailable", 3);
          status
              .put("numberMisscheduled", 0)
              .put("numberReady", 3)
              .put("observedGeneration", 1)
              .put("updatedNumberScheduled", 3);
        }
        case "HorizontalPodAutoscaler" -> {
          ArrayNode conditions = status.putArray("conditions");
          conditions
              .addObject()
              .put("lastTransitionTime", CONTROLLERS.toString())
              .put("message", "recommended size matches current size")
              .put("reason", "ReadyForNewScale")
              .put("status", "True")
              .put("type", "AbleToScale");
          conditions
              .addObject()
              .put("lastTransitionTime", CONTROLLERS.toString())
              .put(
                  "message",
                  "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)")
              .put("reason", "ValidMetricFound")
              .put("status", "True")
              .put("type", "ScalingActive");
          ObjectNode metric = status.putArray("currentMetrics").addObject();
          metric
              .putObject("resource")
              .put("name", "cpu")
              .putObject("current")
              .put("averageUtilization", 23)
              .put("averageValue", "118m");
          metric.put("type", "Resource");
          int current = o.at("/spec/minReplicas").asInt(1);
          status.put("currentReplicas", current).put("desiredReplicas", current);
        }
        case "PodDisruptionBudget" -> {
          status
              .putArray("conditions")
              .addObject()
              .put("lastTransitionTime", CONTROLLERS.toString())
              .put("message", "")
              .put("observedGeneration", 1)
              .put("reason", "SufficientPods")
              .put("status", "True")
              .put("type", "DisruptionAllowed");
          status
              .put("currentHealthy", 2)
              .put("desiredHealthy", 1)
              .put("disruptionsAllowed", 1)
              .put("expectedPods", 2)
              .put("observedGeneration", 1);
        }
        case "ResourceQuota" -> {
          status.set("hard", o.at("/spec/hard").deepCopy());
          ObjectNode used = status.putObject("used");
          o.at("/spec/hard").fieldNames().forEachRemaining(k -> used.put(k, "0"));
        }
        case "Service" -> {
          if (!o.at("/spec/type").asText().equals("LoadBalancer")) {
            o.putObject("status").putObject("loadBalancer");
            return;
          }
          manager = "aws-cloud-controller-manager";
          String host =
              "a"
                  + hex(o.at("/metadata/uid").asText()).substring(0, 31)
                  + "-1274839216.elb.amazonaws.com";
          status.putObject("loadBalancer").putArray("ingress").addObject().put("hostname", host);
        }
        case "ClusterIssuer" -> {
          manager = "cert-manager-clusterissuers";
          status
              .putObject("acme")
              .put("lastPrivateKeyHash", "kP3o0a2c+RSnK2lGfP4bNo0Rm8yJrQ9SPb4u/6J0wSc=")
              .put("lastRegisteredEmail", o.at("/spec/acme/email").asText())
              .put("uri", "https://acme-v02.api.letsencrypt.org/acme/acct/1873462910");
          status
              .putArray("conditions")
              .addObject()
              .put("lastTransitionTime", CONTROLLERS.toString())
              .put("message", "The ACME account was registered with the ACME server")
              .put("observedGeneration", 1)
              .put("reason", "ACMEAccountRegistered")
              .put("status", "True")
              .put("type", "Ready");
        }
        case "ClusterPolicy" -> {
          manager = "kyverno";
          status
              .putArray("conditions")
              .addObject()
              .put("lastTransitionTime", CONTROLLERS.toString())
              .put("message", "Ready")
              .put("reason", "Succeeded")
              .put("status", "True")
              .put("type", "Ready");
          status
              .putObject("rulecount")
              .put("generate", 0)
              .put("mutate", 0)
              .put("validate", 1)
              .put("verifyimages", 0);
          status.put("ready", true);
        }
        default -> {
          return;
        }
      }
      o.set("status", status);
      Cluster.statusFields(o, manager, status);
    }
  }

  // ---- small helpers ----

  private static ObjectNode entry(
      String manager,
      String operation,
      String apiVersion,
      Instant time,
      ObjectNode fields,
      String subresource) {
    ObjectNode e = JSON.objectNode();
    e.put("apiVersion", apiVersion).put("fieldsType", "FieldsV1");
    e.set("fieldsV1", fields);
    e.put("manager", manager).put("operation", operation);
    if (subresource != null) {
      e.put("subresource", subresource);
    }
    e.put("time", time.toString());
    return e;
  }

  /** A pod template as a ControllerRevision stores it: the template's JSON, with $patch replace. */
  private static ObjectNode patchOf(ObjectNode template) {
    ObjectNode t = template.deepCopy();
    t.put("$patch", "replace");
    return t;
  }

  private static boolean selects(JsonNode selector, JsonNode labels) {
    for (Iterator<Map.Entry<String, JsonNode>> it = selector.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
        return false;
      }
    }
    return true;
  }

  private static String group(ObjectNode o) {
    String apiVersion = o.path("apiVersion").asText();
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  private static ObjectNode sortedKeys(ObjectNode o) {
    ObjectNode out = JSON.objectNode();
    List<String> names = new ArrayList<>();
    o.fieldNames().forEachRemaining(names::add);
    names.sort(Comparator.naturalOrder());
    for (String n : names) {
      out.set(n, sortedValue(o.get(n)));
    }
    return out;
  }

  private static JsonNode sortedValue(JsonNode v) {
    if (v instanceof ObjectNode o) {
      return sortedKeys(o);
    }
    if (v instanceof ArrayNode a) {
      ArrayNode out = JSON.arrayNode();
      a.forEach(e -> out.add(sortedValue(e)));
      return out;
    }
    return v;
  }

  private static ObjectNode parse(String json) {
    return (ObjectNode) parseAny(json);
  }

  private static JsonNode parseAny(String json) {
    try {
      return new ObjectMapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String uid(String key) {
    return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** {@code n} characters of the alphabet Kubernetes names generated objects with. */
  private static String suffix(String key, int n) {
    byte[] digest = sha256(key);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(SAFE.charAt(Math.floorMod(digest[i], SAFE.length())));
    }
    return sb.toString();
  }

  private static String hex(String key) {
    StringBuilder sb = new StringBuilder();
    for (byte b : sha256(key)) {
      sb.append(String.format("%02x", b));
    }
    return sb.toString();
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}

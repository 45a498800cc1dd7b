package dev.fleetwarden.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.kube.ObjectNotFoundException;
import dev.fleetwarden.model.Ownership;
import dev.fleetwarden.model.ResourceId;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The changes the demo makes behind Git's back, on an {@link EmbeddedFleet} that holds the applied
 * desired state of the example fleet. Each method makes one change and returns a {@link Change}
 * saying what changed, where, and the verdict fleetwarden should reach. Some changes are real
 * drift; the cosmetic ones (server defaults, rewritten quantities, reordered env, status and
 * controller managedFields) must not be reported. A target object that does not exist is an {@link
 * ObjectNotFoundException} naming it.
 */
public final class DemoDrift {
  /** The expected verdict of a change. */
  public enum Verdict {
    DRIFTED("drifted"),
    MISSING("missing"),
    ORPHAN("orphan"),
    IN_SYNC("in sync (cosmetic, not drift)");

    private final String label;

    Verdict(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** One change made behind Git's back. */
  public record Change(String name, ResourceId resource, String what, Verdict expected) {
    /** One line for the demo output and the README. */
    public String line() {
      return resource + ": " + what + " -> expected " + expected.label();
    }

    @Override
    public String toString() {
      return line();
    }
  }

  public static final String HOTFIX_TAG = "v1.11.3-hotfix";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String OWNER = Ownership.LABEL;

  private final EmbeddedFleet fleet;
  private final Clock clock;

  public DemoDrift(EmbeddedFleet fleet, Clock clock) {
    this.fleet = fleet;
    this.clock = clock;
  }

  /** Every change of the demo, in a fixed order. */
  public List<Change> applyAll() {
    List<Change> out = new ArrayList<>();
    out.addAll(hotfixIngressControllers());
    out.add(editIngressConfig());
    out.add(changeAlertmanagerCredentials());
    out.add(dropCertManagerCostCenterLabel());
    out.add(deleteTeamSearchDefaultDeny());
    out.add(leaveLegacyIngressConfig());
    out.add(addServerDefaults());
    out.add(rewriteQuantities());
    out.add(reverseEnvOrder());
    out.add(addStatusAndControllerManagedFields());
    return out;
  }

  /** The replica count the hotfix sets on every cluster it lands on. */
  public static final int HOTFIX_REPLICAS = 6;

  /**
   * The same hotfix by {@code kubectl edit} on both prod clusters (prod-eu-1, prod-us-1), as
   * on-call applies it during an incident: Deployment ingress-system/ingress-controller's container
   * {@code controller} to image tag {@value #HOTFIX_TAG} and {@value #HOTFIX_REPLICAS} replicas,
   * recorded in managedFields with manager {@code kubectl-edit}. One cause on two clusters: a
   * fleet-wide group (one message, one pull request).
   */
  public List<Change> hotfixIngressControllers() {
    return List.of(hotfixIngressController("prod-eu-1"), hotfixIngressController("prod-us-1"));
  }

  private Change hotfixIngressController(String cluster) {
    ObjectNode d =
        fleet.get(cluster, "apps/v1", "Deployment", "ingress-system", "ingress-controller");
    ResourceId id = ResourceId.of(cluster, d);
    ObjectNode container = container(id, d, "controller");
    String oldImage = container.path("image").asText();
    String newImage = retag(oldImage, HOTFIX_TAG);
    container.put("image", newImage);
    int oldReplicas = d.path("spec").path("replicas").asInt(1);
    int newReplicas = HOTFIX_REPLICAS;
    ((ObjectNode) d.get("spec")).put("replicas", newReplicas);
    ObjectNode fields = NODES.objectNode();
    ObjectNode spec = fields.putObject("f:spec");
    spec.putObject("f:replicas");
    spec.putObject("f:template")
        .putObject("f:spec")
        .putObject("f:containers")
        .putObject("k:{\"name\":\"controller\"}")
        .putObject("f:image");
    addManagedFields(d, "kubectl-edit", "apps/v1", null, fields);
    fleet.update(cluster, d);
    return new Change(
        "hotfix-ingress-controller" + (cluster.equals("prod-eu-1") ? "" : "-" + cluster),
        id,
        "container controller image "
            + oldImage
            + " -> "
            + newImage
            + ", replicas "
            + oldReplicas
            + " -> "
            + newReplicas
            + " (kubectl-edit)",
        Verdict.DRIFTED);
  }

  /** prod-eu-1: one data value of ConfigMap ingress-system/ingress-controller-config changed. */
  public Change editIngressConfig() {
    String cluster = "prod-eu-1";
    ObjectNode cm =
        fleet.get(cluster, "v1", "ConfigMap", "ingress-system", "ingress-controller-config");
    ResourceId id = ResourceId.of(cluster, cm);
    Map.Entry<String, String> entry = firstDataEntry(id, cm);
    String newValue = changedValue(entry.getValue());
    ((ObjectNode) cm.get("data")).put(entry.getKey(), newValue);
    addManagedFields(cm, "kubectl-edit", "v1", null, fieldsFor("f:data", "f:" + entry.getKey()));
    fleet.update(cluster, cm);
    return new Change(
        "edit-ingress-config",
        id,
        "data." + entry.getKey() + " " + entry.getValue() + " -> " + newValue,
        Verdict.DRIFTED);
  }

  /**
   * prod-eu-1: one data value of Secret monitoring/alertmanager-credentials changed (the value is
   * never printed).
   */
  public Change changeAlertmanagerCredentials() {
    String cluster = "prod-eu-1";
    ObjectNode secret =
        fleet.get(cluster, "v1", "Secret", "monitoring", "alertmanager-credentials");
    ResourceId id = ResourceId.of(cluster, secret);
    JsonNode data = secret.path("data");
    if (!data.isObject() || data.isEmpty()) {
      throw new ObjectNotFoundException(id, "it has no data keys to change");
    }
    String key = new TreeMap<>(toMap(data)).firstKey();
    String rotated = "changed-by-hand-" + clock.instant().getEpochSecond();
    ((ObjectNode) data)
        .put(key, Base64.getEncoder().encodeToString(rotated.getBytes(StandardCharsets.UTF_8)));
    addManagedFields(secret, "kubectl-edit", "v1", null, fieldsFor("f:data", "f:" + key));
    fleet.update(cluster, secret);
    return new Change(
        "change-alertmanager-credentials",
        id,
        "data." + key + " changed (value not shown; reported by key and hash)",
        Verdict.DRIFTED);
  }

  /** staging-1: label platform.myorg.io/cost-center removed from Deployment cert-manager. */
  public Change dropCertManagerCostCenterLabel() {
    String cluster = "staging-1";
    String label = "platform.myorg.io/cost-center";
    ObjectNode d = fleet.get(cluster, "apps/v1", "Deployment", "cert-manager", "cert-manager");
    ResourceId id = ResourceId.of(cluster, d);
    JsonNode labels = d.path("metadata").path("labels");
    if (!labels.has(label)) {
      throw new ObjectNotFoundException(
          id.inCluster(cluster), "it has no label " + label + " to remove");
    }
    String old = labels.path(label).asText();
    ((ObjectNode) labels).remove(label);
    fleet.update(cluster, d);
    return new Change(
        "drop-cert-manager-cost-center",
        id,
        "label " + label + "=" + old + " removed",
        Verdict.DRIFTED);
  }

  /** prod-us-1: NetworkPolicy team-search/default-deny deleted. */
  public Change deleteTeamSearchDefaultDeny() {
    String cluster = "prod-us-1";
    fleet.delete(cluster, "networking.k8s.io/v1", "NetworkPolicy", "team-search", "default-deny");
    return new Change(
        "delete-team-search-default-deny",
        new ResourceId(
            cluster, "networking.k8s.io", "NetworkPolicy", "team-search", "default-deny"),
        "deleted",
        Verdict.MISSING);
  }

  /**
   * dev-1: ConfigMap ingress-system/legacy-ingress-config with label {@code fleetwarden.dev/addon:
   * ingress}, as if removed from Git but never pruned.
   */
  public Change leaveLegacyIngressConfig() {
    String cluster = "dev-1";
    ObjectNode cm = NODES.objectNode();
    cm.put("apiVersion", "v1").put("kind", "ConfigMap");
    ObjectNode meta = cm.putObject("metadata");
    meta.put("name", "legacy-ingress-config").put("namespace", "ingress-system");
    meta.putObject("labels").put(OWNER, "ingress");
    ObjectNode data = cm.putObject("data");
    data.put("proxy-body-size", "8m");
    data.put("use-forwarded-headers", "true");
    ObjectNode created = fleet.create(cluster, cm);
    return new Change(
        "leave-legacy-ingress-config",
        ResourceId.of(cluster, created),
        "created with label " + OWNER + ": ingress, no longer in Git",
        Verdict.ORPHAN);
  }

  /** Server defaults added to Deployment ingress-system/ingress-controller on prod-us-1. */
  public Change addServerDefaults() {
    return addServerDefaults("prod-us-1", "ingress-system", "ingress-controller");
  }

  /**
   * Server defaults added to a Deployment, as a real API server adds them: revisionHistoryLimit,
   * progressDeadlineSeconds, strategy, and per pod and container dnsPolicy, restartPolicy,
   * schedulerName, terminationGracePeriodSeconds, imagePullPolicy, terminationMessagePath/Policy,
   * port protocol TCP. Fields desired already sets are left alone.
   */
  public Change addServerDefaults(String cluster, String namespace, String name) {
    ObjectNode d = fleet.get(cluster, "apps/v1", "Deployment", namespace, name);
    ResourceId id = ResourceId.of(cluster, d);
    ObjectNode spec = (ObjectNode) d.get("spec");
    putIfAbsent(spec, "revisionHistoryLimit", NODES.numberNode(10));
    putIfAbsent(spec, "progressDeadlineSeconds", NODES.numberNode(600));
    if (!spec.has("strategy")) {
      ObjectNode strategy = spec.putObject("strategy");
      strategy.put("type", "RollingUpdate");
      strategy.putObject("rollingUpdate").put("maxSurge", "25%").put("maxUnavailable", "25%");
    }
    ObjectNode pod = podSpec(id, d);
    putIfAbsent(pod, "dnsPolicy", NODES.textNode("ClusterFirst"));
    putIfAbsent(pod, "restartPolicy", NODES.textNode("Always"));
    putIfAbsent(pod, "schedulerName", NODES.textNode("default-scheduler"));
    putIfAbsent(pod, "terminationGracePeriodSeconds", NODES.numberNode(30));
    putIfAbsent(pod, "securityContext", NODES.objectNode());
    for (JsonNode c : pod.path("containers")) {
      ObjectNode container = (ObjectNode) c;
      String image = container.path("image").asText();
      putIfAbsent(
          container,
          "imagePullPolicy",
          NODES.textNode(image.endsWith(":latest") ? "Always" : "IfNotPresent"));
      putIfAbsent(container, "terminationMessagePath", NODES.textNode("/dev/termination-log"));
      putIfAbsent(container, "terminationMessagePolicy", NODES.textNode("File"));
      for (JsonNode p : container.path("ports")) {
        putIfAbsent((ObjectNode) p, "protocol", NODES.textNode("TCP"));
      }
    }
    fleet.update(cluster, d);
    return new Change(
        "server-defaults",
        id,
        "server defaults added (imagePullPolicy, terminationMessagePath, protocol TCP,"
            + " revisionHistoryLimit, strategy...)",
        Verdict.IN_SYNC);
  }

  /** Quantities of Deployment ingress-system/ingress-controller on prod-us-1 rewritten. */
  public Change rewriteQuantities() {
    return rewriteQuantities("prod-us-1", "ingress-system", "ingress-controller");
  }

  /**
   * Every resource quantity of every container rewritten to an equal value in another form, as API
   * servers canonicalize them ({@code 500m} to {@code 0.5}, {@code 1Gi} to {@code 1024Mi}).
   */
  public Change rewriteQuantities(String cluster, String namespace, String name) {
    ObjectNode d = fleet.get(cluster, "apps/v1", "Deployment", namespace, name);
    ResourceId id = ResourceId.of(cluster, d);
    List<String> rewritten = new ArrayList<>();
    for (JsonNode c : podSpec(id, d).path("containers")) {
      for (String section : List.of("requests", "limits")) {
        JsonNode q = c.path("resources").path(section);
        if (!q.isObject()) {
          continue;
        }
        Iterator<Map.Entry<String, JsonNode>> it = q.fields();
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        it.forEachRemaining(entries::add);
        for (Map.Entry<String, JsonNode> e : entries) {
          String before = e.getValue().asText();
          String after = equivalentQuantity(before);
          if (!after.equals(before)) {
            ((ObjectNode) q).put(e.getKey(), after);
            rewritten.add(e.getKey() + " " + before + " -> " + after);
          }
        }
      }
    }
    if (rewritten.isEmpty()) {
      throw new ObjectNotFoundException(id, "it sets no container resource quantities to rewrite");
    }
    fleet.update(cluster, d);
    return new Change(
        "rewrite-quantities",
        id,
        "quantities rewritten: " + String.join(", ", rewritten),
        Verdict.IN_SYNC);
  }

  /** Env order of Deployment ingress-system/ingress-controller on prod-us-1 reversed. */
  public Change reverseEnvOrder() {
    return reverseEnvOrder("prod-us-1", "ingress-system", "ingress-controller");
  }

  /** The env list of each container with two or more entries reversed (env is keyed by name). */
  public Change reverseEnvOrder(String cluster, String namespace, String name) {
    ObjectNode d = fleet.get(cluster, "apps/v1", "Deployment", namespace, name);
    ResourceId id = ResourceId.of(cluster, d);
    List<String> containers = new ArrayList<>();
    for (JsonNode c : podSpec(id, d).path("containers")) {
      JsonNode env = c.path("env");
      if (env.isArray() && env.size() >= 2) {
        ArrayNode reversed = NODES.arrayNode();
        for (int i = env.size() - 1; i >= 0; i--) {
          reversed.add(env.get(i));
        }
        ((ObjectNode) c).set("env", reversed);
        containers.add(c.path("name").asText());
      }
    }
    if (containers.isEmpty()) {
      throw new ObjectNotFoundException(
          id, "no container has two or more env entries to reorder; pick another Deployment");
    }
    fleet.update(cluster, d);
    return new Change(
        "reverse-env-order",
        id,
        "env order reversed in container " + String.join(", ", containers),
        Verdict.IN_SYNC);
  }

  /**
   * Status and kube-controller-manager managedFields on Deployment ingress-controller, prod-us-1.
   */
  public Change addStatusAndControllerManagedFields() {
    return addStatusAndControllerManagedFields("prod-us-1", "ingress-system", "ingress-controller");
  }

  /**
   * A status as the Deployment controller writes it, with the matching managedFields entry of
   * manager {@code kube-controller-manager} (subresource status).
   */
  public Change addStatusAndControllerManagedFields(String cluster, String namespace, String name) {
    ObjectNode d = fleet.get(cluster, "apps/v1", "Deployment", namespace, name);
    ResourceId id = ResourceId.of(cluster, d);
    int replicas = d.path("spec").path("replicas").asInt(1);
    String now = now();
    ObjectNode status = d.putObject("status");
    status.put("observedGeneration", d.path("metadata").path("generation").asLong(1));
    status.put("replicas", replicas);
    status.put("updatedReplicas", replicas);
    status.put("readyReplicas", replicas);
    status.put("availableReplicas", replicas);
    ArrayNode conditions = status.putArray("conditions");
    for (String[] c :
        new String[][] {
          {"Available", "MinimumReplicasAvailable", "Deployment has minimum availability."},
          {"Progressing", "NewReplicaSetAvailable", "ReplicaSet has successfully progressed."}
        }) {
      ObjectNode cond = conditions.addObject();
      cond.put("type", c[0]).put("status", "True").put("reason", c[1]).put("message", c[2]);
      cond.put("lastTransitionTime", now).put("lastUpdateTime", now);
    }
    ObjectNode fields = NODES.objectNode();
    ObjectNode f = fields.putObject("f:status");
    for (String field :
        List.of(
            "f:availableReplicas",
            "f:conditions",
            "f:observedGeneration",
            "f:readyReplicas",
            "f:replicas",
            "f:updatedReplicas")) {
      f.putObject(field);
    }
    ObjectNode annotations = fields.putObject("f:metadata").putObject("f:annotations");
    annotations.putObject("f:deployment.kubernetes.io/revision");
    ((ObjectNode) d.get("metadata"))
        .withObjectProperty("annotations")
        .put("deployment.kubernetes.io/revision", "1");
    addManagedFields(d, "kube-controller-manager", "apps/v1", "status", fields);
    fleet.update(cluster, d);
    return new Change(
        "status-and-controller-fields",
        id,
        "status, revision annotation and kube-controller-manager managedFields added",
        Verdict.IN_SYNC);
  }

  // --- helpers ---

  private void addManagedFields(
      ObjectNode object, String manager, String apiVersion, String subresource, ObjectNode fields) {
    ObjectNode meta = (ObjectNode) object.get("metadata");
    ArrayNode list =
        meta.path("managedFields").isArray()
            ? (ArrayNode) meta.get("managedFields")
            : meta.putArray("managedFields");
    ObjectNode entry = list.addObject();
    entry.put("manager", manager);
    entry.put("operation", "Update");
    entry.put("apiVersion", apiVersion);
    entry.put("time", now());
    entry.put("fieldsType", "FieldsV1");
    entry.set("fieldsV1", fields);
    if (subresource != null) {
      entry.put("subresource", subresource);
    }
  }

  private String now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static ObjectNode fieldsFor(String parent, String child) {
    ObjectNode fields = NODES.objectNode();
    fields.putObject(parent).putObject(child);
    return fields;
  }

  private static ObjectNode podSpec(ResourceId id, ObjectNode d) {
    JsonNode pod = d.path("spec").path("template").path("spec");
    if (!pod.isObject()) {
      throw new ObjectNotFoundException(id, "it has no pod template");
    }
    return (ObjectNode) pod;
  }

  private static ObjectNode container(ResourceId id, ObjectNode d, String name) {
    for (JsonNode c : podSpec(id, d).path("containers")) {
      if (name.equals(c.path("name").asText())) {
        return (ObjectNode) c;
      }
    }
    throw new ObjectNotFoundException(id, "it has no container named " + name);
  }

  private static Map.Entry<String, String> firstDataEntry(ResourceId id, ObjectNode cm) {
    JsonNode data = cm.path("data");
    if (!data.isObject() || data.isEmpty()) {
      throw new ObjectNotFoundException(id, "it has no data keys to change");
    }
    TreeMap<String, String> sorted = new TreeMap<>(toMap(data));
    return sorted.firstEntry();
  }

  private static Map<String, String> toMap(JsonNode data) {
    Map<String, String> out = new TreeMap<>();
    data.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  /** A plausible hand edit: numbers doubled, booleans flipped, anything else suffixed. */
  static String changedValue(String value) {
    if (value.equals("true") || value.equals("false")) {
      return value.equals("true") ? "false" : "true";
    }
    Matcher m = Pattern.compile("^(\\d+)([a-zA-Z%]*)$").matcher(value);
    if (m.matches()) {
      return new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(2)).toPlainString()
          + m.group(2);
    }
    return value + "-edited";
  }

  /** Replaces the tag of an image reference (keeping registry and repository). */
  static String retag(String image, String tag) {
    String noDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int slash = noDigest.lastIndexOf('/');
    int colon = noDigest.lastIndexOf(':');
    String repo = colon > slash ? noDigest.substring(0, colon) : noDigest;
    return repo + ":" + tag;
  }

  /**
   * The same quantity written another way: millicores to cores and back, binary units one step down
   * ({@code 1Gi} to {@code 1024Mi}), plain numbers to millis. Unknown forms stay as they are.
   */
  static String equivalentQuantity(String q) {
    Matcher m = Pattern.compile("^(\\d+(?:\\.\\d+)?)(m|Ki|Mi|Gi|Ti|k|M|G)?$").matcher(q.trim());
    if (!m.matches()) {
      return q;
    }
    BigDecimal n = new BigDecimal(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2);
    return switch (unit) {
      case "m" -> n.movePointLeft(3).stripTrailingZeros().toPlainString();
      case "" -> n.movePointRight(3).stripTrailingZeros().toPlainString() + "m";
      case "Ti" -> n.multiply(BigDecimal.valueOf(1024)).stripTrailingZeros().toPlainString() + "Gi";
      case "Gi" -> n.multiply(BigDecimal.valueOf(1024)).stripTrailingZeros().toPlainString() + "Mi";
      case "Mi" -> n.multiply(BigDecimal.valueOf(1024)).stripTrailingZeros().toPlainString() + "Ki";
      case "G" -> n.multiply(BigDecimal.valueOf(1000)).stripTrailingZeros().toPlainString() + "M";
      case "M" -> n.multiply(BigDecimal.valueOf(1000)).stripTrailingZeros().toPlainString() + "k";
      default -> q;
    };
  }

  private static void putIfAbsent(ObjectNode node, String field, JsonNode value) {
    if (!node.has(field)) {
      node.set(field, value);
    }
  }
}

package dev.fleetwarden.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.fleetwarden.drift.DiffInput;
import dev.fleetwarden.drift.Differ;
import dev.fleetwarden.drift.SecretHasher;
import dev.fleetwarden.fleet.FleetValidationException;
import dev.fleetwarden.fleet.LocatedYaml;
import dev.fleetwarden.model.CompactNodes;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.IgnoreRule;
import dev.fleetwarden.model.ObjectDrift;
import dev.fleetwarden.model.Ownership;
import dev.fleetwarden.model.Provenance;
import dev.fleetwarden.model.ResourceId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Diff throughput on one thread: generates realistic desired/live pairs (Deployments with
 * containers, env, ports and resources; ConfigMaps; Services), the live side shaped like API server
 * output (defaults, managedFields, status, quantities in canonical form, reordered keyed lists),
 * about 5% of them drifted, then diffs them after a warm-up and prints objects per second.
 *
 * <p>{@code mvn -B -q test-compile exec:exec -Dbench=DiffBenchmark -Dbench.args="[objects]"}
 */
public final class DiffBenchmark {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String CLUSTER = "bench";

  /** Reads live objects as the cluster clients do: compact trees, one string per field name. */
  private static final ObjectMapper JSON = new ObjectMapper().setNodeFactory(CompactNodes.DEFAULT);

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The measured figure: objects diffed per second on one thread, and drifts found per run. */
  public record Result(
      int objects, double objectsPerSecond, int drifts, int planted, double bestRunMillis) {}

  /** The generated input and how many objects were given a real change. */
  record Generated(DiffInput input, int planted) {}

  /** Timed runs per applier, after five warm-up runs; the figure is the best of them. */
  static final int TIMED_RUNS = 10;

  private DiffBenchmark() {}

  /**
   * Who applied the live objects. A GitOps tool (server-side apply, its own field manager) is what
   * a fleet fleetwarden watches usually has; {@code kubectl apply} (client-side, a human-operated
   * manager credited with every field, defaults included) is the worst case for finding fields
   * people added, since every object's whole field set must be walked.
   */
  public enum Applier {
    GITOPS("argocd-controller", "Apply"),
    KUBECTL("kubectl-client-side-apply", "Update");

    final String manager;
    final String operation;

    Applier(String manager, String operation) {
      this.manager = manager;
      this.operation = operation;
    }
  }

  public static void main(String[] args) {
    int objects = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    for (Applier applier : Applier.values()) {
      Result r = run(objects, applier);
      System.out.printf(
          "diff: %d objects applied by %s, %d drifts found (%d planted), best of %d runs %.1f ms, %,.0f"
              + " objects/s on one thread%n",
          r.objects(),
          applier.manager,
          r.drifts(),
          r.planted(),
          TIMED_RUNS,
          r.bestRunMillis(),
          r.objectsPerSecond());
    }
  }

  public static Result run(int objects) {
    return run(objects, Applier.GITOPS);
  }

  public static Result run(int objects, Applier applier) {
    Generated generated = generate(objects, new Random(42), applier);
    DiffInput input = generated.input();
    Differ differ = new Differ(SecretHasher.ephemeral());
    int drifts = 0;
    for (int i = 0; i < 5; i++) {
      drifts = differ.diff(input).size();
    }
    // the generated input is large: start the timed runs from a collected heap, and time enough
    // runs that one of them misses the pauses of other work on the machine
    System.gc();
    long best = Long.MAX_VALUE;
    for (int i = 0; i < TIMED_RUNS; i++) {
      long start = System.nanoTime();
      List<ObjectDrift> result = differ.diff(input);
      long took = System.nanoTime() - start;
      best = Math.min(best, took);
      drifts = result.size();
    }
    return new Result(objects, objects / (best / 1e9), drifts, generated.planted(), best / 1e6);
  }

  static Generated generate(int objects, Random random, Applier applier) {
    int planted = 0;
    List<DesiredObject> desired = new ArrayList<>(objects);
    List<JsonNode> live = new ArrayList<>(objects);
    for (int i = 0; i < objects; i++) {
      String ns = "team-" + (i % 40);
      boolean drifted = random.nextInt(100) < 5;
      planted += drifted ? 1 : 0;
      ObjectNode want;
      ObjectNode have;
      switch (i % 3) {
        case 0 -> {
          want = deployment("app-" + i, ns, random);
          have = liveDeployment(want, drifted, random, applier);
        }
        case 1 -> {
          want = configMap("cfg-" + i, ns, random);
          have = liveObject(want, applier);
          if (drifted) {
            ((ObjectNode) have.get("data")).put("log.level", "trace");
          }
        }
        default -> {
          want = service("svc-" + i, ns);
          have = liveService(want, drifted, applier);
        }
      }
      // each side as fleetwarden reads it: desired parsed from rendered YAML by the renderers'
      // reader (LocatedYaml), live from the API server's JSON (whose parser shares one string per
      // field name, as Fabric8's does)
      want = rendered(want);
      have = reread(JSON, have);
      desired.add(
          new DesiredObject(
              ResourceId.of(CLUSTER, want),
              want,
              new Provenance("addon-" + (i % 7), "addons/addon-" + (i % 7) + "/templates/x.yaml")));
      live.add(have);
    }
    List<IgnoreRule> clusterRules =
        List.of(
            new IgnoreRule(
                "apps", "Deployment", null, null, List.of("/spec/replicas"), List.of("hpa")));
    return new Generated(
        new DiffInput(CLUSTER, desired, live, Set.of(), clusterRules, Map.of()), planted);
  }

  private static ObjectNode meta(
      ObjectNode object, String apiVersion, String kind, String name, String ns) {
    object.put("apiVersion", apiVersion).put("kind", kind);
    ObjectNode meta = object.putObject("metadata").put("name", name).put("namespace", ns);
    meta.putObject("labels")
        .put("app.kubernetes.io/name", name)
        .put("app.kubernetes.io/part-of", ns)
        .put(Ownership.LABEL, "addon");
    return object;
  }

  private static ObjectNode deployment(String name, String ns, Random random) {
    ObjectNode d = meta(F.objectNode(), "apps/v1", "Deployment", name, ns);
    ObjectNode spec = d.putObject("spec").put("replicas", 1 + random.nextInt(4));
    spec.putObject("selector").putObject("matchLabels").put("app.kubernetes.io/name", name);
    ObjectNode template = spec.putObject("template");
    template.putObject("metadata").putObject("labels").put("app.kubernetes.io/name", name);
    ObjectNode pod = template.putObject("spec");
    ArrayNode containers = pod.putArray("containers");
    for (int c = 0; c < 2; c++) {
      ObjectNode container = containers.addObject().put("name", c == 0 ? "app" : "proxy");
      container.put("image", "registry.example.com/" + name + "/" + c + ":1." + random.nextInt(20));
      container.putArray("args").add("--port=" + (8080 + c)).add("--verbose");
      ArrayNode ports = container.putArray("ports");
      ports.addObject().put("name", "http").put("containerPort", 8080 + c);
      ports.addObject().put("name", "metrics").put("containerPort", 9090 + c);
      ArrayNode env = container.putArray("env");
      for (int e = 0; e < 5; e++) {
        env.addObject().put("name", "VAR_" + e).put("value", "value-" + e);
      }
      ObjectNode resources = container.putObject("resources");
      resources.putObject("requests").put("cpu", "0.25").put("memory", "256Mi");
      resources.putObject("limits").put("cpu", 1).put("memory", "1024Mi");
      container
          .putArray("volumeMounts")
          .addObject()
          .put("name", "config")
          .put("mountPath", "/etc/" + c);
    }
    pod.putArray("volumes")
        .addObject()
        .put("name", "config")
        .putObject("configMap")
        .put("name", name);
    return d;
  }

  private static ObjectNode rendered(ObjectNode node) {
    try {
      return (ObjectNode) LocatedYaml.parse("rendered.yaml", YAML.writeValueAsString(node)).root();
    } catch (IOException | FleetValidationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode reread(ObjectMapper mapper, ObjectNode node) {
    try {
      return (ObjectNode) mapper.readTree(mapper.writeValueAsBytes(node));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode liveObject(ObjectNode desired, Applier applier) {
    ObjectNode live = desired.deepCopy();
    ObjectNode meta = (ObjectNode) live.get("metadata");
    meta.put("uid", "6f1d2c1e-8f5a-4a57-9a8e-2b0b4c3c7d11")
        .put("resourceVersion", "48213377")
        .put("generation", 3)
        .put("creationTimestamp", "2025-01-14T09:12:44Z");
    if (applier == Applier.KUBECTL) {
      meta.putObject("annotations")
          .put("kubectl.kubernetes.io/last-applied-configuration", desired.toString());
    }
    ArrayNode managed = meta.putArray("managedFields");
    managed
        .addObject()
        .put("apiVersion", desired.path("apiVersion").asText())
        .put("fieldsType", "FieldsV1")
        .put("manager", applier.manager)
        .put("operation", applier.operation)
        .put("time", "2025-01-14T09:12:44Z")
        .set("fieldsV1", fieldsOf(desired));
    return live;
  }

  private static ObjectNode fieldsOf(JsonNode node) {
    ObjectNode fields = F.objectNode();
    node.fields()
        .forEachRemaining(
            e -> {
              JsonNode v = e.getValue();
              if (v.isObject()) {
                fields.set("f:" + e.getKey(), fieldsOf(v));
              } else if (v.isArray() && v.size() > 0 && v.get(0).has("name")) {
                ObjectNode list = fields.putObject("f:" + e.getKey());
                list.putObject(".");
                for (JsonNode element : v) {
                  list.set(
                      "k:{\"name\":\"" + element.get("name").asText() + "\"}", fieldsOf(element));
                }
              } else {
                fields.putObject("f:" + e.getKey());
              }
            });
    return fields;
  }

  private static ObjectNode liveDeployment(
      ObjectNode desired, boolean drifted, Random random, Applier applier) {
    ObjectNode live = liveObject(desired, applier);
    ObjectNode spec = (ObjectNode) live.get("spec");
    spec.put("progressDeadlineSeconds", 600).put("revisionHistoryLimit", 10);
    ObjectNode strategy = spec.putObject("strategy").put("type", "RollingUpdate");
    strategy.putObject("rollingUpdate").put("maxSurge", "25%").put("maxUnavailable", "25%");
    ObjectNode pod = (ObjectNode) spec.at("/template/spec");
    pod.put("dnsPolicy", "ClusterFirst")
        .put("restartPolicy", "Always")
        .put("schedulerName", "default-scheduler")
        .put("terminationGracePeriodSeconds", 30)
        .putObject("securityContext");
    for (JsonNode c : pod.get("containers")) {
      ObjectNode container = (ObjectNode) c;
      container
          .put("imagePullPolicy", "IfNotPresent")
          .put("terminationMessagePath", "/dev/termination-log")
          .put("terminationMessagePolicy", "File");
      ObjectNode resources = (ObjectNode) container.get("resources");
      ((ObjectNode) resources.get("requests")).put("cpu", "250m");
      ((ObjectNode) resources.get("limits")).put("cpu", "1").put("memory", "1Gi");
      for (JsonNode port : container.get("ports")) {
        ((ObjectNode) port).put("protocol", "TCP");
      }
      reverse((ArrayNode) container.get("env"));
    }
    reverse((ArrayNode) pod.get("containers"));
    ((ObjectNode) pod.at("/volumes/0/configMap")).put("defaultMode", 420);
    if (drifted) {
      ObjectNode app = (ObjectNode) pod.get("containers").get(1);
      app.put("image", "registry.example.com/hotfix:" + random.nextInt(100));
      ((ArrayNode) live.at("/metadata/managedFields"))
          .addObject()
          .put("manager", "kubectl-edit")
          .put("operation", "Update")
          .put("time", "2025-03-05T16:21:09Z")
          .putObject("fieldsV1")
          .putObject("f:spec")
          .putObject("f:template")
          .putObject("f:spec")
          .putObject("f:containers")
          .putObject("k:{\"name\":\"app\"}")
          .putObject("f:image");
    }
    ObjectNode status = live.putObject("status").put("observedGeneration", 3).put("replicas", 2);
    status.put("readyReplicas", 2).put("availableReplicas", 2).put("updatedReplicas", 2);
    status
        .putArray("conditions")
        .addObject()
        .put("type", "Available")
        .put("status", "True")
        .put("reason", "MinimumReplicasAvailable");
    return live;
  }

  private static void reverse(ArrayNode list) {
    List<JsonNode> copy = new ArrayList<>();
    list.forEach(copy::add);
    list.removeAll();
    for (int i = copy.size() - 1; i >= 0; i--) {
      list.add(copy.get(i));
    }
  }

  private static ObjectNode configMap(String name, String ns, Random random) {
    ObjectNode cm = meta(F.objectNode(), "v1", "ConfigMap", name, ns);
    ObjectNode data = cm.putObject("data");
    data.put("log.level", "info").put("cache.ttl", "300").put("feature.flags", "a,b,c");
    data.put(
        "settings.yaml", "server:\n  port: 8080\n  workers: " + (1 + random.nextInt(8)) + "\n");
    return cm;
  }

  private static ObjectNode service(String name, String ns) {
    ObjectNode svc = meta(F.objectNode(), "v1", "Service", name, ns);
    ObjectNode spec = svc.putObject("spec");
    spec.putObject("selector").put("app.kubernetes.io/name", name);
    ArrayNode ports = spec.putArray("ports");
    ports.addObject().put("name", "http").put("port", 80).put("targetPort", "8080");
    ports.addObject().put("name", "metrics").put("port", 9090).put("targetPort", 9090);
    return svc;
  }

  private static ObjectNode liveService(ObjectNode desired, boolean drifted, Applier applier) {
    ObjectNode live = liveObject(desired, applier);
    ObjectNode spec = (ObjectNode) live.get("spec");
    spec.put("clusterIP", "10.96.12.7").put("type", "ClusterIP").put("sessionAffinity", "None");
    spec.putArray("clusterIPs").add("10.96.12.7");
    spec.put("internalTrafficPolicy", "Cluster").put("ipFamilyPolicy", "SingleStack");
    ArrayNode ports = (ArrayNode) spec.get("ports");
    for (JsonNode port : ports) {
      ((ObjectNode) port).put("protocol", "TCP");
    }
    ((ObjectNode) ports.get(0)).put("targetPort", drifted ? 8081 : 8080);
    reverse(ports);
    live.putObject("status").putObject("loadBalancer");
    return live;
  }
}

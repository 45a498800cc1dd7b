package dev.fleetwarden.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a real cluster writes into objects that Git leaves empty, done the cheap way on an embedded
 * cluster so the demo shows it: the Service IP and node-port allocators (clusterIP, clusterIPs,
 * nodePorts, kept across updates that leave them out), cert-manager's CA injector (each webhook's
 * {@code clientConfig.caBundle} of a webhook configuration annotated {@code
 * cert-manager.io/inject-ca-from-secret} or {@code inject-ca-from}, recorded under manager {@value
 * #CA_INJECTOR}), and the ClusterRole aggregation controller (the rules of a ClusterRole with an
 * {@code aggregationRule}, recorded under manager {@value #AGGREGATOR}). Pure.
 */
final class ControllerFills {
  static final String CA_INJECTOR = "cainjector";
  static final String AGGREGATOR = "clusterrole-aggregation-controller";

  /** What the injector writes: a stand-in certificate, base64 as in a real caBundle. */
  static final String CA_BUNDLE =
      Base64.getEncoder()
          .encodeToString(
              ("-----BEGIN CERTIFICATE-----\n"
                      + "MIIBdzCCAR2gAwIBAgIQZW1iZWRkZWQtY2x1c3Rlci1jYTAKBggqhkjOPQQDAjAa\n"
                      + "MRgwFgYDVQQDEw9jZXJ0LW1hbmFnZXItY2EwHhcNMjYwMTAxMDAwMDAwWhcNMzYw\n"
                      + "-----END CERTIFICATE-----\n")
                  .getBytes(StandardCharsets.US_ASCII));

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Set<String> INJECT_ANNOTATIONS =
      Set.of("cert-manager.io/inject-ca-from-secret", "cert-manager.io/inject-ca-from");
  private static final int NODE_PORT_BASE = 30000;
  private static final int NODE_PORT_RANGE = 2768;

  private ControllerFills() {}

  /** Whether writes of this resource get something filled in before they are stored. */
  static boolean fillsOnWrite(String group, String plural) {
    return (group.isEmpty() && plural.equals("services"))
        || (group.equals("admissionregistration.k8s.io")
            && (plural.equals("validatingwebhookconfigurations")
                || plural.equals("mutatingwebhookconfigurations")));
  }

  /** Whether a write of this resource changes what aggregated ClusterRoles hold. */
  static boolean aggregates(String group, String plural) {
    return group.equals("rbac.authorization.k8s.io") && plural.equals("clusterroles");
  }

  /**
   * The object as it is stored after a create ({@code before} null) or an update: a Service with
   * its allocated addresses and ports, a webhook configuration with its CA injected.
   */
  static ObjectNode onWrite(String plural, JsonNode before, ObjectNode object, Instant now) {
    return switch (plural) {
      case "services" -> allocate(before, object);
      case "validatingwebhookconfigurations", "mutatingwebhookconfigurations" ->
          injectCa(object, now);
      default -> object;
    };
  }

  /**
   * A Service with a cluster IP (unless headless or ExternalName) and, for NodePort and
   * LoadBalancer, a node port per port; an update that leaves them out keeps the allocated ones (as
   * the API server does), anything else is allocated from the object's name.
   */
  static ObjectNode allocate(JsonNode before, ObjectNode service) {
    ObjectNode out = service.deepCopy();
    ObjectNode spec = out.withObjectProperty("spec");
    String type = spec.path("type").asText("ClusterIP");
    if (type.equals("ExternalName")) {
      return out;
    }
    JsonNode old = before == null ? JSON.objectNode() : before.path("spec");
    String id = out.at("/metadata/namespace").asText() + "/" + out.at("/metadata/name").asText();
    if (!spec.hasNonNull("clusterIP") || spec.path("clusterIP").asText().isEmpty()) {
      String ip =
          old.hasNonNull("clusterIP") && !old.path("clusterIP").asText().isEmpty()
              ? old.path("clusterIP").asText()
              : clusterIp(id);
      spec.put("clusterIP", ip);
    }
    if (!spec.path("clusterIPs").isArray() || spec.path("clusterIPs").isEmpty()) {
      spec.putArray("clusterIPs").add(spec.path("clusterIP").asText());
    }
    if (type.equals("NodePort") || type.equals("LoadBalancer")) {
      for (JsonNode p : spec.path("ports")) {
        if (p instanceof ObjectNode port && !port.hasNonNull("nodePort")) {
          JsonNode kept = samePort(old.path("ports"), port);
          port.put(
              "nodePort",
              kept != null && kept.hasNonNull("nodePort")
                  ? kept.path("nodePort").asInt()
                  : NODE_PORT_BASE
                      + Math.floorMod(
                          (id + "/" + port.path("port").asText()).hashCode(), NODE_PORT_RANGE));
        }
      }
    }
    return out;
  }

  private static String clusterIp(String id) {
    // 10.96.0.0/12, the default service range; a hash of the name keeps it stable across restarts
    int h = Math.floorMod(id.hashCode(), (1 << 20) - 2) + 1;
    return "10." + (96 + (h >> 16)) + "." + ((h >> 8) & 0xff) + "." + (h & 0xff);
  }

  private static JsonNode samePort(JsonNode ports, JsonNode port) {
    for (JsonNode p : ports) {
      if (p.path("port").asInt() == port.path("port").asInt()
          && p.path("protocol").asText("TCP").equals(port.path("protocol").asText("TCP"))) {
        return p;
      }
    }
    return null;
  }

  /** Each webhook's caBundle set when the configuration asks cert-manager to inject it. */
  static ObjectNode injectCa(ObjectNode configuration, Instant now) {
    JsonNode annotations = configuration.at("/metadata/annotations");
    if (INJECT_ANNOTATIONS.stream().noneMatch(annotations::hasNonNull)) {
      return configuration;
    }
    ObjectNode out = configuration.deepCopy();
    for (JsonNode w : out.path("webhooks")) {
      if (w instanceof ObjectNode webhook) {
        webhook.withObjectProperty("clientConfig").put("caBundle", CA_BUNDLE);
      }
    }
    return FieldSets.record(configuration, out, CA_INJECTOR, now);
  }

  /**
   * The aggregated ClusterRoles among {@code clusterRoles} whose rules are not yet the rules of the
   * ClusterRoles their selectors match (in name order, without repeats), updated.
   */
  static List<ObjectNode> aggregate(List<ObjectNode> clusterRoles, Instant now) {
    List<ObjectNode> sorted = new ArrayList<>(clusterRoles);
    sorted.sort(Comparator.comparing(r -> r.at("/metadata/name").asText()));
    List<ObjectNode> changed = new ArrayList<>();
    for (ObjectNode role : sorted) {
      JsonNode selectors = role.at("/aggregationRule/clusterRoleSelectors");
      if (!selectors.isArray()) {
        continue;
      }
      ArrayNode rules = JSON.arrayNode();
      for (ObjectNode other : sorted) {
        if (other != role && matchesAny(selectors, other.at("/metadata/labels"))) {
          for (JsonNode rule : other.path("rules")) {
            if (!contains(rules, rule)) {
              rules.add(rule.deepCopy());
            }
          }
        }
      }
      if (!rules.equals(role.path("rules"))) {
        ObjectNode updated = role.deepCopy();
        updated.set("rules", rules);
        changed.add(FieldSets.record(role, updated, AGGREGATOR, now));
      }
    }
    return changed;
  }

  private static boolean matchesAny(JsonNode selectors, JsonNode labels) {
    for (JsonNode selector : selectors) {
      if (matches(selector, labels)) {
        return true;
      }
    }
    return false;
  }

  /** A label selector's matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist). */
  static boolean matches(JsonNode selector, JsonNode labels) {
    if (selector.isEmpty()) {
      return false; // an empty selector in an aggregationRule selects nothing
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = selector.path("matchLabels").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
        return false;
      }
    }
    for (JsonNode expression : selector.path("matchExpressions")) {
      String key = expression.path("key").asText();
      boolean has = labels.hasNonNull(key);
      boolean in = false;
      for (JsonNode v : expression.path("values")) {
        in |= has && v.asText().equals(labels.path(key).asText());
      }
      boolean ok =
          switch (expression.path("operator").asText()) {
            case "In" -> in;
            case "NotIn" -> !in;
            case "Exists" -> has;
            case "DoesNotExist" -> !has;
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean contains(ArrayNode list, JsonNode value) {
    for (JsonNode v : list) {
      if (v.equals(value)) {
        return true;
      }
    }
    return false;
  }
}

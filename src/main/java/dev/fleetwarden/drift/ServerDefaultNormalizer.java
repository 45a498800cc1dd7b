package dev.fleetwarden.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fleetwarden.model.ApiTypes;
import dev.fleetwarden.model.JsonPointers;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A desired field set explicitly to the value the API server would default it to is not drift when
 * the live object leaves it out ({@code protocol: TCP}, {@code restartPolicy: Always}, {@code
 * revisionHistoryLimit: 10}...). Live objects from a real API server carry the defaults anyway;
 * this matters for live state that did not pass through defaulting (dumps, mocks, older servers).
 */
final class ServerDefaultNormalizer implements Normalizer {

  /**
   * A default: for a built-in kind or any kind (null), a path pattern ({@code *} one segment, a
   * leading {@code **} any prefix). A kind's defaults are its API server's defaulting: a custom
   * resource of the same kind in another group (Knative's {@code Service.serving.knative.dev}),
   * which the vendored API does not list as built in, gets none of them.
   */
  private record Default(String kind, String[] pattern, Function<JsonNode, JsonNode> value) {
    boolean matches(FieldPath path) {
      if (kind != null
          && (!kind.equals(path.kind())
              || (path.group() != null && !ApiTypes.builtIn().isBuiltIn(path.group(), kind)))) {
        return false;
      }
      boolean anyPrefix = pattern.length > 0 && pattern[0].equals("**");
      int fixed = anyPrefix ? pattern.length - 1 : pattern.length;
      if (anyPrefix ? path.size() < fixed : path.size() != fixed) {
        return false;
      }
      for (int i = 0; i < fixed; i++) {
        String want = pattern[pattern.length - 1 - i];
        if (!want.equals("*") && !want.equals(path.fromEnd(i))) {
          return false;
        }
      }
      return true;
    }
  }

  private static final List<Default> DEFAULTS = new ArrayList<>();

  static {
    String[] workloads = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"};
    for (String podSpec : new String[] {"**/template/spec", "/spec"}) {
      String kind = podSpec.equals("/spec") ? "Pod" : null;
      add(kind, podSpec + "/restartPolicy", "Always");
      add(kind, podSpec + "/dnsPolicy", "ClusterFirst");
      add(kind, podSpec + "/schedulerName", "default-scheduler");
      add(kind, podSpec + "/terminationGracePeriodSeconds", 30);
      add(kind, podSpec + "/serviceAccountName", "default");
      add(kind, podSpec + "/serviceAccount", "default");
      add(kind, podSpec + "/enableServiceLinks", true);
      add(kind, podSpec + "/hostNetwork", false);
      add(kind, podSpec + "/hostPID", false);
      add(kind, podSpec + "/hostIPC", false);
      add(kind, podSpec + "/priority", 0);
      add(kind, podSpec + "/preemptionPolicy", "PreemptLowerPriority");
    }
    for (String containers : new String[] {"containers", "initContainers", "ephemeralContainers"}) {
      String c = "**/" + containers + "/*/";
      add(null, c + "terminationMessagePath", "/dev/termination-log");
      add(null, c + "terminationMessagePolicy", "File");
      add(null, c + "imagePullPolicy", ServerDefaultNormalizer::imagePullPolicy);
      add(null, c + "ports/*/protocol", "TCP");
      for (String probe : new String[] {"livenessProbe", "readinessProbe", "startupProbe"}) {
        add(null, c + probe + "/timeoutSeconds", 1);
        add(null, c + probe + "/periodSeconds", 10);
        add(null, c + probe + "/successThreshold", 1);
        add(null, c + probe + "/failureThreshold", 3);
        add(null, c + probe + "/httpGet/scheme", "HTTP");
      }
    }
    for (String source : new String[] {"configMap", "secret", "projected"}) {
      add(null, "**/volumes/*/" + source + "/defaultMode", 420);
    }
    for (String kind : workloads) {
      add(kind, "/spec/replicas", 1);
      add(kind, "/spec/revisionHistoryLimit", 10);
    }
    add("Deployment", "/spec/progressDeadlineSeconds", 600);
    add("Deployment", "/spec/strategy/type", "RollingUpdate");
    add("Deployment", "/spec/strategy/rollingUpdate/maxSurge", "25%");
    add("Deployment", "/spec/strategy/rollingUpdate/maxUnavailable", "25%");
    add("StatefulSet", "/spec/podManagementPolicy", "OrderedReady");
    add("StatefulSet", "/spec/updateStrategy/type", "RollingUpdate");
    add("StatefulSet", "/spec/updateStrategy/rollingUpdate/partition", 0);
    add("DaemonSet", "/spec/updateStrategy/type", "RollingUpdate");
    add("DaemonSet", "/spec/updateStrategy/rollingUpdate/maxUnavailable", 1);
    add("DaemonSet", "/spec/updateStrategy/rollingUpdate/maxSurge", 0);
    add("Service", "/spec/type", "ClusterIP");
    add("Service", "/spec/sessionAffinity", "None");
    add("Service", "/spec/internalTrafficPolicy", "Cluster");
    add("Service", "/spec/ipFamilyPolicy", "SingleStack");
    add("Service", "/spec/ports/*/protocol", "TCP");
    add("Service", "/spec/ports/*/targetPort", port -> port == null ? null : port.get("port"));
    add("Job", "/spec/backoffLimit", 6);
    add("Job", "/spec/completions", 1);
    add("Job", "/spec/parallelism", 1);
    add("Job", "/spec/completionMode", "NonIndexed");
    add("Job", "/spec/suspend", false);
    add("CronJob", "/spec/concurrencyPolicy", "Allow");
    add("CronJob", "/spec/suspend", false);
    add("CronJob", "/spec/successfulJobsHistoryLimit", 3);
    add("CronJob", "/spec/failedJobsHistoryLimit", 1);
    add("Secret", "/type", "Opaque");
    add("PersistentVolumeClaim", "/spec/volumeMode", "Filesystem");
    add("NetworkPolicy", "/spec/ingress/*/ports/*/protocol", "TCP");
    add("NetworkPolicy", "/spec/egress/*/ports/*/protocol", "TCP");
  }

  private static void add(String kind, String pattern, Object value) {
    JsonNode node =
        value instanceof Integer i
            ? IntNode.valueOf(i)
            : value instanceof Boolean b
                ? BooleanNode.valueOf(b)
                : TextNode.valueOf((String) value);
    add(kind, pattern, parent -> node);
  }

  private static void add(String kind, String pattern, Function<JsonNode, JsonNode> value) {
    String[] segments =
        pattern.startsWith("**")
            ? prepend("**", JsonPointers.split(pattern.substring(2)))
            : JsonPointers.split(pattern).toArray(String[]::new);
    DEFAULTS.add(new Default(kind, segments, value));
  }

  private static String[] prepend(String first, List<String> rest) {
    String[] out = new String[rest.size() + 1];
    out[0] = first;
    for (int i = 0; i < rest.size(); i++) {
      out[i + 1] = rest.get(i);
    }
    return out;
  }

  /** {@code Always} for {@code :latest} or untagged images, else {@code IfNotPresent}. */
  private static JsonNode imagePullPolicy(JsonNode container) {
    String image = container == null ? "" : container.path("image").asText("");
    String afterSlash = image.substring(image.lastIndexOf('/') + 1);
    boolean digest = image.contains("@");
    boolean latest = !digest && (!afterSlash.contains(":") || afterSlash.endsWith(":latest"));
    return TextNode.valueOf(latest ? "Always" : "IfNotPresent");
  }

  @Override
  public boolean same(FieldPath path, JsonNode desired, JsonNode live, JsonNode desiredParent) {
    if (live != null && !live.isNull()) {
      return false;
    }
    for (Default d : DEFAULTS) {
      if (d.matches(path)) {
        JsonNode value = d.value().apply(desiredParent);
        if (value != null && ScalarTypeNormalizer.equivalent(desired, value)) {
          return true;
        }
      }
    }
    return false;
  }
}

package dev.fleetwarden.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each normalizer on its own: what it declares the same, and what it leaves as drift. */
class NormalizersTest {
  private static final String CPU = "/spec/template/spec/containers/0/resources/requests/cpu";

  private static JsonNode text(String s) {
    return TextNode.valueOf(s);
  }

  @Nested
  class Quantities {
    private final QuantityNormalizer normalizer = new QuantityNormalizer();

    @ParameterizedTest
    @CsvSource({
      "1000m, 1",
      "0.5, 500m",
      "1Gi, 1024Mi",
      "1e3, 1k",
      "1E3, 1000",
      "2Ki, 2048",
      "100M, 100000k",
      "1.5Gi, 1536Mi",
      "0.1, 100m",
      "250000u, 250m"
    })
    void sameValueInOtherUnits(String desired, String live) {
      assertThat(normalizer.same(FieldPath.of("Deployment", CPU), text(desired), text(live), null))
          .isTrue();
    }

    @ParameterizedTest
    @CsvSource({"1, 2", "512Mi, 1Gi", "1G, 1Gi", "100m, 1", "abc, 1"})
    void differentValuesStayDrift(String desired, String live) {
      assertThat(normalizer.same(FieldPath.of("Deployment", CPU), text(desired), text(live), null))
          .isFalse();
    }

    @Test
    void numbersAgainstStrings() {
      FieldPath cpu = FieldPath.of("Deployment", CPU);
      assertThat(normalizer.same(cpu, IntNode.valueOf(1), text("1"), null)).isTrue();
      assertThat(normalizer.same(cpu, DoubleNode.valueOf(0.5), text("500m"), null)).isTrue();
    }

    @Test
    void onlyInQuantityFields() {
      assertThat(
              normalizer.same(
                  FieldPath.of("ConfigMap", "/data/limit"), text("1"), text("1000m"), null))
          .isFalse();
      assertThat(
              normalizer.same(
                  FieldPath.of("ResourceQuota", "/spec/hard/requests.memory"),
                  text("4096Mi"),
                  text("4Gi"),
                  null))
          .isTrue();
      assertThat(
              normalizer.same(
                  FieldPath.of("PersistentVolumeClaim", "/spec/resources/requests/storage"),
                  text("10240Mi"),
                  text("10Gi"),
                  null))
          .isTrue();
    }

    @Test
    void parsesExactly() {
      assertThat(QuantityNormalizer.parse("1Ei"))
          .isEqualByComparingTo(new BigDecimal("1152921504606846976"));
      assertThat(QuantityNormalizer.parse("-2m")).isEqualByComparingTo(new BigDecimal("-0.002"));
      assertThat(QuantityNormalizer.parse("Gi")).isNull();
      assertThat(QuantityNormalizer.parse("1Qi")).isNull();
    }
  }

  @Nested
  class ScalarTypes {
    private final ScalarTypeNormalizer normalizer = new ScalarTypeNormalizer();
    private final FieldPath port = FieldPath.of("Service", "/spec/ports/0/targetPort");

    @Test
    void numbersAndBooleansWrittenAsStrings() {
      assertThat(normalizer.same(port, IntNode.valueOf(8080), text("8080"), null)).isTrue();
      assertThat(normalizer.same(port, text("8080"), IntNode.valueOf(8080), null)).isTrue();
      assertThat(normalizer.same(port, BooleanNode.TRUE, text("true"), null)).isTrue();
      assertThat(normalizer.same(port, IntNode.valueOf(1), DoubleNode.valueOf(1.0), null)).isTrue();
    }

    @Test
    void realDifferencesStay() {
      assertThat(normalizer.same(port, IntNode.valueOf(8080), text("8081"), null)).isFalse();
      assertThat(normalizer.same(port, text("http"), IntNode.valueOf(80), null)).isFalse();
      assertThat(normalizer.same(port, BooleanNode.TRUE, text("True"), null)).isFalse();
      assertThat(normalizer.same(port, BooleanNode.FALSE, text("0"), null)).isFalse();
      assertThat(normalizer.same(port, IntNode.valueOf(1), null, null)).isFalse();
    }
  }

  @Nested
  class Empties {
    private final EmptyValueNormalizer normalizer = new EmptyValueNormalizer();
    private final FieldPath path =
        FieldPath.of("Deployment", "/spec/template/spec/securityContext");

    @Test
    void emptyDesiredAgainstAbsentLive() {
      JsonNodeFactory f = JsonNodeFactory.instance;
      assertThat(normalizer.same(path, f.objectNode(), null, null)).isTrue();
      assertThat(normalizer.same(path, f.arrayNode(), null, null)).isTrue();
      assertThat(normalizer.same(path, NullNode.instance, null, null)).isTrue();
      assertThat(normalizer.same(path, text(""), null, null)).isTrue();
    }

    @Test
    void nonEmptyOrPresentLiveIsNotItsBusiness() {
      JsonNodeFactory f = JsonNodeFactory.instance;
      assertThat(normalizer.same(path, f.objectNode().put("runAsUser", 1000), null, null))
          .isFalse();
      assertThat(normalizer.same(path, f.arrayNode(), f.arrayNode().add(1), null)).isFalse();
      assertThat(normalizer.same(path, BooleanNode.TRUE, null, null)).isFalse();
      assertThat(normalizer.same(path, f.numberNode(3), null, null)).isFalse();
      assertThat(normalizer.same(path, BooleanNode.FALSE, BooleanNode.TRUE, null)).isFalse();
      assertThat(normalizer.same(path, f.numberNode(0), f.numberNode(2), null)).isFalse();
    }

    /** The API server stores nothing for an omitempty field at its Go zero value. */
    @Test
    void zeroValuesAgainstAnAbsentFieldAreTheSame() {
      JsonNodeFactory f = JsonNodeFactory.instance;
      assertThat(normalizer.same(path, BooleanNode.FALSE, null, null)).isTrue();
      assertThat(normalizer.same(path, f.numberNode(0), null, null)).isTrue();
      assertThat(normalizer.same(path, f.numberNode(0.0), null, null)).isTrue();
      assertThat(normalizer.same(path, f.textNode(""), null, null)).isTrue();
      assertThat(normalizer.same(path, f.textNode("0"), null, null)).isFalse();
    }
  }

  @Nested
  class ServerDefaults {
    private final ServerDefaultNormalizer normalizer = new ServerDefaultNormalizer();

    private boolean same(String kind, String pointer, JsonNode desired, JsonNode parent) {
      return normalizer.same(FieldPath.of(kind, pointer), desired, null, parent);
    }

    @Test
    void explicitDefaultsAgainstAbsentLive() {
      assertThat(
              same(
                  "Deployment",
                  "/spec/template/spec/containers/0/ports/1/protocol",
                  text("TCP"),
                  null))
          .isTrue();
      assertThat(same("Deployment", "/spec/template/spec/restartPolicy", text("Always"), null))
          .isTrue();
      assertThat(same("Deployment", "/spec/revisionHistoryLimit", IntNode.valueOf(10), null))
          .isTrue();
      assertThat(same("Deployment", "/spec/strategy/rollingUpdate/maxSurge", text("25%"), null))
          .isTrue();
      assertThat(
              same(
                  "CronJob",
                  "/spec/jobTemplate/spec/template/spec/dnsPolicy",
                  text("ClusterFirst"),
                  null))
          .isTrue();
      assertThat(same("Pod", "/spec/schedulerName", text("default-scheduler"), null)).isTrue();
      assertThat(same("Service", "/spec/type", text("ClusterIP"), null)).isTrue();
      assertThat(same("Service", "/spec/sessionAffinity", text("None"), null)).isTrue();
      assertThat(same("Service", "/spec/ports/0/protocol", text("TCP"), null)).isTrue();
    }

    @Test
    void defaultsThatDependOnSiblings() {
      ObjectNode tagged = JsonNodeFactory.instance.objectNode().put("image", "nginx:1.27");
      ObjectNode latest = JsonNodeFactory.instance.objectNode().put("image", "nginx");
      String pull = "/spec/template/spec/containers/0/imagePullPolicy";
      assertThat(same("Deployment", pull, text("IfNotPresent"), tagged)).isTrue();
      assertThat(same("Deployment", pull, text("Always"), latest)).isTrue();
      assertThat(same("Deployment", pull, text("Always"), tagged)).isFalse();
      ObjectNode port = JsonNodeFactory.instance.objectNode().put("port", 80);
      assertThat(same("Service", "/spec/ports/0/targetPort", IntNode.valueOf(80), port)).isTrue();
      assertThat(same("Service", "/spec/ports/0/targetPort", IntNode.valueOf(8080), port))
          .isFalse();
    }

    @Test
    void nonDefaultsOrWrongPlacesStayDrift() {
      assertThat(same("Deployment", "/spec/template/spec/restartPolicy", text("Never"), null))
          .isFalse();
      assertThat(same("Deployment", "/spec/type", text("ClusterIP"), null)).isFalse();
      assertThat(same("StatefulSet", "/spec/progressDeadlineSeconds", IntNode.valueOf(600), null))
          .isFalse();
      assertThat(
              normalizer.same(
                  FieldPath.of("Service", "/spec/type"), text("ClusterIP"), text("NodePort"), null))
          .isFalse();
    }

    /**
     * A custom resource whose kind a built-in kind also has gets none of that kind's defaults: only
     * the API server's defaulting of the built-in kind fills them, so Git setting them on a custom
     * resource the live object lacks is drift.
     */
    @Test
    void aCustomResourceNamedLikeABuiltInKindGetsNoneOfItsDefaults() {
      JsonNode clusterIp = text("ClusterIP");
      assertThat(normalizer.same(FieldPath.of("Service", "", "/spec/type"), clusterIp, null, null))
          .isTrue();
      assertThat(
              normalizer.same(
                  FieldPath.of("Service", "serving.knative.dev", "/spec/type"),
                  clusterIp,
                  null,
                  null))
          .isFalse();
      IntNode one = IntNode.valueOf(1);
      assertThat(
              normalizer.same(
                  FieldPath.of("Deployment", "apps", "/spec/replicas"), one, null, null))
          .isTrue();
      assertThat(
              normalizer.same(
                  FieldPath.of("Deployment", "example.com", "/spec/replicas"), one, null, null))
          .isFalse();
      assertThat(
              normalizer.same(
                  FieldPath.of("Job", "batch", "/spec/backoffLimit"),
                  IntNode.valueOf(6),
                  null,
                  null))
          .isTrue();
    }
  }
}

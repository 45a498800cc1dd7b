package dev.fleetwarden.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Attribution against the managedFields of a real-shaped live Deployment (image-changed case). */
class ManagedFieldsTest {
  private final JsonNode live = DriftFixtures.load("env-and-port-changed").input().live().get(0);
  private final HumanEdits keys = new HumanEdits(DiffInput.DEFAULT_HUMAN_MANAGERS);
  private final ManagedFields managed = ManagedFields.of(live, keys::fieldKey);

  private JsonNode container(String name) {
    for (JsonNode c : live.at("/spec/template/spec/containers")) {
      if (c.path("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError(name);
  }

  private static JsonNode element(JsonNode list, String field, String value) {
    for (JsonNode e : list) {
      if (e.path(field).asText().equals(value)) {
        return e;
      }
    }
    throw new AssertionError(value);
  }

  private List<Object> containerPath(String name, Object... rest) {
    List<Object> path =
        new java.util.ArrayList<>(
            List.of("spec", "template", "spec", "containers", container(name)));
    path.addAll(List.of(rest));
    return path;
  }

  @Test
  void keyedEnvEntryResolvesToItsLastWriter() {
    JsonNode env = element(container("web").get("env"), "name", "CACHE_SIZE");
    ManagedFields.Owner owner = managed.ownerOf(containerPath("web", "env", env, "value"));
    assertThat(owner.manager()).isEqualTo("kubectl-edit");
    assertThat(owner.time()).isEqualTo(Instant.parse("2025-03-05T16:21:09Z"));
  }

  @Test
  void keyedPortResolvesByContainerPortAndProtocol() {
    JsonNode port = element(container("web").get("ports"), "name", "http");
    assertThat(managed.ownerOf(containerPath("web", "ports", port, "containerPort")).manager())
        .isEqualTo("kubectl-edit");
    JsonNode metrics = element(container("web").get("ports"), "name", "metrics");
    assertThat(managed.ownerOf(containerPath("web", "ports", metrics, "containerPort")).manager())
        .isEqualTo("kubectl-client-side-apply");
  }

  @Test
  void untouchedFieldsBelongToTheApplier() {
    JsonNode other = element(container("web").get("env"), "name", "LOG_FORMAT");
    assertThat(managed.ownerOf(containerPath("web", "env", other, "value")).manager())
        .isEqualTo("kubectl-client-side-apply");
    assertThat(managed.ownerOf(containerPath("log-shipper", "image")).manager())
        .isEqualTo("kubectl-client-side-apply");
    assertThat(managed.ownerOf(List.of("status", "replicas")).manager())
        .isEqualTo("kube-controller-manager");
  }

  @Test
  void noManagedFieldsNoOwner() throws Exception {
    JsonNode bare = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"metadata\":{}}");
    assertThat(ManagedFields.of(bare, keys::fieldKey).isEmpty()).isTrue();
    assertThat(ManagedFields.of(bare, keys::fieldKey).ownerOf(List.of("spec"))).isNull();
  }
}

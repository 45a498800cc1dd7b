package dev.fleetwarden.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PatchesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String DEPLOYMENT =
      """
      {"metadata":{"name":"web","labels":{"app":"web","team":"a"},"finalizers":["x"]},
       "spec":{"replicas":3,
         "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}},
         "template":{"spec":{
           "containers":[
             {"name":"app","image":"app:1","args":["--v=2"],
              "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
              "ports":[{"containerPort":80,"name":"http"},{"containerPort":443,"name":"https"}]},
             {"name":"sidecar","image":"side:1"}],
           "tolerations":[{"key":"k1"},{"key":"k2"}]}}}}
      """;

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void mergePatchRemovesNullsMergesObjectsAndReplacesLists() throws Exception {
    JsonNode target = json(DEPLOYMENT);
    JsonNode out =
        Patches.merge(
            target,
            json(
                """
                {"metadata":{"labels":{"team":null,"tier":"front"}},
                 "spec":{"replicas":5,"template":{"spec":{"tolerations":[{"key":"k3"}]}}}}
                """));

    assertThat(out.at("/metadata/labels")).isEqualTo(json("{\"app\":\"web\",\"tier\":\"front\"}"));
    assertThat(out.at("/spec/replicas").asInt()).isEqualTo(5);
    assertThat(out.at("/spec/template/spec/tolerations")).isEqualTo(json("[{\"key\":\"k3\"}]"));
    assertThat(out.at("/spec/template/spec/containers")).hasSize(2);
    assertThat(target).isEqualTo(json(DEPLOYMENT)); // the input is not changed
  }

  @Test
  void strategicPatchMergesContainersByNameAndKeepsWhatThePatchDoesNotName() throws Exception {
    JsonNode out =
        Patches.strategic(
            json(DEPLOYMENT),
            json(
                """
                {"spec":{"template":{"spec":{"containers":[
                  {"name":"app","image":"app:2","env":[{"name":"B","value":"3"},{"name":"C","value":"4"}]}]}}}}
                """));

    JsonNode app = out.at("/spec/template/spec/containers/0");
    assertThat(app.path("image").asText()).isEqualTo("app:2");
    assertThat(app.path("args")).isEqualTo(json("[\"--v=2\"]"));
    assertThat(app.path("env"))
        .isEqualTo(
            json(
                "[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"3\"},"
                    + "{\"name\":\"C\",\"value\":\"4\"}]"));
    assertThat(out.at("/spec/template/spec/containers/1/name").asText()).isEqualTo("sidecar");
  }

  @Test
  void strategicPatchDirectivesAsKubectlWritesThem() throws Exception {
    JsonNode out =
        Patches.strategic(
            json(DEPLOYMENT),
            json(
                """
                {"metadata":{"finalizers":["y"]},
                 "spec":{
                  "strategy":{"$retainKeys":["type"],"type":"Recreate","rollingUpdate":null},
                  "template":{"spec":{
                    "$setElementOrder/containers":[{"name":"sidecar"},{"name":"app"}],
                    "containers":[
                      {"name":"app","$setElementOrder/ports":[{"containerPort":443},{"containerPort":80}],
                       "ports":[{"containerPort":80,"$patch":"delete"}],
                       "$deleteFromPrimitiveList/args":["--v=2"]},
                      {"name":"sidecar","env":[{"$patch":"replace"},{"name":"Z","value":"z"}]}],
                    "tolerations":[{"key":"k9"}]}}}}
                """));

    assertThat(out.at("/metadata/finalizers")).isEqualTo(json("[\"x\",\"y\"]"));
    assertThat(out.at("/spec/strategy")).isEqualTo(json("{\"type\":\"Recreate\"}"));
    JsonNode containers = out.at("/spec/template/spec/containers");
    assertThat(containers.get(0).path("name").asText()).isEqualTo("sidecar");
    assertThat(containers.get(0).path("env")).isEqualTo(json("[{\"name\":\"Z\",\"value\":\"z\"}]"));
    JsonNode app = containers.get(1);
    assertThat(app.path("ports")).isEqualTo(json("[{\"containerPort\":443,\"name\":\"https\"}]"));
    assertThat(app.path("args")).isEqualTo(json("[]"));
    assertThat(app.toString()).doesNotContain("$");
    // a list Kubernetes does not merge by key is replaced
    assertThat(out.at("/spec/template/spec/tolerations")).isEqualTo(json("[{\"key\":\"k9\"}]"));
  }

  @Test
  void strategicPatchReplacesOrDeletesWholeMaps() throws Exception {
    JsonNode out =
        Patches.strategic(
            json(DEPLOYMENT),
            json(
                """
                {"metadata":{"labels":{"$patch":"replace","only":"this"}},
                 "spec":{"strategy":{"$patch":"delete"}}}
                """));

    assertThat(out.at("/metadata/labels")).isEqualTo(json("{\"only\":\"this\"}"));
    assertThat(out.at("/spec").has("strategy")).isFalse();
    assertThat(out.at("/spec/replicas").asInt()).isEqualTo(3);
  }

  @Test
  void servicePortsMergeByPort() throws Exception {
    JsonNode out =
        Patches.strategic(
            json("{\"spec\":{\"ports\":[{\"port\":80,\"targetPort\":8080},{\"port\":443}]}}"),
            json("{\"spec\":{\"ports\":[{\"port\":80,\"targetPort\":9090}]}}"));

    assertThat(out.at("/spec/ports"))
        .isEqualTo(json("[{\"port\":80,\"targetPort\":9090},{\"port\":443}]"));
  }
}

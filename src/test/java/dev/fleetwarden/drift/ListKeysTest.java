package dev.fleetwarden.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ListKeysTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  @Test
  void knowsTheKeyedListsByPlace() throws Exception {
    JsonNode named = json("[{'name':'a'},{'name':'b'}]");
    assertThat(
            ListKeys.forList(FieldPath.of("Deployment", "/spec/template/spec/containers"), named))
        .isEqualTo(ListKeys.BY_NAME);
    assertThat(
            ListKeys.forList(
                FieldPath.of("Deployment", "/spec/template/spec/containers/0/env"), named))
        .isEqualTo(ListKeys.BY_NAME);
    assertThat(
            ListKeys.forList(
                FieldPath.of("Deployment", "/spec/template/spec/containers/0/ports"), named))
        .isEqualTo(ListKeys.CONTAINER_PORTS);
    assertThat(ListKeys.forList(FieldPath.of("Service", "/spec/ports"), named))
        .isEqualTo(ListKeys.SERVICE_PORTS);
    assertThat(
            ListKeys.forList(
                FieldPath.of("Deployment", "/spec/template/spec/containers/0/args"), json("['a']")))
        .isNull();
    assertThat(ListKeys.forList(FieldPath.of("Role", "/rules"), json("[{'verbs':['get']}]")))
        .isNull();
  }

  @Test
  void fallsBackToPositionWhenAKeyIsMissingOrRepeated() throws Exception {
    FieldPath env = FieldPath.of("Deployment", "/spec/template/spec/containers/0/env");
    assertThat(ListKeys.forList(env, json("[{'name':'a'},{'value':'x'}]"))).isNull();
    assertThat(ListKeys.forList(env, json("[{'name':'a'},{'name':'a'}]"))).isNull();
    FieldPath tolerations = FieldPath.of("Deployment", "/spec/template/spec/tolerations");
    assertThat(ListKeys.forList(tolerations, json("[{'operator':'Exists'}]"))).isNull();
  }

  @Test
  void portsMatchByNameOrByPortAndDefaultProtocol() throws Exception {
    JsonNode live =
        json("[{'containerPort':9090,'protocol':'TCP'},{'containerPort':53,'protocol':'UDP'}]");
    ListKeys.ListKey key = ListKeys.CONTAINER_PORTS;
    JsonNode desired = json("{'containerPort':9090}");
    assertThat(key.find(live, desired, key.keyOf(desired))).isEqualTo(live.get(0));
    JsonNode udp = json("{'containerPort':53,'protocol':'UDP'}");
    assertThat(key.find(live, udp, key.keyOf(udp))).isEqualTo(live.get(1));
    JsonNode tcp53 = json("{'containerPort':53}");
    assertThat(key.find(live, tcp53, key.keyOf(tcp53))).isNull();
  }
}

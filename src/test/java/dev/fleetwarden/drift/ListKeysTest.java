package dev.fleetwarden.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetwarden.model.ApiTypes;
import dev.fleetwarden.model.SchemaNode;
import org.junit.jupiter.api.Test;

/** The keys of lists come from the Kubernetes API's schema, not from a table of field names. */
class ListKeysTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  /** The schema node at a path of field names (list elements stepped into with {@code []}). */
  private static SchemaNode at(String apiVersion, String kind, String... path) {
    SchemaNode node = ApiTypes.builtIn().schema(apiVersion, kind);
    for (String step : path) {
      node = step.equals("[]") ? node.items() : node.field(step);
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  @Test
  void keyedListsAreTheOnesTheApiDeclares() throws Exception {
    JsonNode named = json("[{'name':'a'},{'name':'b'}]");
    SchemaNode containers = at("apps/v1", "Deployment", "spec", "template", "spec", "containers");
    assertThat(ListKeys.segments(containers, named)).containsExactly("name=a", "name=b");
    SchemaNode env =
        at("apps/v1", "Deployment", "spec", "template", "spec", "containers", "[]", "env");
    assertThat(ListKeys.segments(env, named)).containsExactly("name=a", "name=b");
    SchemaNode webhooks =
        at("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "webhooks");
    assertThat(ListKeys.segments(webhooks, json("[{'name':'validate.example.com'}]")))
        .containsExactly("name=validate.example.com");
    SchemaNode mounts =
        at(
            "batch/v1",
            "CronJob",
            "spec",
            "jobTemplate",
            "spec",
            "template",
            "spec",
            "containers",
            "[]",
            "volumeMounts");
    assertThat(ListKeys.segments(mounts, json("[{'name':'x','mountPath':'/etc/web'}]")))
        .containsExactly("mountPath=/etc/web");
  }

  @Test
  void portsAreKeyedByPortAndProtocolWithTheServerDefault() throws Exception {
    SchemaNode ports =
        at("apps/v1", "Deployment", "spec", "template", "spec", "containers", "[]", "ports");
    assertThat(
            ListKeys.segments(
                ports,
                json(
                    "[{'name':'http','containerPort':8080},{'containerPort':53,'protocol':'UDP'}]")))
        .containsExactly("containerPort=8080,protocol=TCP", "containerPort=53,protocol=UDP");
    SchemaNode servicePorts = at("v1", "Service", "spec", "ports");
    assertThat(ListKeys.segments(servicePorts, json("[{'port':443,'targetPort':8443}]")))
        .containsExactly("port=443,protocol=TCP");
  }

  @Test
  void atomicListsAndUnknownKindsCompareByPosition() throws Exception {
    JsonNode named = json("[{'name':'a'}]");
    // RBAC subjects and rules, tolerations and args are atomic in the API
    assertThat(at("rbac.authorization.k8s.io/v1", "RoleBinding", "subjects")).isNull();
    assertThat(at("rbac.authorization.k8s.io/v1", "ClusterRole", "rules")).isNull();
    SchemaNode tolerations = at("apps/v1", "Deployment", "spec", "template", "spec", "tolerations");
    assertThat(ListKeys.segments(tolerations, json("[{'key':'a','effect':'NoSchedule'}]")))
        .isNull();
    SchemaNode args =
        at("apps/v1", "Deployment", "spec", "template", "spec", "containers", "[]", "args");
    assertThat(ListKeys.segments(args, json("['a']"))).isNull();
    assertThat(ApiTypes.builtIn().schema("example.com/v1", "Widget")).isNull();
    assertThat(ListKeys.segments(null, named)).isNull();
  }

  @Test
  void fallsBackToPositionWhenAKeyIsMissingOrRepeated() throws Exception {
    SchemaNode env =
        at("apps/v1", "Deployment", "spec", "template", "spec", "containers", "[]", "env");
    assertThat(ListKeys.segments(env, json("[{'name':'a'},{'value':'x'}]"))).isNull();
    assertThat(ListKeys.segments(env, json("[{'name':'a'},{'name':'a'}]"))).isNull();
    assertThat(matchable(env, "[{'name':'a'},{'value':'x'}]")).isFalse();
    assertThat(matchable(env, "[{'name':'a'},{'name':'a'}]")).isFalse();
    assertThat(matchable(env, "[{'name':'a'},{'name':'b'}]")).isTrue();
  }

  @Test
  void longListsAreJudgedLikeShortOnes() throws Exception {
    SchemaNode env =
        at("apps/v1", "Deployment", "spec", "template", "spec", "containers", "[]", "env");
    StringBuilder distinct = new StringBuilder("[");
    for (int i = 0; i < 40; i++) {
      distinct.append(i == 0 ? "" : ",").append("{'name':'V").append(i).append("'}");
    }
    String list = distinct.append("]").toString();
    assertThat(matchable(env, list)).isTrue();
    assertThat(matchable(env, list.replace("'V39'", "'V3'"))).isFalse();
    assertThat(matchable(env, list.replace("{'name':'V39'}", "{}"))).isFalse();

    JsonNode live = json(list);
    assertThat(find(env, live, "{'name':'V17','value':'x'}")).isEqualTo(live.get(17));
    assertThat(find(env, live, "{'name':'V40'}")).isNull();
  }

  private static boolean matchable(SchemaNode list, String json) throws Exception {
    return new ListKeys.Keys(list.listKey(), json(json)).matchable();
  }

  /** The live element matching one desired element, or null. */
  private static JsonNode find(SchemaNode list, JsonNode live, String desired) throws Exception {
    ListKeys.Keys have = new ListKeys.Keys(list.listKey(), live);
    int found = have.find(new ListKeys.Keys(list.listKey(), json("[" + desired + "]")), 0);
    return found < 0 ? null : live.get(found);
  }

  @Test
  void finalizersAreASet() {
    assertThat(at("v1", "ConfigMap", "metadata", "finalizers").isSet()).isTrue();
    assertThat(at("v1", "ConfigMap", "metadata", "ownerReferences").listKey().fields())
        .containsExactly("uid");
  }

  @Test
  void liveElementsAreFoundByKeyAndDefaultedKeyFields() throws Exception {
    SchemaNode ports =
        at("apps/v1", "Deployment", "spec", "template", "spec", "containers", "[]", "ports");
    JsonNode live =
        json("[{'containerPort':9090,'protocol':'TCP'},{'containerPort':53,'protocol':'UDP'}]");
    assertThat(find(ports, live, "{'containerPort':9090,'protocol':'TCP'}")).isEqualTo(live.get(0));
    assertThat(find(ports, live, "{'containerPort':53,'protocol':'UDP'}")).isEqualTo(live.get(1));
    assertThat(find(ports, live, "{'containerPort':53,'protocol':'TCP'}")).isNull();
    // a key field left out in Git is its default; a number written as text is the same key
    assertThat(find(ports, live, "{'containerPort':9090}")).isEqualTo(live.get(0));
    assertThat(find(ports, live, "{'containerPort':'53','protocol':'UDP'}")).isEqualTo(live.get(1));
    assertThat(find(ports, live, "{'containerPort':9090.5}")).isNull();
  }

  @Test
  void listsInTheSameOrderAreJudgedAsReorderedOnesAre() throws Exception {
    SchemaNode deployment = ApiTypes.builtIn().schema("apps/v1", "Deployment");
    String wrapper = "{'spec':{'template':{'spec':{'containers':[{'name':'app','env':%s}]}}}}";
    String env = "/spec/template/spec/containers/name=app/env";
    java.util.function.BiFunction<String, String, java.util.List<String>> paths =
        (desired, live) -> {
          try {
            return TreeComparer.compare(
                    "Deployment",
                    "apps",
                    deployment,
                    json(wrapper.formatted(desired)),
                    json(wrapper.formatted(live)),
                    java.util.Set.of())
                .stream()
                .map(RawDrift::path)
                .toList();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        };
    String ab = "[{'name':'A','value':'1'},{'name':'B','value':'2'}]";
    // same order or reversed, a changed element is reported at its key; an extra live one is not
    assertThat(paths.apply(ab, "[{'name':'A','value':'1'},{'name':'B','value':'3'}]"))
        .containsExactly(env + "/name=B/value");
    assertThat(paths.apply(ab, "[{'name':'B','value':'3'},{'name':'A','value':'1'}]"))
        .containsExactly(env + "/name=B/value");
    assertThat(paths.apply(ab, "[{'name':'A','value':'1'},{'name':'B','value':'2'},{'name':'C'}]"))
        .isEmpty();
    // a key Git repeats: the list compares by position, as a whole
    String aa = "[{'name':'A','value':'1'},{'name':'A','value':'2'}]";
    assertThat(paths.apply(aa, aa)).isEmpty();
    assertThat(paths.apply(aa, "[{'name':'A','value':'1'},{'name':'A','value':'3'}]"))
        .containsExactly(env);
    assertThat(paths.apply(aa, "[{'name':'A','value':'1'},{'name':'A','value':'2'},{'name':'C'}]"))
        .containsExactly(env);
  }
}

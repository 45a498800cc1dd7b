package dev.fleetwarden.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ResourceIdTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode object(String apiVersion, String kind, String ns, String name) {
    ObjectNode o = JSON.createObjectNode().put("apiVersion", apiVersion).put("kind", kind);
    ObjectNode meta = o.putObject("metadata").put("name", name);
    if (ns != null) {
      meta.put("namespace", ns);
    }
    return o;
  }

  @Test
  void printsTheGroupAfterTheKindAndOmitsTheCoreGroup() {
    assertThat(ResourceId.of("prod", object("apps/v1", "Deployment", "web", "api")))
        .hasToString("prod/Deployment.apps/web/api");
    assertThat(ResourceId.of("prod", object("v1", "ConfigMap", "web", "settings")))
        .hasToString("prod/ConfigMap/web/settings");
    assertThat(
            ResourceId.of("prod", object("rbac.authorization.k8s.io/v1", "ClusterRole", null, "r")))
        .hasToString("prod/ClusterRole.rbac.authorization.k8s.io/_/r");
    assertThat(ResourceId.terraform("prod", "aws_vpc.main"))
        .hasToString("prod/terraform/aws_vpc.main");
  }

  @Test
  void theVersionIsNotPartOfTheId() {
    ResourceId v1 = ResourceId.of("c", object("apps/v1", "Deployment", "n", "x"));
    ResourceId beta = ResourceId.of("c", object("apps/v1beta1", "Deployment", "n", "x"));
    assertThat(v1).isEqualTo(beta);
    assertThat(v1.group()).isEqualTo("apps");
  }

  @Test
  void sameKindInTwoGroupsAreTwoIds() {
    ResourceId certManager =
        ResourceId.of("c", object("cert-manager.io/v1", "Certificate", "n", "tls"));
    ResourceId acm =
        ResourceId.of("c", object("acm.services.k8s.aws/v1alpha1", "Certificate", "n", "tls"));
    ResourceId oldIngress = ResourceId.of("c", object("extensions/v1beta1", "Ingress", "n", "i"));
    ResourceId ingress = ResourceId.of("c", object("networking.k8s.io/v1", "Ingress", "n", "i"));
    assertThat(certManager).isNotEqualTo(acm);
    assertThat(oldIngress).isNotEqualTo(ingress);
    assertThat(new TreeSet<>(List.of(certManager, acm))).containsExactly(acm, certManager);
  }

  @Test
  void parseReadsThePrintedFormBackAndJacksonUsesIt() throws Exception {
    for (String text :
        List.of(
            "prod/Deployment.apps/web/api",
            "prod/ConfigMap/web/settings",
            "prod/Certificate.cert-manager.io/web/tls",
            "prod/Namespace/_/web",
            "prod/terraform/aws_vpc.main",
            "prod/terraform/module.net.aws_subnet.this[\"eu-west-1a/private\"]")) {
      ResourceId id = ResourceId.parse(text);
      assertThat(id).hasToString(text);
      assertThat(JSON.readValue(JSON.writeValueAsString(id), ResourceId.class)).isEqualTo(id);
      assertThat(JSON.writeValueAsString(id)).isEqualTo(JSON.writeValueAsString(text));
    }
    ResourceId deployment = ResourceId.parse("prod/Deployment.apps/web/api");
    assertThat(deployment.group()).isEqualTo("apps");
    assertThat(deployment.kind()).isEqualTo("Deployment");
    assertThat(deployment.groupKind()).isEqualTo("Deployment.apps");
    assertThat(deployment.withinCluster()).isEqualTo("Deployment.apps/web/api");
    assertThat(ResourceId.parse("prod/terraform/a/b").name()).isEqualTo("a/b");
    assertThat(ResourceId.parse("prod/Namespace/_/web").isClusterScoped()).isTrue();
  }

  @Test
  void malformedIdsAreRefused() {
    for (String bad : List.of("prod/ConfigMap/web", "prod/.apps/web/x", "prod/Deployment./web/x")) {
      assertThatThrownBy(() -> ResourceId.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cluster/Kind.group/namespace/name");
    }
  }

  @Test
  void legacyIdsGetTheGroupOfBuiltInKindsOnly() {
    assertThat(ResourceId.parseLegacy("prod/Deployment/web/api"))
        .hasToString("prod/Deployment.apps/web/api");
    assertThat(ResourceId.parseLegacy("prod/NetworkPolicy/web/deny"))
        .hasToString("prod/NetworkPolicy.networking.k8s.io/web/deny");
    assertThat(ResourceId.parseLegacy("prod/ConfigMap/web/settings"))
        .hasToString("prod/ConfigMap/web/settings");
    // a custom resource's group is not known from its kind: the id stays as written
    assertThat(ResourceId.parseLegacy("prod/ClusterPolicy/_/p"))
        .hasToString("prod/ClusterPolicy/_/p");
    assertThat(ResourceId.parseLegacy("prod/Deployment.apps/web/api"))
        .hasToString("prod/Deployment.apps/web/api");
    assertThat(ResourceId.parseLegacy("prod/terraform/aws_vpc.main").isTerraform()).isTrue();
  }

  @Test
  void displayCapKeepsTheGroup() {
    ResourceId id = ResourceId.parse("prod/Certificate.cert-manager.io/web/tls");
    assertThat(Reflected.id(id)).isEqualTo(id);
  }
}

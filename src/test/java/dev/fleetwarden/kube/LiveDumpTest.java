package dev.fleetwarden.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetwarden.model.ResourceId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveDumpTest {
  @TempDir Path dir;

  @Test
  void itemsOfATypedListTakeTheListsApiVersionSoTheirIdHasTheGroup() throws Exception {
    Files.createDirectories(dir.resolve("c"));
    Files.writeString(
        dir.resolve("c/deployments.yaml"),
        """
        apiVersion: apps/v1
        kind: DeploymentList
        items:
        - metadata: {name: web, namespace: shop}
          spec: {replicas: 2}
        """);
    Files.writeString(
        dir.resolve("c/mixed.yaml"),
        """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: networking.k8s.io/v1
          kind: Ingress
          metadata: {name: web, namespace: shop}
        """);

    List<ObjectNode> objects = new LiveDump(dir).read("c");

    assertThat(objects)
        .extracting(o -> ResourceId.of("c", o).toString())
        .containsExactly("c/Deployment.apps/shop/web", "c/Ingress.networking.k8s.io/shop/web");
  }
}

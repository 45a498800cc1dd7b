package dev.fleetwarden.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetwarden.model.ResourceId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRenderHistoryTest {
  @TempDir Path dir;

  @Test
  void idsRoundTripWithTheirGroup() {
    FileRenderHistory history = new FileRenderHistory(dir);
    List<ResourceId> ids =
        List.of(
            ResourceId.parse("c/Deployment.apps/n/web"),
            ResourceId.parse("c/Certificate.cert-manager.io/n/tls"),
            ResourceId.parse("c/ConfigMap/n/settings"));
    history.save("c", "rev", ids);
    assertThat(history.previous("c")).containsExactlyInAnyOrderElementsOf(ids);
  }

  @Test
  void aHistoryWrittenBeforeIdsHadGroupsGetsTheGroupOfBuiltInKinds() throws Exception {
    Files.writeString(
        dir.resolve("c.json"),
        """
        {"cluster": "c", "revision": "r",
         "objects": ["c/Deployment/n/web", "c/ConfigMap/n/settings", "c/ClusterPolicy/_/p"]}
        """);
    assertThat(new FileRenderHistory(dir).previous("c"))
        .extracting(ResourceId::toString)
        .containsExactlyInAnyOrder(
            "c/Deployment.apps/n/web", "c/ConfigMap/n/settings", "c/ClusterPolicy/_/p");
  }
}

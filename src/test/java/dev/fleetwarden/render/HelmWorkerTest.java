package dev.fleetwarden.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the Helm process is started with. */
class HelmWorkerTest {
  @Test
  void theHelmProcessGetsOnlyTheLocaleAndItsOwnHomeTempAndKubeconfig() {
    Map<String, String> parent =
        Map.of(
            "KUBECONFIG", "/home/fw/.kube/config",
            "KUBERNETES_SERVICE_HOST", "10.0.0.1",
            "KUBERNETES_SERVICE_PORT", "443",
            "HOME", "/home/fw",
            "AWS_SECRET_ACCESS_KEY", "aws-secret",
            "FLEETWARDEN_SLACK_TOKEN", "xoxb-secret",
            "JAVA_TOOL_OPTIONS", "-Djavax.net.ssl.trustStorePassword=secret",
            "HELM_DRIVER", "secret",
            "LANG", "C.UTF-8",
            "LC_ALL", "en_US.UTF-8");

    Map<String, String> env =
        HelmWorker.environment(
            parent,
            Path.of("/scratch/w/home"),
            Path.of("/scratch/w/tmp"),
            Path.of("/scratch/w/kubeconfig"));

    assertThat(env)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "HOME", "/scratch/w/home",
                "TMPDIR", "/scratch/w/tmp",
                "KUBECONFIG", "/scratch/w/kubeconfig",
                "LANG", "C.UTF-8",
                "LC_ALL", "en_US.UTF-8"));
  }
}

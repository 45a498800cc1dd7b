package dev.fleetwarden.render;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Helm engine that renders one Deployment whose replicas come from the values file's {@code
 * controller.replicas}, with a fault switch.
 */
final class FakeHelmEngine implements HelmEngine {
  volatile String failWith;
  final AtomicInteger calls = new AtomicInteger();

  @Override
  public String template(
      Path chartDir, Path valuesFile, String release, String namespace, String kubeVersion)
      throws HelmException {
    calls.incrementAndGet();
    if (failWith != null) {
      throw new HelmException(failWith, null);
    }
    try {
      var values =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(valuesFile));
      return "---\n# Source: chart/templates/deployment.yaml\n"
          + "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: "
          + release
          + "-controller\nspec:\n  replicas: "
          + values.path("controller").path("replicas").asInt()
          + "\n";
    } catch (java.io.IOException e) {
      throw new HelmException(e.toString(), e);
    }
  }

  @Override
  public boolean threadSafe() {
    return false;
  }
}

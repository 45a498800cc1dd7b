package dev.fleetwarden.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a small valid fleet repo into a directory; tests then break one file at a time. */
final class FleetFixture {
  final Path root;

  FleetFixture(Path root) {
    this.root = root;
    write(
        "fleet.yaml",
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Fleet
        metadata:
          name: test-fleet
        spec:
          defaults:
            kubeVersion: "1.29.0"
        """);
    write(
        "environments/prod.yaml",
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Environment
        metadata:
          name: prod
        spec:
          labels: {tier: critical}
          values:
            web:
              replicas: 3
        """);
    write(
        "clusters/mgmt/cluster.yaml",
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Cluster
        metadata:
          name: mgmt
        spec:
          role: management
          environment: prod
        """);
    write(
        "clusters/prod-1/cluster.yaml",
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Cluster
        metadata:
          name: prod-1
          labels: {region: eu}
        spec:
          role: workload
          environment: prod
          addons:
            - name: web
              values:
                image:
                  tag: "1.2.3"
        """);
    write(
        "addons/web/addon.yaml",
        """
        apiVersion: fleetwarden.dev/v1alpha1
        kind: Addon
        metadata:
          name: web
        spec:
          namespace: web
          source:
            manifests: {path: manifests}
          clusterSelector: {role: workload}
        """);
    write(
        "addons/web/manifests/cm.yaml",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: web
        data:
          a: b
        """);
  }

  FleetFixture write(String rel, String content) {
    try {
      Path p = root.resolve(rel);
      Files.createDirectories(p.getParent());
      Files.writeString(p, content);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.fleetwarden.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.fleetwarden.model.DesiredObject;
import dev.fleetwarden.model.Provenance;
import dev.fleetwarden.model.ResourceId;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Small hand-made desired objects for the kube tests. */
public final class TestObjects {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private TestObjects() {}

  public static DesiredObject desired(String cluster, String addon, String yaml) {
    try {
      ObjectNode manifest = (ObjectNode) YAML.readTree(yaml);
      return new DesiredObject(
          ResourceId.of(cluster, manifest), manifest, new Provenance(addon, "test.yaml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static DesiredObject configMap(
      String cluster, String namespace, String name, String value) {
    return desired(
        cluster,
        "demo",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: %s
          namespace: %s
          labels: {fleetwarden.dev/addon: demo}
        data: {key: "%s"}
        """
            .formatted(name, namespace, value));
  }

  public static DesiredObject namespace(String cluster, String name) {
    return desired(
        cluster,
        "demo",
        """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: %s
          labels: {fleetwarden.dev/addon: demo}
        """
            .formatted(name));
  }

  public static DesiredObject clusterRole(String cluster, String name) {
    return desired(
        cluster,
        "demo",
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: %s
          labels: {fleetwarden.dev/addon: demo}
        rules:
          - apiGroups: [""]
            resources: [configmaps]
            verbs: [get, list]
        """
            .formatted(name));
  }

  public static DesiredObject clusterPolicy(String cluster, String name) {
    return desired(
        cluster,
        "policies",
        """
        apiVersion: kyverno.io/v1
        kind: ClusterPolicy
        metadata:
          name: %s
          labels: {fleetwarden.dev/addon: policies}
        spec:
          validationFailureAction: Audit
        """
            .formatted(name));
  }

  public static DesiredObject deployment(String cluster, String namespace, String name) {
    return desired(
        cluster,
        "demo",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: %s
          namespace: %s
          labels: {fleetwarden.dev/addon: demo}
        spec:
          replicas: 2
          selector:
            matchLabels: {app: %s}
          template:
            metadata:
              labels: {app: %s}
            spec:
              containers:
                - name: main
                  image: registry.example.com/demo:1.0.0
                  env:
                    - {name: A, value: "1"}
                    - {name: B, value: "2"}
                  resources:
                    requests: {cpu: 500m, memory: 1Gi}
        """
            .formatted(name, namespace, name, name));
  }
}

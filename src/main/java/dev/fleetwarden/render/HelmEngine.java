package dev.fleetwarden.render;

import java.nio.file.Path;

/** Renders a local Helm chart's templates, like {@code helm template}, without a cluster. */
public interface HelmEngine {
  /**
   * Renders every template of the chart in {@code chartDir} with the values in {@code valuesFile}
   * (on top of the chart's own {@code values.yaml}).
   *
   * @param release the release name ({@code .Release.Name})
   * @param namespace the release namespace ({@code .Release.Namespace})
   * @param kubeVersion the Kubernetes version seen by {@code .Capabilities.KubeVersion}
   * @return the rendered manifest stream: documents separated by {@code ---}, each preceded by a
   *     {@code # Source: <chart>/templates/<file>} comment
   * @throws HelmException with Helm's own message when the chart cannot be rendered
   */
  String template(
      Path chartDir, Path valuesFile, String release, String namespace, String kubeVersion)
      throws HelmException;

  /** Whether {@link #template} may run on several threads at once. */
  boolean threadSafe();

  /** Helm refused to render a chart; the message is Helm's. */
  final class HelmException extends Exception {
    public HelmException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

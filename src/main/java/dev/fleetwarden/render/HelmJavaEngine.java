package dev.fleetwarden.render;

import com.marcnuri.helm.Helm;
import java.nio.file.Path;

/**
 * {@link HelmEngine} backed by helm-java: Helm 3 compiled into a native library and called through
 * JNA, in-process and client-only (no cluster is contacted; {@code lookup} returns nothing).
 *
 * <p>Not declared thread-safe: each call builds its own Helm action, but the native library's Go
 * runtime state is shared and helm-java does not document concurrent use, so {@link HelmRenderer}
 * serializes the call itself (and only it). The first call loads the ~100 MB native library into a
 * temporary directory ({@code java.io.tmpdir}).
 */
public final class HelmJavaEngine implements HelmEngine {
  private final boolean threadSafe;

  public HelmJavaEngine() {
    this(false);
  }

  /** {@code threadSafe = true} lets callers run templates concurrently (measured, not promised). */
  public HelmJavaEngine(boolean threadSafe) {
    this.threadSafe = threadSafe;
  }

  @Override
  public String template(
      Path chartDir, Path valuesFile, String release, String namespace, String kubeVersion)
      throws HelmException {
    try {
      return new Helm(chartDir)
          .template()
          .withName(release)
          .withNamespace(namespace)
          .withKubeVersion(kubeVersion)
          .withValuesFile(valuesFile)
          .call();
    } catch (RuntimeException e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage().trim();
      throw new HelmException(message, e);
    }
  }

  @Override
  public boolean threadSafe() {
    return threadSafe;
  }
}

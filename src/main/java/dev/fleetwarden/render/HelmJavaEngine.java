package dev.fleetwarden.render;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@link HelmEngine} backed by helm-java (Helm 3 compiled into a native library), run in a separate
 * Helm process that fleetwarden starts on first use and shares across engines (see {@link
 * HelmWorker}). Rendering never touches a cluster: the process has none of fleetwarden's
 * environment, kubeconfig or credentials, and {@code lookup} returns an empty map, as in {@code
 * helm template}. A render that takes longer than the timeout fails and stops the process.
 *
 * <p>Calls are serialized in the Helm process; the first one starts it (a JVM that unpacks the ~100
 * MB native library into its own temporary directory).
 */
public final class HelmJavaEngine implements HelmEngine {
  /** How long one chart may take to render by default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

  private final Duration timeout;

  public HelmJavaEngine() {
    this(DEFAULT_TIMEOUT);
  }

  /** With the longest time one chart may take to render (the first call includes the start). */
  public HelmJavaEngine(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the Helm timeout must be positive, not " + timeout);
    }
    this.timeout = timeout;
  }

  @Override
  public String template(
      Path chartDir, Path valuesFile, String release, String namespace, String kubeVersion)
      throws HelmException {
    return HelmWorker.shared()
        .template(chartDir, valuesFile, release, namespace, kubeVersion, timeout);
  }

  @Override
  public boolean threadSafe() {
    return false;
  }
}

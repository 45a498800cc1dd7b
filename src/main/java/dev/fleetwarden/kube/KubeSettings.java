package dev.fleetwarden.kube;

import java.time.Duration;
import java.util.Objects;

/**
 * How fleetwarden talks to Kubernetes API servers: timeouts, the client-side rate limit and how
 * many clusters are read at once. Immutable; build it once at startup.
 *
 * @param connectTimeout time to open a connection to an API server
 * @param requestTimeout time for one request (one list call) to complete
 * @param maxConcurrentRequests requests in flight per cluster client (client-side rate limit)
 * @param maxConcurrentRequestsPerHost requests in flight per API server host
 * @param retryBackoffLimit retries of a failed request (kept small: an unreachable cluster must be
 *     reported unknown quickly, not retried for minutes)
 * @param retryBackoffInterval first wait between retries (doubles on each retry)
 * @param readParallelism how many clusters {@link LiveStateReader#readAll} reads at once
 * @param clusterReadTimeout upper bound for reading one cluster; past it the cluster is unknown
 * @param kubeconfigPolicy what kubeconfigs may do and which kubeconfig Secrets may be read
 */
public record KubeSettings(
    Duration connectTimeout,
    Duration requestTimeout,
    int maxConcurrentRequests,
    int maxConcurrentRequestsPerHost,
    int retryBackoffLimit,
    Duration retryBackoffInterval,
    int readParallelism,
    Duration clusterReadTimeout,
    KubeconfigPolicy kubeconfigPolicy) {

  /** Defaults fit for a fleet of about 100 clusters read from one node. */
  public static final KubeSettings DEFAULTS =
      new KubeSettings(
          Duration.ofSeconds(5),
          Duration.ofSeconds(20),
          16,
          8,
          1,
          Duration.ofMillis(250),
          4,
          Duration.ofSeconds(90),
          KubeconfigPolicy.DEFAULT);

  public KubeSettings {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(retryBackoffInterval, "retryBackoffInterval");
    Objects.requireNonNull(clusterReadTimeout, "clusterReadTimeout");
    Objects.requireNonNull(kubeconfigPolicy, "kubeconfigPolicy");
    positive(connectTimeout, "connectTimeout");
    positive(requestTimeout, "requestTimeout");
    positive(clusterReadTimeout, "clusterReadTimeout");
    if (maxConcurrentRequests < 1 || maxConcurrentRequestsPerHost < 1) {
      throw new IllegalArgumentException(
          "maxConcurrentRequests and maxConcurrentRequestsPerHost must be at least 1");
    }
    if (retryBackoffLimit < 0) {
      throw new IllegalArgumentException("retryBackoffLimit must be 0 or more");
    }
    if (readParallelism < 1) {
      throw new IllegalArgumentException("readParallelism must be at least 1");
    }
  }

  public KubeSettings withConnectTimeout(Duration value) {
    return new KubeSettings(
        value,
        requestTimeout,
        maxConcurrentRequests,
        maxConcurrentRequestsPerHost,
        retryBackoffLimit,
        retryBackoffInterval,
        readParallelism,
        clusterReadTimeout,
        kubeconfigPolicy);
  }

  public KubeSettings withRequestTimeout(Duration value) {
    return new KubeSettings(
        connectTimeout,
        value,
        maxConcurrentRequests,
        maxConcurrentRequestsPerHost,
        retryBackoffLimit,
        retryBackoffInterval,
        readParallelism,
        clusterReadTimeout,
        kubeconfigPolicy);
  }

  public KubeSettings withRateLimit(int maxConcurrent, int maxConcurrentPerHost) {
    return new KubeSettings(
        connectTimeout,
        requestTimeout,
        maxConcurrent,
        maxConcurrentPerHost,
        retryBackoffLimit,
        retryBackoffInterval,
        readParallelism,
        clusterReadTimeout,
        kubeconfigPolicy);
  }

  public KubeSettings withRetries(int limit, Duration interval) {
    return new KubeSettings(
        connectTimeout,
        requestTimeout,
        maxConcurrentRequests,
        maxConcurrentRequestsPerHost,
        limit,
        interval,
        readParallelism,
        clusterReadTimeout,
        kubeconfigPolicy);
  }

  public KubeSettings withReadParallelism(int value) {
    return new KubeSettings(
        connectTimeout,
        requestTimeout,
        maxConcurrentRequests,
        maxConcurrentRequestsPerHost,
        retryBackoffLimit,
        retryBackoffInterval,
        value,
        clusterReadTimeout,
        kubeconfigPolicy);
  }

  public KubeSettings withClusterReadTimeout(Duration value) {
    return new KubeSettings(
        connectTimeout,
        requestTimeout,
        maxConcurrentRequests,
        maxConcurrentRequestsPerHost,
        retryBackoffLimit,
        retryBackoffInterval,
        readParallelism,
        value,
        kubeconfigPolicy);
  }

  public KubeSettings withKubeconfigPolicy(KubeconfigPolicy value) {
    return new KubeSettings(
        connectTimeout,
        requestTimeout,
        maxConcurrentRequests,
        maxConcurrentRequestsPerHost,
        retryBackoffLimit,
        retryBackoffInterval,
        readParallelism,
        clusterReadTimeout,
        value);
  }

  private static void positive(Duration d, String name) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }
}

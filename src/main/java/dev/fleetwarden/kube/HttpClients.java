package dev.fleetwarden.kube;

import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.utils.HttpClientUtils;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;

/**
 * The HTTP client factory for every Fabric8 client fleetwarden creates: Fabric8's Vert.x client,
 * which lists several times faster than the others. It ships with kubernetes-client at runtime
 * scope, so it is loaded by name; the ServiceLoader's choice is the fallback.
 */
public final class HttpClients {
  private static final String VERTX = "io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory";
  private static final String NO_DNS_RESOLVER = "vertx.disableDnsResolver";

  private HttpClients() {}

  /**
   * The Vert.x factory when it loads, else the ServiceLoader's choice. Each client it builds starts
   * a Vert.x instance of its own.
   */
  public static HttpClient.Factory vertx() {
    try {
      return (HttpClient.Factory)
          Class.forName(VERTX, true, HttpClients.class.getClassLoader())
              .getDeclaredConstructor()
              .newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      return HttpClientUtils.getHttpClientFactory();
    }
  }

  /**
   * The Vert.x factory whose clients all run on {@code shared} (they leave it open: its owner
   * closes it), else the ServiceLoader's choice.
   */
  public static HttpClient.Factory vertx(Vertx shared) {
    try {
      return (HttpClient.Factory)
          Class.forName(VERTX, true, HttpClients.class.getClassLoader())
              .getDeclaredConstructor(Vertx.class)
              .newInstance(shared);
    } catch (ReflectiveOperationException | LinkageError e) {
      return HttpClientUtils.getHttpClientFactory();
    }
  }

  /**
   * A Vert.x instance for the clients of many clusters, made as Fabric8 makes one per client:
   * daemon threads, no file cache, and the JDK's name resolution (the property is set only while
   * the instance is made, as Fabric8 does). One instance instead of one per cluster: each runs its
   * own event loops and a blocked-thread checker that wakes every second, about 1 % of a core for
   * 100 clusters doing nothing.
   */
  public static Vertx sharedVertx() {
    synchronized (HttpClients.class) {
      String before = System.getProperty(NO_DNS_RESOLVER);
      System.setProperty(NO_DNS_RESOLVER, "true");
      try {
        return Vertx.vertx(
            new VertxOptions()
                .setUseDaemonThread(true)
                .setFileSystemOptions(
                    new FileSystemOptions()
                        .setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
      } finally {
        if (before == null) {
          System.clearProperty(NO_DNS_RESOLVER);
        } else {
          System.setProperty(NO_DNS_RESOLVER, before);
        }
      }
    }
  }
}
